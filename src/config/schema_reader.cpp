// Checking one value against its KeyType. The wording is shared by every key of a kind: "X must
// be <what the type accepts>, not <what was written>", "X = v is outside a to b", and for
// strings the text rule's own words. No message quotes a string value (config_values.hpp).
#include "config/schema_reader.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "config/config_values.hpp"
#include "config/type_words.hpp"
#include "util/ascii.hpp"

namespace devops_monitor {

std::vector<TomlMember> members_in_file_order(const toml::table& table) {
  std::vector<TomlMember> members;
  for (auto&& [key, node] : table) members.push_back({&key, &node});
  std::stable_sort(members.begin(), members.end(), [](const TomlMember& a, const TomlMember& b) {
    return is_before(a.key->source(), b.key->source());
  });
  return members;
}

const TomlMember* find_member(std::span<const TomlMember> members, std::string_view name) {
  const auto it = std::find_if(members.begin(), members.end(),
                               [&](const TomlMember& m) { return m.key->str() == name; });
  return it == members.end() ? nullptr : &*it;
}

bool is_before(const toml::source_region& a, const toml::source_region& b) {
  return a.begin.line != b.begin.line ? a.begin.line < b.begin.line
                                      : a.begin.column < b.begin.column;
}

std::string_view a_type(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::table:
      return "a table";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a float";
    case toml::node_type::boolean:
      return "a boolean";
    case toml::node_type::date:
      return "a date";
    case toml::node_type::time:
      return "a time";
    case toml::node_type::date_time:
      return "a date-time";
    case toml::node_type::none:
      break;
  }
  return "nothing";
}

Error SchemaReader::error_at(const toml::source_region& where, std::string detail,
                             std::string what) const {
  return Error{std::move(what), std::move(detail),
               fmt::format("{}:{}:{}", filename_, where.begin.line, where.begin.column)};
}

Error SchemaReader::wrong_type(const toml::node& node, std::string_view label,
                               std::string_view shape) const {
  return error_at(node.source(), fmt::format("{} must be {}, not {}", label, shape, a_type(node)));
}

Error SchemaReader::unknown_key(const toml::key& key, std::string_view heading,
                                std::span<const std::string_view> known) const {
  std::string detail = "unknown key " + key_name(key.str());
  if (!heading.empty()) detail += " in " + std::string(heading);
  return error_at(key.source(), detail + suggestion(key.str(), known));
}

Result<TablePlace> SchemaReader::section_place(const toml::node& node, const KeyType& type,
                                               const std::string& label) const {
  if (type.kind == KeyKind::tables) {
    if (!node.is_array()) return wrong_type(node, label, type.shape);
    return TablePlace{label, "[[" + label + "]]"};
  }
  if (!node.is_table()) return wrong_type(node, label, type.shape);
  return TablePlace{label, "[" + label + "]"};
}

Result<KeyValue> SchemaReader::decode(const toml::node& node, const KeyType& type,
                                      const std::string& label, std::string_view example) const {
  switch (type.kind) {
    case KeyKind::text:
    case KeyKind::path:
      return text(node, type, label, /*first=*/true);
    case KeyKind::duration:
      return duration(node, type, label, example);
    case KeyKind::whole:
      return whole(node, type, label);
    case KeyKind::number:
      return number(node, type, label);
    case KeyKind::flag:
      if (const auto* flag = node.as_boolean()) return KeyValue(flag->get());
      return wrong_type(node, label, "true or false");
    case KeyKind::list:
      return list(node, type, label);
    case KeyKind::headers:
      return headers(node, type, label);
    case KeyKind::table:
    case KeyKind::tables:
      break;  // read by their sections
  }
  return error_at(node.source(), label + " cannot be read here");
}

/// `first`: whether the string is a scalar or a list's first item (Emptiness::allowed_after_first).
Result<KeyValue> SchemaReader::text(const toml::node& node, const KeyType& type,
                                    const std::string& label, bool first) const {
  const auto* text = node.as_string();
  if (text == nullptr) return wrong_type(node, label, "a string");
  const bool may_be_empty =
      type.kind != KeyKind::path && (type.empty == Emptiness::allowed ||
                                     (type.empty == Emptiness::allowed_after_first && !first));
  if (text->get().empty()) {
    if (may_be_empty) return KeyValue(std::string());
    return error_at(node.source(), label + " must not be empty");
  }
  if (type.rule != nullptr) {
    if (std::optional<std::string> problem = type.rule->problem(text->get())) {
      return error_at(node.source(), label + " " + *problem);
    }
  }
  return KeyValue(text->get());
}

