#include "serve/connection_watch.hpp"

#include <sys/socket.h>

#include <algorithm>
#include <utility>

namespace devops_monitor::serve {

struct ConnectionWatch::Connection {
  int fd = -1;
  std::string client;
  Clock::time_point waiting_since;  // opened, or its last answer done
  bool waiting = true;              // for a request's line and headers (or idle between them)
  bool ended = false;               // shut down here; libmicrohttpd has yet to close it
};

ConnectionWatch::ConnectionWatch(Limits limits)
    : limits_(limits), thread_([this] { keep_deadlines(); }) {}

ConnectionWatch::~ConnectionWatch() {
  stop();
}

void ConnectionWatch::stop() {
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

bool ConnectionWatch::admit(std::string_view client) {
  const std::lock_guard<std::mutex> lock(mutex_);
  std::size_t live = 0;
  std::size_t from_client = 0;
  for (const auto& connection : open_) {
    if (connection->ended) continue;
    ++live;
    if (connection->client == client) ++from_client;
  }
  // A client at its cap makes room among its own connections, never among others'.
  if (from_client >= limits_.max_per_client) {
    Connection* own = longest_waiting(client);
    if (own == nullptr) return false;
    end(*own);
    return true;
  }
  if (live >= limits_.max_connections) {
    Connection* slowest = longest_waiting(std::nullopt);
    if (slowest == nullptr) return false;
    end(*slowest);
  }
  return true;
}

ConnectionWatch::Connection* ConnectionWatch::opened(int fd, std::string client) {
  auto connection = std::make_unique<Connection>();
  connection->fd = fd;
  connection->client = std::move(client);
  connection->waiting_since = Clock::now();
  Connection* handle = connection.get();
  bool sooner = false;
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    open_.push_back(std::move(connection));
    sooner = handle->waiting_since + limits_.request_deadline < next_deadline_;
  }
  if (sooner) wake_.notify_one();
  return handle;
}

void ConnectionWatch::request_arrived(Connection* connection) {
  const std::lock_guard<std::mutex> lock(mutex_);
  connection->waiting = false;
}

void ConnectionWatch::request_done(Connection* connection) {
  bool sooner = false;
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    connection->waiting = true;
    connection->waiting_since = Clock::now();
    sooner = connection->waiting_since + limits_.request_deadline < next_deadline_;
  }
  if (sooner) wake_.notify_one();
}

void ConnectionWatch::closed(Connection* connection) {
  const std::lock_guard<std::mutex> lock(mutex_);
  const auto found = std::find_if(open_.begin(), open_.end(),
                                  [&](const auto& each) { return each.get() == connection; });
  if (found != open_.end()) open_.erase(found);
}

// Every deadline is the same length after an event that happens now, so a new one is never
// earlier than those already waited for: the thread sleeps until the earliest, and is woken
// early only when it had none.
void ConnectionWatch::keep_deadlines() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stopping_) {
    const Clock::time_point now = Clock::now();
    Clock::time_point next = Clock::time_point::max();
    for (const auto& connection : open_) {
      if (!connection->waiting || connection->ended) continue;
      const Clock::time_point deadline = connection->waiting_since + limits_.request_deadline;
      if (deadline <= now) {
        end(*connection);
      } else {
        next = std::min(next, deadline);
      }
    }
    next_deadline_ = next;
    if (next == Clock::time_point::max()) {
      wake_.wait(lock);
    } else {
      wake_.wait_until(lock, next);
    }
  }
}

void ConnectionWatch::end(Connection& connection) {
  // Both directions: libmicrohttpd reads the end of the stream, closes the connection and
  // tells closed(); the client sees its connection closed.
  ::shutdown(connection.fd, SHUT_RDWR);
  connection.ended = true;
}

ConnectionWatch::Connection* ConnectionWatch::longest_waiting(
    std::optional<std::string_view> client) {
  Connection* oldest = nullptr;
  for (const auto& connection : open_) {
    if (!connection->waiting || connection->ended) continue;
    if (client && connection->client != *client) continue;
    if (oldest == nullptr || connection->waiting_since < oldest->waiting_since) {
      oldest = connection.get();
    }
  }
  return oldest;
}

}  // namespace devops_monitor::serve
