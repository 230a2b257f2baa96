#include "config/type_words.hpp"

#include <fmt/format.h>

#include <cmath>
#include <vector>

namespace devops_monitor {

std::string plain_number(double value) {
  if (std::isfinite(value) && value == std::floor(value) && std::fabs(value) < 1e15) {
    return fmt::format("{:.0f}", value);
  }
  return fmt::format("{}", value);
}

std::string whole_shape(const KeyType& type) {
  const std::string unit = type.unit.empty() ? "" : " of " + std::string(type.unit);
  return fmt::format("a whole number{} from {} to {}", unit, type.min_whole, type.max_whole);
}

std::string number_shape(const KeyType& type) {
  return fmt::format("a number from {} to {}", plain_number(type.min_number),
                     plain_number(type.max_number));
}

std::string key_type_name(const KeyType& type) {
  switch (type.kind) {
    case KeyKind::text:
      return "string";
    case KeyKind::path:
      return "path";
    case KeyKind::duration:
      return "duration";
    case KeyKind::whole:
      return type.unit.empty() ? "integer" : "integer (" + std::string(type.unit) + ")";
    case KeyKind::number:
      return type.unit.empty() ? "number" : "number (" + std::string(type.unit) + ")";
    case KeyKind::flag:
      return "boolean";
    case KeyKind::list:
      if (type.lone_text) return "string or array of strings";
      return "array of " + std::string(type.unit.empty() ? "strings" : type.unit);
    case KeyKind::headers:
      return "table of strings";
    case KeyKind::table:
      return "table";
    case KeyKind::tables:
      return "array of tables";
  }
  return "";
}

namespace {

std::string semicolon_list(const std::vector<std::string>& parts) {
  std::string out;
  for (const std::string& part : parts) {
    if (part.empty()) continue;
    if (!out.empty()) out += "; ";
    out += part;
  }
  return out;
}

std::string text_range(const KeyType& type) {
  const std::string rule = type.rule != nullptr ? std::string(type.rule->doc) : "";
  if (type.empty == Emptiness::allowed) return rule.empty() ? "may be empty" : rule + ", or empty";
  return rule.empty() ? "not empty" : rule;
}

std::string list_range(const KeyType& type) {
  std::vector<std::string> parts;
  if (!type.when_empty.empty()) parts.emplace_back("at least one item");
  if (type.empty == Emptiness::refused) parts.emplace_back("no empty item");
  if (type.empty == Emptiness::allowed_after_first) parts.emplace_back("the first not empty");
  if (type.rule != nullptr) parts.emplace_back(type.rule->doc);
  return semicolon_list(parts);
}

}  // namespace

std::string key_range_text(const KeyType& type) {
  switch (type.kind) {
    case KeyKind::text:
      return text_range(type);
    case KeyKind::path:
      return "not empty";
    case KeyKind::duration:
      return fmt::format("`{}` to `{}`", format_duration(type.min_duration),
                         format_duration(type.max_duration));
    case KeyKind::whole:
      return fmt::format("{} to {}", type.min_whole, type.max_whole);
    case KeyKind::number:
      return fmt::format("{} to {}", plain_number(type.min_number), plain_number(type.max_number));
    case KeyKind::list:
      return list_range(type);
    case KeyKind::headers:
      return "names are HTTP tokens, compared without case; values without line breaks";
    case KeyKind::flag:
    case KeyKind::table:
    case KeyKind::tables:
      break;
  }
  return "";
}

bool number_in_range(double value, const KeyType& type) {
  return value >= type.min_number && value <= type.max_number;
}

std::string number_outside_text(std::string_view label, double value, const KeyType& type) {
  return fmt::format("{} = {} is outside {} to {}", label, value, plain_number(type.min_number),
                     plain_number(type.max_number));
}

}  // namespace devops_monitor
