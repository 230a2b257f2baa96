#include "gnutls_restart.hpp"

#include <limits.h>
#include <unistd.h>

#include <array>
#include <cstdlib>
#include <string_view>

namespace devops_monitor::cli {
namespace {

constexpr const char* kGnutlsSkip = "GNUTLS_NO_IMPLICIT_INIT";
// Says the variable above was set by this restart, not by the user.
constexpr const char* kRestartMarker = "DEVOPS_MONITOR_GNUTLS_RESTART";

bool starts_a_daemon(char** argv) {
  for (char** arg = argv + 1; *arg != nullptr; ++arg) {
    const std::string_view word(*arg);
    if (word == "serve" || word == "watch") return true;
  }
  return false;
}

void clear_restart_variables() {
  ::unsetenv(kRestartMarker);
  ::unsetenv(kGnutlsSkip);
}

}  // namespace

void restart_without_gnutls_init(char** argv) {
  if (std::getenv(kRestartMarker) != nullptr) {
    clear_restart_variables();
    return;
  }
  if (std::getenv(kGnutlsSkip) != nullptr || argv[0] == nullptr || !starts_a_daemon(argv)) return;
  // The path /proc/self/exe names, not the link itself: under valgrind the link is the
  // tool's own binary, which refuses to be run directly.
  std::array<char, PATH_MAX> self{};
  const ssize_t length = ::readlink("/proc/self/exe", self.data(), self.size() - 1);
  if (length > 0 &&
      std::string_view(self.data(), static_cast<std::size_t>(length)).find(" (deleted)") ==
          std::string_view::npos) {
    if (::setenv(kGnutlsSkip, "1", 1) == 0 && ::setenv(kRestartMarker, "1", 1) == 0) {
      ::execv(self.data(), argv);
    }
  }
  // No /proc, or the binary replaced since it started: run on, with GnuTLS initialised.
  clear_restart_variables();
}

}  // namespace devops_monitor::cli
