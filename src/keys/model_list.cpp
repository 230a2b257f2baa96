#include "keys/model_list.hpp"

#include <nlohmann/json.hpp>

namespace devops_monitor {
namespace {

using nlohmann::json;

// Deeper than any model list: a body nested past this is not one, and the frame stack of
// the reader stays small whatever a peer sends.
constexpr std::size_t kMaxModelListDepth = 64;
// A cursor longer than this is not put into a URL (and the list counts as cut short).
constexpr std::size_t kMaxCursorBytes = 1024;

/// Where the ids sit in a provider's answer.
struct ListShape {
  std::string_view list_key;  // "data", "models"; a top-level array is accepted as well
  std::string_view id_field;  // "id", "name"
};

ListShape shape_of(const Provider& provider) {
  if (provider.dialect == Dialect::google) return {"models", "name"};
  return {"data", "id"};
}

/// A SAX reader that looks only at the few places a model list keeps what we need: ids of
/// the list's items and the top-level pagination fields. Every other value is skipped.
class ModelListReader : public nlohmann::json_sax<json> {
 public:
  ModelListReader(const Provider& provider, const std::set<std::string>& required, ModelPage& page)
      : provider_(provider), shape_(shape_of(provider)), required_(required), page_(page) {}

  bool null() override { return scalar(); }
  bool boolean(bool value) override {
    if (at_top_level() && key_ == "has_more") has_more_ = value;
    return scalar();
  }
  bool number_integer(number_integer_t /*value*/) override { return scalar(); }
  bool number_unsigned(number_unsigned_t /*value*/) override { return scalar(); }
  bool number_float(number_float_t /*value*/, const string_t& /*text*/) override {
    return scalar();
  }
  bool string(string_t& value) override {
    if (in_list_item() && key_ == shape_.id_field) {
      page_.count += 1;
      if (!required_.empty()) {
        std::string id = normalise_model_id(provider_, value);
        if (required_.count(id) != 0) page_.found.insert(std::move(id));
      }
    } else if (at_top_level() && (key_ == "last_id" || key_ == "nextPageToken")) {
      cursor_ = value;
    }
    return scalar();
  }
  bool binary(binary_t& /*value*/) override { return scalar(); }
  bool start_object(std::size_t /*size*/) override { return open(false); }
  bool end_object() override { return close(); }
  bool start_array(std::size_t /*size*/) override { return open(true); }
  bool end_array() override { return close(); }
  bool key(string_t& value) override {
    key_ = value;
    return true;
  }
  bool parse_error(std::size_t /*position*/, const std::string& /*token*/,
                   const nlohmann::detail::exception& /*error*/) override {
    return false;
  }

  void finish() {
    // Only the providers whose pages we know how to ask for (model_page_url) have a next page.
    if (!cursor_ || cursor_->empty()) return;
    const bool more = provider_.dialect == Dialect::google ||
                      (provider_.dialect == Dialect::anthropic && has_more_);
    if (!more) return;
    if (cursor_->size() > kMaxCursorBytes) {
      page_.complete = false;  // there is more, and it cannot be asked for
      return;
    }
    page_.next = std::move(cursor_);
  }

 private:
  struct Frame {
    bool is_array = false;
    std::string key_in_parent;  // the key that opened this container, if its parent is an object
  };

  [[nodiscard]] bool at_top_level() const { return frames_.size() == 1 && !frames_[0].is_array; }

  /// Inside one item of the list: [ {here} ] or {"data": [ {here} ]}.
  [[nodiscard]] bool in_list_item() const {
    if (frames_.size() == 2) {
      return frames_[0].is_array && !frames_[1].is_array;
    }
    if (frames_.size() == 3) {
      return !frames_[0].is_array && frames_[1].is_array &&
             frames_[1].key_in_parent == shape_.list_key && !frames_[2].is_array;
    }
    return false;
  }

  [[nodiscard]] bool opens_list(bool is_array) const {
    if (!is_array) return false;
    if (frames_.empty()) return true;
    return frames_.size() == 1 && !frames_[0].is_array && key_ == shape_.list_key;
  }

  bool scalar() {
    key_.clear();
    return true;
  }
  bool open(bool is_array) {
    if (frames_.size() >= kMaxModelListDepth) return false;
    if (opens_list(is_array)) page_.is_list = true;
    const bool parent_is_object = !frames_.empty() && !frames_.back().is_array;
    frames_.push_back({is_array, parent_is_object ? key_ : std::string()});
    key_.clear();
    return true;
  }
  bool close() {
    if (!frames_.empty()) frames_.pop_back();
    key_.clear();
    return true;
  }

  const Provider& provider_;
  ListShape shape_;
  const std::set<std::string>& required_;
  ModelPage& page_;
  std::vector<Frame> frames_;
  std::string key_;
  bool has_more_ = false;
  std::optional<std::string> cursor_;
};

/// RFC 3986 unreserved characters stay; everything else is %XX.
std::string percent_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if ((u >= 'A' && u <= 'Z') || (u >= 'a' && u <= 'z') || (u >= '0' && u <= '9') || c == '-' ||
        c == '.' || c == '_' || c == '~') {
      out.push_back(c);
    } else {
      out.push_back('%');
      out.push_back(kHex[u >> 4]);
      out.push_back(kHex[u & 0x0F]);
    }
  }
  return out;
}

}  // namespace

std::string normalise_model_id(const Provider& provider, std::string_view id) {
  const std::string_view prefix = provider.model_id_prefix;
  if (!prefix.empty() && id.substr(0, prefix.size()) == prefix) id.remove_prefix(prefix.size());
  return std::string(id);
}

std::set<std::string> required_model_set(const Provider& provider) {
  std::set<std::string> out;
  for (const std::string& model : provider.required_models) {
    out.insert(normalise_model_id(provider, model));
  }
  return out;
}

ModelPage read_model_page(const Provider& provider, std::string_view body,
                          const std::set<std::string>& required) {
  ModelPage page;
  ModelListReader reader(provider, required, page);
  page.complete = json::sax_parse(body, &reader, json::input_format_t::json, /*strict=*/true);
  if (page.complete) reader.finish();
  if (!page.is_list) return ModelPage{};
  return page;
}

std::string model_page_url(const Provider& provider, const std::string& base_url,
                           const std::optional<std::string>& cursor) {
  std::string query;
  if (provider.dialect == Dialect::anthropic) {
    query = "limit=1000";
    if (cursor) query += "&after_id=" + percent_encode(*cursor);
  } else if (provider.dialect == Dialect::google) {
    query = "pageSize=1000";
    if (cursor) query += "&pageToken=" + percent_encode(*cursor);
  }
  if (query.empty()) return base_url;
  const std::size_t fragment = base_url.find('#');
  const std::string url = base_url.substr(0, fragment);
  return url + (url.find('?') == std::string::npos ? "?" : "&") + query;
}

}  // namespace devops_monitor
