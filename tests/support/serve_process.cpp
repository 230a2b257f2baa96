#include "support/serve_process.hpp"

#include <chrono>
#include <regex>

namespace devops_monitor::testing {

int serve_port_after_first_round(Process& serve, std::string& err) {
  using std::chrono::milliseconds;
  const auto until = std::chrono::steady_clock::now() + milliseconds(15000);
  // The whole line: the port's digits may arrive in a later read than "listening on".
  const std::regex line(R"(listening on 127\.0\.0\.1:(\d+)[ \n])");
  err = serve.read_err_until("keys checked", milliseconds(15000));
  std::smatch match;
  while (!std::regex_search(err, match, line) && std::chrono::steady_clock::now() < until) {
    err = serve.read_err_until("\x01 (never said)", milliseconds(50));
  }
  if (err.find("keys checked") == std::string::npos || !std::regex_search(err, match, line)) {
    return 0;
  }
  return std::stoi(match[1]);
}

}  // namespace devops_monitor::testing
