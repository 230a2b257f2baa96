#include "system/procfs.hpp"

#include <array>
#include <charconv>

#include "util/file_io.hpp"

namespace devops_monitor {
namespace {

bool is_field_separator(char c) {
  return c == ' ' || c == '\t';
}

}  // namespace

Result<std::string> read_procfs_file(const std::filesystem::path& procfs, const std::string& name) {
  return read_file(procfs / name, "cannot read procfs file");
}

Result<void> require_complete_text(std::string_view text, const std::string& where) {
  if (text.empty()) {
    return Error{.what = "procfs file is empty", .detail = "", .where = where};
  }
  if (text.back() != '\n') {
    return Error{.what = "procfs file is truncated",
                 .detail = "the last line does not end with a newline",
                 .where = where};
  }
  return {};
}

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    const std::size_t end = text.find('\n');
    if (end == std::string_view::npos) {
      lines.push_back(text);
      break;
    }
    lines.push_back(text.substr(0, end));
    text.remove_prefix(end + 1);
  }
  return lines;
}

std::vector<std::string_view> split_fields(std::string_view line) {
  std::vector<std::string_view> fields;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && is_field_separator(line[i])) ++i;
    const std::size_t start = i;
    while (i < line.size() && !is_field_separator(line[i])) ++i;
    if (i > start) fields.push_back(line.substr(start, i - start));
  }
  return fields;
}

std::optional<std::uint64_t> parse_u64(std::string_view token) {
  std::uint64_t value = 0;
  const char* end = token.data() + token.size();
  // from_chars accepts no sign and no spaces, so "-1", "+1" and " 1" are refused here.
  const auto [ptr, ec] = std::from_chars(token.data(), end, value);
  if (ec != std::errc{} || ptr != end || token.empty()) return std::nullopt;
  return value;
}

std::string describe_bad_u64(std::string_view token) {
  std::uint64_t value = 0;
  const auto result = std::from_chars(token.data(), token.data() + token.size(), value);
  if (result.ec == std::errc::result_out_of_range) {
    return "'" + std::string(token) + "' does not fit in 64 bits";
  }
  return "'" + std::string(token) + "' is not a non-negative integer";
}

std::string where_line(const std::string& where, std::size_t line_index) {
  return where + ":" + std::to_string(line_index + 1);
}

}  // namespace devops_monitor
