#include "system/load.hpp"

#include <charconv>
#include <cmath>
#include <optional>
#include <vector>

#include "system/procfs.hpp"

namespace devops_monitor {
namespace {

/// A load average as the kernel prints it: a non-negative decimal such as "0.52".
std::optional<double> parse_load(std::string_view token) {
  double value = 0.0;
  const char* end = token.data() + token.size();
  const auto [ptr, ec] = std::from_chars(token.data(), end, value, std::chars_format::fixed);
  if (ec != std::errc{} || ptr != end || !std::isfinite(value) || value < 0.0) return std::nullopt;
  return value;
}

/// "running/total", the fourth field.
bool is_task_counts(std::string_view token) {
  const std::size_t slash = token.find('/');
  if (slash == std::string_view::npos) return false;
  return parse_u64(token.substr(0, slash)) && parse_u64(token.substr(slash + 1));
}

Error malformed(const std::string& detail, const std::string& where) {
  return Error{.what = "invalid loadavg", .detail = detail, .where = where};
}

}  // namespace

Result<LoadAverage> parse_loadavg(std::string_view text, const std::string& where) {
  if (Result<void> complete = require_complete_text(text, where); !complete) {
    return complete.error();
  }
  const std::vector<std::string_view> lines = split_lines(text);
  const std::vector<std::string_view> fields = split_fields(lines.front());
  // All five fields are checked, not just the three we use, so that some other file put in
  // its place is refused rather than read as load averages.
  if (lines.size() != 1 || fields.size() != 5) {
    return malformed("expected one line \"<1min> <5min> <15min> <running>/<total> <last pid>\"",
                     where);
  }
  std::optional<double> averages[3];
  for (int i = 0; i < 3; ++i) {
    averages[i] = parse_load(fields[i]);
    if (!averages[i]) {
      return malformed("'" + std::string(fields[i]) + "' is not a load average", where);
    }
  }
  if (!is_task_counts(fields[3])) {
    return malformed("'" + std::string(fields[3]) + "' is not <running>/<total>", where);
  }
  if (!parse_u64(fields[4])) {
    return malformed("'" + std::string(fields[4]) + "' is not a process id", where);
  }
  return LoadAverage{.one = *averages[0], .five = *averages[1], .fifteen = *averages[2]};
}

Result<LoadAverage> read_loadavg(const std::filesystem::path& procfs) {
  Result<std::string> text = read_procfs_file(procfs, "loadavg");
  if (!text) return text.error();
  return parse_loadavg(*text, (procfs / "loadavg").string());
}

}  // namespace devops_monitor
