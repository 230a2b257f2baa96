#include "support/watch_process.hpp"

#include "support/waiting.hpp"

namespace devops_monitor::testing {
namespace {

Process start_watch(MonitorWorld& world, const std::vector<std::string>& args,
                    const std::filesystem::path& log_file) {
  RunOptions options = world.run_options(args);
  options.args.insert(options.args.begin(),
                      {"-c", "exec \"$0\" \"$@\" 2>>" + log_file.string(), monitor_binary()});
  options.timeout = std::chrono::seconds(60);
  return Process("/bin/sh", options);
}

}  // namespace

WatchProcess::WatchProcess(MonitorWorld& world, const std::vector<std::string>& args)
    : log_file_(world.dir / "watch.log"), process_(start_watch(world, args, log_file_)) {}

std::string WatchProcess::log() const {
  std::error_code ec;
  return std::filesystem::exists(log_file_, ec) ? read_text(log_file_) : std::string();
}

std::size_t WatchProcess::checks() const {
  return count_of(log(), "devops-monitor: check ");
}

bool WatchProcess::wait_for_log(const std::string& needle, std::size_t times,
                                std::chrono::milliseconds limit) {
  return wait_until([&] { return count_of(log(), needle) >= times; }, limit);
}

bool WatchProcess::wait_for_checks(std::size_t n) {
  return wait_until([&] { return checks() >= n; });
}

RunResult WatchProcess::stop(int signal) {
  const auto start = std::chrono::steady_clock::now();
  process_.kill(signal);
  RunResult result = process_.wait();
  took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                               start);
  return result;
}

}  // namespace devops_monitor::testing
