#include "config/toml_parse.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <utility>

#include "config/toml_guard.hpp"

namespace devops_monitor {
namespace {

std::string newlines_as_spaces(std::string_view text) {
  std::string out(text);
  std::replace_if(
      out.begin(), out.end(), [](char c) { return c == '\n' || c == '\r'; }, ' ');
  return out;
}

/// toml::parse, with its error as an Error; `error_at` (if given) gets the error's position.
Result<toml::table> parse_toml_unguarded(std::string_view text, const std::string& filename,
                                         toml::source_position* error_at = nullptr) {
  auto syntax_error = [&](const toml::parse_error& error) {
    const toml::source_position begin = error.source().begin;
    if (error_at != nullptr) *error_at = begin;
    return Error{"config syntax error", newlines_as_spaces(error.description()),
                 fmt::format("{}:{}:{}", filename, begin.line, begin.column)};
  };
#if TOML_EXCEPTIONS
  try {
    return toml::parse(text, filename);
  } catch (const toml::parse_error& error) {
    return syntax_error(error);
  }
#else
  toml::parse_result parsed = toml::parse(text, filename);
  if (!parsed) return syntax_error(parsed.error());
  return std::move(parsed).table();
#endif
}

}  // namespace

Result<toml::table> parse_config_toml(std::string_view text, const std::string& filename) {
  const std::optional<UnsafeTomlSpot> spot = find_unsafe_toml(text);
  if (!spot) return parse_toml_unguarded(text, filename);
  // toml++ parses a copy with every such spot blanked out, so that a mistake before the
  // first spot is reported first, as toml++ reports the first mistake of a file.
  toml::source_position error_at{};
  Result<toml::table> defused = parse_toml_unguarded(defuse_toml(text), filename, &error_at);
  const bool earlier =
      error_at.line < spot->line || (error_at.line == spot->line && error_at.column < spot->column);
  if (!defused && earlier) return defused.error();
  return Error{"config syntax error", spot->problem,
               fmt::format("{}:{}:{}", filename, spot->line, spot->column)};
}

}  // namespace devops_monitor
