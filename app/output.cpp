#include "output.hpp"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include "devops_monitor/text.hpp"

namespace devops_monitor::cli {

void print(std::string_view text) {
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fflush(stdout);
}

int fail(const Error& error) {
  // Errors quote outside text (config values, procfs contents, paths, .env names): printable()
  // keeps it from driving the terminal.
  std::fprintf(stderr, "devops-monitor: %s\n", printable(error.message()).c_str());
  return kCannotRun;
}

void print_warnings(const std::vector<Error>& warnings) {
  for (const Error& warning : warnings) {
    std::fprintf(stderr, "devops-monitor: warning: %s\n", printable(warning.message()).c_str());
  }
}

bool use_color() {
  const char* no_color = std::getenv("NO_COLOR");
  return ::isatty(STDOUT_FILENO) == 1 && (no_color == nullptr || no_color[0] == '\0');
}

bool stderr_is_terminal() {
  return ::isatty(STDERR_FILENO) == 1;
}

}  // namespace devops_monitor::cli