Result<KeyValue> SchemaReader::duration(const toml::node& node, const KeyType& type,
                                        const std::string& label, std::string_view example) const {
  const auto* text = node.as_string();
  if (text == nullptr) {
    return wrong_type(
        node, label,
        fmt::format(R"(a duration string such as "{}" ({}))", example, kDurationUnitsText));
  }
  Result<Milliseconds> value =
      parse_duration_between(text->get(), type.min_duration, type.max_duration);
  if (!value) {
    return error_at(node.source(), label + " " + value.error().detail, value.error().what);
  }
  return KeyValue(*value);
}

Result<KeyValue> SchemaReader::whole(const toml::node& node, const KeyType& type,
                                     const std::string& label) const {
  const auto* integer = node.as_integer();
  if (integer == nullptr) return wrong_type(node, label, whole_shape(type));
  if (integer->get() < type.min_whole || integer->get() > type.max_whole) {
    return error_at(node.source(), fmt::format("{} = {} is outside {} to {}", label, integer->get(),
                                               type.min_whole, type.max_whole));
  }
  return KeyValue(integer->get());
}

Result<KeyValue> SchemaReader::number(const toml::node& node, const KeyType& type,
                                      const std::string& label) const {
  double value = 0;
  if (const auto* integer = node.as_integer()) {
    value = static_cast<double>(integer->get());
  } else if (const auto* floating = node.as_floating_point()) {
    value = floating->get();
  } else {
    return wrong_type(node, label, number_shape(type));
  }
  if (!number_in_range(value, type))
    return error_at(node.source(), number_outside_text(label, value, type));
  return KeyValue(value);
}

Result<KeyValue> SchemaReader::list(const toml::node& node, const KeyType& type,
                                    const std::string& label) const {
  if (type.lone_text && node.is_string()) {
    Result<KeyValue> lone = text(node, type, label, /*first=*/true);
    if (!lone) return lone;
    return KeyValue(std::vector<std::string>{std::get<std::string>(std::move(*lone))});
  }
  const toml::array* array = node.as_array();
  if (array == nullptr) return wrong_type(node, label, type.shape);
  if (array->empty() && !type.when_empty.empty()) {
    return error_at(node.source(), label + " " + std::string(type.when_empty));
  }
  std::vector<std::string> items;
  for (std::size_t i = 0; i < array->size(); ++i) {
    Result<KeyValue> item = text(*array->get(i), type, fmt::format("{}[{}]", label, i), i == 0);
    if (!item) return item;
    items.push_back(std::get<std::string>(std::move(*item)));
  }
  return KeyValue(std::move(items));
}

/// Names are HTTP tokens and compare without case, as HTTP compares them; values may hold a
/// tab but no other control character, so no value can end a header line early.
Result<KeyValue> SchemaReader::headers(const toml::node& node, const KeyType& type,
                                       const std::string& label) const {
  const toml::table* table = node.as_table();
  if (table == nullptr) return wrong_type(node, label, type.shape);
  HeaderList headers;
  for (const TomlMember& member : members_in_file_order(*table)) {
    const std::string name(member.key->str());
    if (!valid_header_name(name)) {
      return error_at(member.key->source(),
                      label + " has an invalid header name " + key_name(name));
    }
    const std::string folded = ascii::lowercase(name);
    if (std::any_of(headers.begin(), headers.end(),
                    [&](const auto& h) { return ascii::lowercase(h.first) == folded; })) {
      return error_at(member.key->source(), label + " gives header " + key_name(name) + " twice");
    }
    const auto* value = member.node->as_string();
    if (value == nullptr) return wrong_type(*member.node, label + "." + name, "a string");
    const std::string& text = value->get();
    if (std::any_of(text.begin(), text.end(), [](char c) { return is_control(c) && c != '\t'; })) {
      return error_at(member.node->source(),
                      label + "." + name + " must not contain line breaks or control characters");
    }
    headers.emplace_back(name, text);
  }
  return KeyValue(std::move(headers));
}

}  // namespace devops_monitor
