#include "support/fake_procfs.hpp"

#include <poll.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <fmt/format.h>
#include <array>
#include <chrono>
#include <cmath>

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

void set_memory_percent(const FakeProcfs& procfs, double percent) {
  write_text(procfs.root() / "meminfo.next", meminfo_text(percent));
  std::filesystem::rename(procfs.root() / "meminfo.next", procfs.root() / "meminfo");
}

FakeProcfs::FakeProcfs(const ProcfsValues& values) {
  write_text(dir_ / "meminfo", meminfo_text(values.memory_percent));
  write_text(dir_ / "loadavg", values.loadavg);
  // 10000 ticks per step: enough resolution for one decimal.
  constexpr unsigned long long kTicks = 10000;
  const auto busy =
      static_cast<unsigned long long>(std::llround(kTicks * values.cpu_percent / 100.0));
  auto sample = [=, cpus = values.cpu_count](unsigned long long step) {
    return stat_text(100000 + step * busy, 500000 + step * (kTicks - busy), cpus);
  };
  write_text(dir_ / "stat", sample(0));
  // Watching starts before the constructor returns, so no read can be missed; the directory
  // is watched, not the file: the file is replaced at every step.
  inotify_fd_ = ::inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
  if (inotify_fd_ >= 0) ::inotify_add_watch(inotify_fd_, dir_.path().c_str(), IN_CLOSE_NOWRITE);
  feeder_ = std::thread([this, sample] { advance_after_each_read(sample); });
}

FakeProcfs::~FakeProcfs() {
  stop_ = true;
  if (feeder_.joinable()) feeder_.join();
  if (inotify_fd_ >= 0) ::close(inotify_fd_);
}

void FakeProcfs::advance_after_each_read(
    const std::function<std::string(unsigned long long)>& sample) {
  const int fd = inotify_fd_;
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::minutes(5);
  unsigned long long step = 0;
  while (!stop_ && std::chrono::steady_clock::now() < give_up) {
    pollfd p{fd, POLLIN, 0};
    // Also every 20 ms without a read: on a loaded machine this thread may wake late, and any
    // number of steps between two readings gives the same percent, but none gives an error.
    const bool event = fd >= 0 && ::poll(&p, 1, 20) > 0;
    if (!event) {
      if (fd < 0) std::this_thread::sleep_for(std::chrono::milliseconds(20));
      write_text(dir_ / "stat.next", sample(++step));
      std::filesystem::rename(dir_ / "stat.next", dir_ / "stat");
      continue;
    }
    alignas(inotify_event) std::array<char, 4096> buffer{};
    const ssize_t length = ::read(fd, buffer.data(), buffer.size());
    bool stat_was_read = false;
    for (ssize_t offset = 0; offset < length;) {
      const auto* event = reinterpret_cast<const inotify_event*>(buffer.data() + offset);
      stat_was_read |= event->len > 0 && std::string(event->name) == "stat";
      offset += static_cast<ssize_t>(sizeof(inotify_event) + event->len);
    }
    if (!stat_was_read) continue;
    ++stat_reads_;
    // A reading is done: the next one sees the counters one step further.
    write_text(dir_ / "stat.next", sample(++step));
    std::filesystem::rename(dir_ / "stat.next", dir_ / "stat");
  }
}

}  // namespace devops_monitor::testing
