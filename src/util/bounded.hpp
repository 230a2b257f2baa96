// Waiting a bounded time for work that may block forever (a statfs on a stuck NFS or FUSE
// mount, a write to a hung report directory): the work runs on a thread of its own, and the
// caller stops waiting at its deadline. Such a thread cannot be cancelled; it is left to
// finish (or to die with the process) and its result is dropped.
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>

namespace devops_monitor {

/// Runs `work` (a callable returning T, owning everything it touches: capture by value) on
/// its own thread and waits for it until `deadline`. Returns its result, or nullopt when it
/// did not finish in time, threw, or no thread could be started.
template <class T, class Work>
std::optional<T> run_bounded(Work work, std::chrono::steady_clock::time_point deadline) {
  struct Shared {
    std::mutex mutex;
    std::condition_variable done;
    std::optional<T> result;
    bool finished = false;
  };
  auto shared = std::make_shared<Shared>();
  try {
    std::thread([shared, work = std::move(work)]() mutable {
      std::optional<T> result;
      try {
        result.emplace(work());
      } catch (...) {  // an exception must not end the process from a detached thread
      }
      const std::lock_guard lock(shared->mutex);
      shared->result = std::move(result);
      shared->finished = true;
      shared->done.notify_all();
    }).detach();
  } catch (const std::system_error&) {
    return std::nullopt;  // no thread to be had (EAGAIN): as if it never answered
  }
  std::unique_lock lock(shared->mutex);
  shared->done.wait_until(lock, deadline, [&] { return shared->finished; });
  return std::move(shared->result);
}

}  // namespace devops_monitor
