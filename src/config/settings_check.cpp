#include "config/settings_check.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <string>

#include "util/file_io.hpp"

namespace devops_monitor {
namespace {

// Saving needs a moment after measuring, and a check needs its window.
constexpr Milliseconds kMinBeyondWindow{1000};

}  // namespace

Result<void> check_settings(const Settings& settings) {
  const Milliseconds deadline = settings.effective_deadline();
  if (deadline < settings.cpu_window + kMinBeyondWindow) {
    return Error{"invalid settings",
                 "deadline " + format_duration(deadline) +
                     " must be at least 1s longer than cpu_window " +
                     format_duration(settings.cpu_window),
                 "deadline"};
  }
  if (settings.disks.empty()) return Error{"invalid settings", "no disk to check", "disks"};
  if (settings.cpu_average < kMinCpuAverage || settings.cpu_average > kMaxCpuAverage) {
    return Error{"invalid settings",
                 "cpu_average " + format_duration(settings.cpu_average) + " must be 1s to 1h",
                 "cpu_average"};
  }
  if (settings.watch_confirm < kMinWatchConfirm || settings.watch_confirm > kMaxWatchConfirm) {
    return Error{"invalid settings",
                 "confirm " + std::to_string(settings.watch_confirm) + " must be 1 to 100",
                 "watch.confirm"};
  }
  if (!settings.ca_bundle.empty()) {
    // O_NONBLOCK | O_NOCTTY: a FIFO or a terminal given here must not hang the start.
    const int fd = ::open(settings.ca_bundle.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd < 0) return Error{"cannot read ca_bundle", errno_text(errno), settings.ca_bundle};
    struct stat info {};
    const bool regular = ::fstat(fd, &info) == 0 && S_ISREG(info.st_mode);
    ::close(fd);
    if (!regular) return Error{"cannot read ca_bundle", "not a file", settings.ca_bundle};
  }
  return {};
}

}  // namespace devops_monitor
