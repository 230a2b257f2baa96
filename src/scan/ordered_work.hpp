// Work on a stream of items by a few threads, with results handed on in the items' order: the
// scan walks directories on one thread while the others read and match files, and findings
// still come out in walk order. Bounded: at most `window` items are queued or waiting for an
// earlier one to finish, so a tree of a million files is never held in memory at once.
#pragma once

#include <algorithm>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <map>
#include <mutex>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

namespace devops_monitor::scan {

/// `work(item, state)` runs on a worker thread with that thread's own `State` (a reused read
/// buffer); `deliver(outcome)` runs in push order, one at a time. When either throws for an
/// item, everything before it is still delivered, nothing from it on, and finish() rethrows.
template <typename Item, typename Outcome, typename State>
class OrderedWork {
 public:
  using Work = std::function<Outcome(const Item&, State&)>;
  using Deliver = std::function<void(Outcome&&)>;

  OrderedWork(std::size_t threads, std::size_t window, Work work, Deliver deliver)
      : window_(std::max<std::size_t>(window, 1)),
        work_(std::move(work)),
        deliver_(std::move(deliver)) {
    try {
      for (std::size_t t = 0; t < threads; ++t) threads_.emplace_back([this] { run(); });
    } catch (const std::system_error&) {
      // Fewer threads than hoped; with none, push() does the work itself.
    }
  }
  ~OrderedWork() { stop(); }
  OrderedWork(const OrderedWork&) = delete;
  OrderedWork& operator=(const OrderedWork&) = delete;

  /// Queues `item`; waits while `window` items are still unfinished.
  void push(Item item) {
    if (threads_.empty()) {
      const std::size_t index = pushed_++;
      finish_one(index, index > first_failed_ ? Done{} : run_one(index, item, inline_state_));
      return;
    }
    std::unique_lock lock(mutex_);
    if (pushed_ - delivered_ >= window_) {
      // Woken once half the window is free, not for every item delivered.
      walker_waits_ = true;
      room_.wait(lock, [&] { return pushed_ - delivered_ <= window_ / 2; });
      walker_waits_ = false;
    }
    queue_.emplace_back(pushed_++, std::move(item));
    ready_.notify_one();
  }

  /// Waits for every pushed item; rethrows the first failure.
  void finish() {
    stop();
    if (failure_) std::rethrow_exception(std::exchange(failure_, nullptr));
  }

 private:
  struct Done {
    bool ok = false;
    Outcome outcome{};
    std::exception_ptr failure{};
  };

  Done run_one(std::size_t index, const Item& item, State& state) {
    try {
      return {true, work_(item, state), nullptr};
    } catch (...) {
      const std::scoped_lock lock(mutex_);
      first_failed_ = std::min(first_failed_, index);
      return {false, Outcome{}, std::current_exception()};
    }
  }

  void run() {
    State state{};
    std::unique_lock lock(mutex_);
    for (;;) {
      ready_.wait(lock, [&] { return !queue_.empty() || closed_; });
      if (queue_.empty()) return;
      std::pair<std::size_t, Item> next = std::move(queue_.front());
      queue_.pop_front();
      const bool skip = next.first > first_failed_;  // never delivered: an earlier one failed
      lock.unlock();
      Done done = skip ? Done{} : run_one(next.first, next.second, state);
      lock.lock();
      finish_locked(next.first, std::move(done));
    }
  }

  void finish_one(std::size_t index, Done done) {
    const std::scoped_lock lock(mutex_);
    finish_locked(index, std::move(done));
  }

  /// Delivers `index` and whatever waited for it, in order, up to the first failure.
  void finish_locked(std::size_t index, Done done) {
    waiting_.emplace(index, std::move(done));
    for (auto it = waiting_.begin(); it != waiting_.end() && it->first == delivered_;
         it = waiting_.erase(it), ++delivered_) {
      if (failure_) continue;
      if (!it->second.ok) {
        failure_ = it->second.failure;
        continue;
      }
      try {
        deliver_(std::move(it->second.outcome));
      } catch (...) {
        failure_ = std::current_exception();
        first_failed_ = std::min(first_failed_, it->first);
      }
    }
    if (walker_waits_ && pushed_ - delivered_ <= window_ / 2) room_.notify_all();
  }

  void stop() {
    {
      const std::scoped_lock lock(mutex_);
      closed_ = true;
    }
    ready_.notify_all();
    for (std::thread& thread : threads_) thread.join();
    threads_.clear();
  }

  std::size_t window_;
  Work work_;
  Deliver deliver_;
  std::mutex mutex_;
  std::condition_variable ready_;  // an item was queued, or no more will be
  std::condition_variable room_;   // half the window is free again
  std::deque<std::pair<std::size_t, Item>> queue_;
  std::map<std::size_t, Done> waiting_;  // finished, not yet delivered (an earlier one runs)
  std::size_t pushed_ = 0;
  std::size_t delivered_ = 0;
  bool closed_ = false;
  bool walker_waits_ = false;                                // push() waits for room
  std::size_t first_failed_ = static_cast<std::size_t>(-1);  // the earliest item that threw
  std::exception_ptr failure_;  // its exception, once delivery reached it
  State inline_state_{};
  std::vector<std::thread> threads_;
};

}  // namespace devops_monitor::scan
