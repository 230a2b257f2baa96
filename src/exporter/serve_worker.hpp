// A background thread that its owner waits for only so long when stopping: serve's sampler
// and key rounds, the dashboard's too.
#pragma once

#include <chrono>
#include <future>
#include <thread>

namespace devops_monitor::exporter {

/// A background thread that stop() waits for only so long: a thread blocked in a stuck
/// disk probe (bounded by the mount timeout, but that can be minutes) is let go rather than
/// holding the process, and holds only a share of `Shared`.
class ServeWorker {
 public:
  template <typename Body>
  explicit ServeWorker(Body body) {
    std::promise<void> finished;
    done_ = finished.get_future();
    thread_ = std::thread([body = std::move(body), finished = std::move(finished)]() mutable {
      body();
      finished.set_value();
    });
  }
  ServeWorker(const ServeWorker&) = delete;
  ServeWorker& operator=(const ServeWorker&) = delete;
  ~ServeWorker() { stop_waiting_at(std::chrono::steady_clock::now()); }

  void stop_waiting_at(std::chrono::steady_clock::time_point until) {
    if (!thread_.joinable()) return;
    if (done_.wait_until(until) == std::future_status::ready) {
      thread_.join();
    } else {
      thread_.detach();
    }
  }

 private:
  std::future<void> done_;
  std::thread thread_;
};

}  // namespace devops_monitor::exporter
