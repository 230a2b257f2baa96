#include "support/fake_procfs.hpp"

#include <poll.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cmath>
#include <fmt/format.h>

namespace devops_monitor::testing {

std::string stat_text(unsigned long long busy, unsigned long long idle, int cpu_count) {
  // busy is split over user and system; guest stays 0 so psutil's arithmetic is plain.
  const unsigned long long user = busy / 2;
  const unsigned long long system = busy - user;
  std::string text = fmt::format("cpu  {} 0 {} {} 0 0 0 0 0 0\n", user, system, idle);
  for (int i = 0; i < cpu_count; ++i) {
    text += fmt::format("cpu{} {} 0 {} {} 0 0 0 0 0 0\n", i, user / cpu_count, system / cpu_count,
                        idle / cpu_count);
  }
  text += "intr 0\nctxt 12345\nbtime 1700000000\nprocesses 100\nprocs_running 1\nprocs_blocked 0\n";
  return text;
}

std::string meminfo_text(double percent) {
  const unsigned long long total_kb = 16ULL * 1024 * 1024;
  const auto available_kb =
      static_cast<unsigned long long>(std::llround(total_kb * (100.0 - percent) / 100.0));
  return fmt::format(
      "MemTotal:       {} kB\nMemFree:        {} kB\nMemAvailable:   {} kB\n"
      "Buffers:           1024 kB\nCached:          204800 kB\nSwapTotal:             0 kB\n",
      total_kb, available_kb / 2, available_kb);
}

FakeProcfs::FakeProcfs(const ProcfsValues& values) {
  // 10000 ticks over the window: enough resolution for one decimal.
  const unsigned long long ticks = 10000;
  const auto busy = static_cast<unsigned long long>(std::llround(ticks * values.cpu_percent / 100.0));
  write_text(dir_ / "stat", stat_text(100000, 500000, values.cpu_count));
  write_text(dir_ / "meminfo", meminfo_text(values.memory_percent));
  write_text(dir_ / "loadavg", values.loadavg);
  std::string later = stat_text(100000 + busy, 500000 + (ticks - busy), values.cpu_count);
  feeder_ = std::thread([this, later] { advance_after_first_read(later); });
}

FakeProcfs::~FakeProcfs() {
  stop_ = true;
  if (feeder_.joinable()) feeder_.join();
}

void FakeProcfs::advance_after_first_read(std::string later_stat) {
  const int fd = ::inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
  if (fd < 0) return;
  const std::filesystem::path stat = dir_ / "stat";
  ::inotify_add_watch(fd, stat.c_str(), IN_CLOSE_NOWRITE);
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (!stop_ && std::chrono::steady_clock::now() < give_up) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 20) <= 0) continue;
    std::array<char, 4096> events{};
    if (::read(fd, events.data(), events.size()) <= 0) continue;
    // The first reading is done: the next one sees the counters advanced.
    write_text(dir_ / "stat.next", later_stat);
    std::filesystem::rename(dir_ / "stat.next", stat);
    break;
  }
  ::close(fd);
}

}  // namespace devops_monitor::testing
