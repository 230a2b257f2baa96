// One thread that carries out what a check decided (webhook deliveries, actions), in order,
// so none of it delays the next check. The queue is bounded: when it piles up (a receiver
// that hangs for its whole timeout every check), the oldest job is dropped, with a log line.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "devops_monitor/duration.hpp"

namespace devops_monitor::watch {

using LogSink = std::function<void(std::string_view line)>;

class BackgroundWorker {
 public:
  /// `cancel` is set when the worker is stopping: a long job (an action) ends early.
  using Job = std::function<void(const std::atomic<bool>& cancel)>;

  BackgroundWorker(std::size_t limit, LogSink log);
  /// stop(0) if not stopped yet. Must not be reached while a job is still running after a
  /// failed stop(): the owner then leaves the process with _exit (see watch_command.cpp).
  ~BackgroundWorker();
  BackgroundWorker(const BackgroundWorker&) = delete;
  BackgroundWorker& operator=(const BackgroundWorker&) = delete;

  /// Queues `job`; `name` ("webhooks[0]", "action on_critical") names it if it is dropped.
  void post(std::string name, Job job);

  /// Takes no more jobs; waits up to `grace` for the queue to empty, then drops what is left
  /// (one log line), sets `cancel` and waits a moment more for the running job. True when the
  /// thread ended and was joined; false when a job still runs (a delivery stuck in the
  /// network until its own timeout).
  bool stop(Milliseconds grace);

  /// Queued and running jobs (for tests).
  [[nodiscard]] std::size_t pending() const;

 private:
  void loop();

  struct Queued {
    std::string name;
    Job job;
  };
  const std::size_t limit_;
  LogSink log_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Queued> queue_;
  bool running_job_ = false;
  bool stopping_ = false;
  bool finished_ = false;
  std::atomic<bool> cancel_{false};
  std::thread thread_;
};

}  // namespace devops_monitor::watch
