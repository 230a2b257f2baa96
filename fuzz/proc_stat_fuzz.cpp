// parse_proc_stat() and cpu_busy_percent(): any two /proc/stat texts (split at the first NUL
// byte: the reading before and after the window) give an error or a percentage in 0-100.
#include <cmath>

#include "fuzz_support.hpp"
#include "system/cpu.hpp"

using namespace devops_monitor;

FUZZ_TARGET(proc_stat) {
  const std::string_view input = fuzz::as_text(data, size);
  const std::size_t split = input.find('\0');
  const std::string_view first = input.substr(0, split);
  const std::string_view second = split == std::string_view::npos ? input : input.substr(split + 1);

  const Result<CpuStat> before = parse_proc_stat(first, "/proc/stat");
  const Result<CpuStat> after = parse_proc_stat(second, "/proc/stat");
  if (before) FUZZ_CHECK(before->cpu_count > 0, "no CPUs");
  if (!before || !after) return 0;
  const Result<double> percent = cpu_busy_percent(before->total, after->total, "/proc/stat");
  if (percent) {
    FUZZ_CHECK(std::isfinite(*percent) && *percent >= 0.0 && *percent <= 100.0,
               std::to_string(*percent));
  }
  return 0;
}
