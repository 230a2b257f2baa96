#include "serve/auth_checks.hpp"

#include <algorithm>
#include <utility>

#include "serve/server_libraries.hpp"

namespace devops_monitor::serve {

AuthChecks::AuthChecks(BasicAuth& auth) : auth_(auth), thread_([this] { run(); }) {}

AuthChecks::~AuthChecks() {
  stop();
}

bool AuthChecks::check_later(MHD_Connection* connection, std::string authorization,
                             std::atomic<AuthVerdict>& verdict) {
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_) return false;
    // Queued first (that may throw; nothing is suspended then), suspended while the lock
    // still keeps the thread from taking the check and resuming the connection too early.
    queue_.push_back(Check{connection, std::move(authorization), &verdict});
    microhttpd().suspend_connection(connection);
  }
  wake_.notify_one();
  return true;
}

void AuthChecks::stop() {
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  std::deque<Check> left;
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    left.swap(queue_);
  }
  for (Check& check : left) finish(check, AuthVerdict::denied);
}

void AuthChecks::run() {
  for (;;) {
    Check check;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      check = std::move(queue_.front());
      queue_.pop_front();
    }
    const bool allowed = auth_.allows(check.authorization);
    finish(check, allowed ? AuthVerdict::allowed : AuthVerdict::denied);
  }
}

void AuthChecks::finish(Check& check, AuthVerdict verdict) {
  std::fill(check.authorization.begin(), check.authorization.end(), '\0');
  check.verdict->store(verdict);
  microhttpd().resume_connection(check.connection);
}

}  // namespace devops_monitor::serve
