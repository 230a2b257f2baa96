#include "config/key_reference.hpp"

#include <vector>

#include "config/schema_doc.hpp"
#include "util/quote.hpp"

namespace devops_monitor {
namespace {

/// A table cell: one line, and a '|' that does not end the cell.
std::string table_cell(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (c == '|') out += '\\';
    out += c == '\n' ? ' ' : c;
  }
  return out;
}

std::string toml_list(const std::vector<std::string>& items) {
  std::string out = "[";
  for (const std::string& item : items) {
    if (out.size() > 1) out += ", ";
    out += in_quotes(item);
  }
  return out + "]";
}

std::string toml_headers(const HeaderList& headers) {
  std::string out = "{ ";
  for (const auto& [name, value] : headers) {
    if (out.size() > 2) out += ", ";
    out += name + " = " + in_quotes(value);
  }
  return out + " }";
}

/// The literal as TOML writes it, without the backticks; empty for "none".
struct LiteralOf {
  std::string operator()(bool v) const { return v ? "true" : "false"; }
  std::string operator()(std::int64_t v) const { return std::to_string(v); }
  std::string operator()(double v) const { return plain_number(v); }
  std::string operator()(Milliseconds v) const { return in_quotes(format_duration(v)); }
  std::string operator()(const std::string& v) const { return in_quotes(v); }
  std::string operator()(const std::vector<std::string>& v) const {
    return v.empty() ? "" : toml_list(v);
  }
  std::string operator()(const HeaderList& v) const { return v.empty() ? "" : toml_headers(v); }
};

}  // namespace

std::string key_default_text(const std::optional<KeyValue>& value) {
  const std::string literal = value ? std::visit(LiteralOf{}, *value) : "";
  return literal.empty() ? "none" : "`" + literal + "`";
}

std::string config_key_reference() {
  std::vector<KeyRow> rows;
  document_keys(settings_keys(), "", rows);
  std::string out = "| key | type | range | default | meaning |\n|---|---|---|---|---|\n";
  for (const KeyRow& row : rows) {
    out += "| `" + table_cell(row.key) + "` | " + table_cell(row.type) + " | " +
           table_cell(row.range) + " | " + table_cell(row.default_value) + " | " +
           table_cell(row.doc) + " |\n";
  }
  return out;
}

}  // namespace devops_monitor
