// A background thread that its owner waits for only so long when stopping: the engine's
// sampler and key rounds.
#pragma once

#include <chrono>
#include <future>
#include <thread>

namespace devops_monitor::engine {

/// A background thread that stop() waits for only so long: a thread blocked in a stuck
/// disk probe (bounded by the mount timeout, but that can be minutes) is let go rather than
/// holding the process, and holds only a share of the state it works on.
class Worker {
 public:
  template <typename Body>
  explicit Worker(Body body) {
    std::promise<void> finished;
    done_ = finished.get_future();
    thread_ = std::thread([body = std::move(body), finished = std::move(finished)]() mutable {
      body();
      finished.set_value();
    });
  }
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;
  ~Worker() { stop_waiting_at(std::chrono::steady_clock::now()); }

  /// Waits for the thread until `until`, then lets it go. True when it ended.
  bool stop_waiting_at(std::chrono::steady_clock::time_point until) {
    if (!thread_.joinable()) return true;
    if (done_.wait_until(until) == std::future_status::ready) {
      thread_.join();
      return true;
    }
    thread_.detach();
    return false;
  }

 private:
  std::future<void> done_;
  std::thread thread_;
};

}  // namespace devops_monitor::engine
