#include "system/cpu.hpp"

#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "system/procfs.hpp"

namespace devops_monitor {
namespace {

// The counters of the aggregate line in kernel order, which is also psutil's field order.
constexpr std::array<std::uint64_t CpuTimes::*, 10> kCounters = {
    &CpuTimes::user,   &CpuTimes::nice,      &CpuTimes::system,  &CpuTimes::idle,
    &CpuTimes::iowait, &CpuTimes::irq,       &CpuTimes::softirq, &CpuTimes::steal,
    &CpuTimes::guest,  &CpuTimes::guest_nice};
constexpr std::array<const char*, 10> kCounterNames = {
    "user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal", "guest", "guest_nice"};

// Kernels before 2.5.41 print only user, nice, system and idle; the rest were added later
// (iowait, irq, softirq 2.6; steal 2.6.11; guest 2.6.24; guest_nice 2.6.33).
constexpr std::size_t kMinCounters = 4;

bool is_per_cpu_label(std::string_view label) {
  if (label.size() <= 3 || !label.starts_with("cpu")) return false;
  return std::all_of(label.begin() + 3, label.end(), [](char c) { return c >= '0' && c <= '9'; });
}

Result<CpuTimes> parse_aggregate_line(const std::vector<std::string_view>& fields,
                                      const std::string& where) {
  const std::size_t counters = fields.size() - 1;  // fields[0] is "cpu"
  if (counters < kMinCounters) {
    return Error{.what = "aggregate cpu line is too short",
                 .detail = "it has " + std::to_string(counters) +
                           " counters; at least user, nice, system and idle are needed",
                 .where = where};
  }
  CpuTimes times;
  // Counters past guest_nice would be fields a newer kernel added; psutil ignores them too.
  for (std::size_t i = 0; i < std::min(counters, kCounters.size()); ++i) {
    const std::optional<std::uint64_t> value = parse_u64(fields[i + 1]);
    if (!value) {
      return Error{.what = "invalid cpu time counter",
                   .detail = std::string(kCounterNames[i]) + ": " + describe_bad_u64(fields[i + 1]),
                   .where = where};
    }
    times.*kCounters[i] = *value;
  }
  return times;
}

/// USER_HZ, the unit of /proc/stat. psutil divides by os.sysconf("SC_CLK_TCK"), so we ask
/// the same question (the answer is 100 on every Linux we know of).
double clock_ticks_per_second() {
  static const double ticks = [] {
    const long value = ::sysconf(_SC_CLK_TCK);
    return value > 0 ? static_cast<double>(value) : 100.0;
  }();
  return ticks;
}

/// Each counter's advance in seconds, computed exactly as psutil does it in floating point:
/// both readings converted to seconds first, then subtracted, and a counter that went
/// backwards (iowait can, on Linux) counts as 0 instead of cancelling others' progress.
/// Doing the same operations in the same order keeps the last bits identical, which decides
/// the rounding of ties such as 102 busy ticks out of 160: psutil says 63.8, while
/// 102.0 / 160 * 100 says 63.7. (The sum below is left to right like sum() in Python 3.11,
/// Debian 12's; Python 3.12 made sum() compensated, and the parity test would notice.)
std::array<double, 10> counter_deltas(const CpuTimes& before, const CpuTimes& after) {
  const double hz = clock_ticks_per_second();
  std::array<double, 10> deltas{};
  for (std::size_t i = 0; i < kCounters.size(); ++i) {
    const double delta = static_cast<double>(after.*kCounters[i]) / hz -
                         static_cast<double>(before.*kCounters[i]) / hz;
    deltas[i] = std::max(0.0, delta);
  }
  return deltas;
}

}  // namespace

Result<CpuStat> parse_proc_stat(std::string_view text, const std::string& where) {
  if (Result<void> complete = require_complete_text(text, where); !complete) {
    return complete.error();
  }
  const std::vector<std::string_view> lines = split_lines(text);
  std::optional<CpuTimes> aggregate;
  int cpu_count = 0;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::vector<std::string_view> fields = split_fields(lines[i]);
    if (fields.empty()) continue;
    if (fields[0] == "cpu" && !aggregate) {
      Result<CpuTimes> times = parse_aggregate_line(fields, where_line(where, i));
      if (!times) return times.error();
      aggregate = *times;
    } else if (is_per_cpu_label(fields[0])) {
      ++cpu_count;
    }
  }
  if (!aggregate) {
    return Error{.what = "no aggregate cpu line",
                 .detail = "expected a line starting with \"cpu \"",
                 .where = where};
  }
  if (cpu_count == 0) {
    // Every kernel lists at least cpu0; a count of 0 would be reported as a real number.
    return Error{.what = "no per-CPU lines",
                 .detail = "expected lines starting with \"cpu0\", \"cpu1\", ...",
                 .where = where};
  }
  return CpuStat{.total = *aggregate, .cpu_count = cpu_count};
}

Result<CpuStat> read_cpu_stat(const std::filesystem::path& procfs) {
  Result<std::string> text = read_procfs_file(procfs, "stat");
  if (!text) return text.error();
  return parse_proc_stat(*text, (procfs / "stat").string());
}

Result<double> cpu_busy_percent(const CpuTimes& before, const CpuTimes& after,
                                const std::string& where) {
  const std::array<double, 10> d = counter_deltas(before, after);
  // psutil's _cpu_tot_time: the sum of all counters, minus guest and guest_nice because the
  // kernel already counts guest time inside user and nice.
  double total = 0.0;
  for (double delta : d) total += delta;
  total -= d[8];  // guest
  total -= d[9];  // guest_nice
  // psutil's _cpu_busy_time: iowait is time the CPU sat idle waiting for I/O.
  double busy = total;
  busy -= d[3];  // idle
  busy -= d[4];  // iowait
  if (!(total > 0.0)) {
    // psutil returns 0.0 here; a made-up 0% would read as "idle machine", so we say why.
    return Error{.what = "CPU counters did not advance during the measurement window",
                 .detail =
                     "the two readings of the aggregate cpu line show no elapsed CPU time; "
                     "the procfs is not live or the window is too short",
                 .where = where};
  }
  return std::clamp(round_to_tenth(busy / total * 100), 0.0, 100.0);
}

}  // namespace devops_monitor
