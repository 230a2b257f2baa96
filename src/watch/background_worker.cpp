#include "watch/background_worker.hpp"

#include <chrono>
#include <exception>
#include <utility>

namespace devops_monitor::watch {
namespace {

/// After the grace, how long a cancelled action gets to be stopped and reaped.
constexpr Milliseconds kWorkerCancelWait{500};

}  // namespace

BackgroundWorker::BackgroundWorker(std::size_t limit, LogSink log)
    : limit_(limit == 0 ? 1 : limit), log_(std::move(log)), thread_([this] { loop(); }) {}

BackgroundWorker::~BackgroundWorker() {
  stop(Milliseconds(0));
}

void BackgroundWorker::post(std::string name, Job job) {
  std::string dropped;
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_) return;
    if (queue_.size() >= limit_) {
      dropped = std::move(queue_.front().name);
      queue_.pop_front();
    }
    queue_.push_back({std::move(name), std::move(job)});
  }
  changed_.notify_all();
  if (!dropped.empty()) {
    log_("falling behind: " + dropped + " dropped, " + std::to_string(limit_) +
         " newer jobs are queued");
  }
}

bool BackgroundWorker::stop(Milliseconds grace) {
  std::unique_lock<std::mutex> lock(mutex_);
  if (!thread_.joinable()) return true;
  stopping_ = true;
  changed_.notify_all();
  changed_.wait_for(lock, grace, [this] { return queue_.empty() && !running_job_; });
  if (!queue_.empty()) {
    log_(std::to_string(queue_.size()) + " queued deliveries or actions dropped: stopping");
    queue_.clear();
  }
  cancel_ = true;
  changed_.notify_all();
  changed_.wait_for(lock, kWorkerCancelWait, [this] { return finished_; });
  if (!finished_) return false;
  lock.unlock();
  thread_.join();
  return true;
}

std::size_t BackgroundWorker::pending() const {
  const std::lock_guard<std::mutex> lock(mutex_);
  return queue_.size() + (running_job_ ? 1 : 0);
}

void BackgroundWorker::loop() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    // An empty queue ends the thread only once stop() has given up waiting (cancel).
    changed_.wait(lock, [this] { return !queue_.empty() || cancel_.load(); });
    if (queue_.empty()) break;
    Queued next = std::move(queue_.front());
    queue_.pop_front();
    running_job_ = true;
    lock.unlock();
    // An exception leaving a thread would end the daemon (std::terminate): one log line.
    try {
      next.job(cancel_);
    } catch (const std::exception& e) {
      log_(next.name + ": unexpected failure: " + e.what());
    } catch (...) {
      log_(next.name + ": unexpected failure");
    }
    lock.lock();
    running_job_ = false;
    changed_.notify_all();
  }
  finished_ = true;
  changed_.notify_all();
}

}  // namespace devops_monitor::watch
