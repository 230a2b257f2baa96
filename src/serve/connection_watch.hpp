// Who holds serve's connection slots, and how long a request may take to arrive. libmicrohttpd
// closes a connection only when it has been silent for the idle timeout, and each byte starts
// that timeout again: a client that sends its headers one byte every few seconds (slowloris)
// keeps its slot for ever, and a few such clients keep every slot. This watch ends them from
// outside, knowing nothing of HTTP: it is told when a connection opens, when a request has
// arrived (its line and headers are in) and when its answer is done, and it ends a connection
// with shutdown(2) on its socket, which libmicrohttpd then sees closed and cleans up.
//
// - A deadline: each request's line and headers must arrive within `request_deadline` of the
//   connection opening (a TLS handshake included) or of the previous answer, whatever the pace
//   of the bytes.
// - Per client (source address): at most `max_per_client` connections; one more ends that
//   client's own oldest connection still waiting for a request, rather than being refused.
// - When all `max_connections` slots are taken, a new connection ends the connection that has
//   waited longest for its request (slow senders and idle keep-alive connections, oldest
//   first), so a scraper still gets in beside slow clients on its own address (NAT, a proxy,
//   loopback). Only when every slot is busy answering is the new connection refused.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace devops_monitor::serve {

class ConnectionWatch {
 public:
  struct Limits {
    std::size_t max_connections = 64;
    std::size_t max_per_client = 32;
    std::chrono::milliseconds request_deadline{10000};
  };

  /// One open connection, as the watch knows it. Opaque outside the watch; its address is
  /// the handle libmicrohttpd keeps for us (the connection's socket context).
  struct Connection;

  /// Starts the thread that keeps the deadline.
  explicit ConnectionWatch(Limits limits);
  ~ConnectionWatch();
  ConnectionWatch(const ConnectionWatch&) = delete;
  ConnectionWatch& operator=(const ConnectionWatch&) = delete;

  /// Before a connection from `client` is served: whether it may be, ending another connection
  /// (of the same client first) when that makes room. False: refuse it.
  bool admit(std::string_view client);

  /// A connection was accepted on socket `fd`. The result is the handle for the calls below;
  /// `fd` must stay open until closed(handle) has returned.
  Connection* opened(int fd, std::string client);
  /// Its request line and headers are in: the deadline stops until request_done.
  void request_arrived(Connection* connection);
  /// Its answer is done (or the request was abandoned): the next request's deadline starts.
  void request_done(Connection* connection);
  /// Called before its socket is closed; the handle is invalid from here on.
  void closed(Connection* connection);

  /// Ends the deadline thread; returns once it has. Idempotent.
  void stop();

 private:
  using Clock = std::chrono::steady_clock;
  void keep_deadlines();
  /// Ends the connection: shutdown(2) on its socket. Called with mutex_ held, which closed()
  /// also takes, so the socket cannot have been closed (and its number reused) meanwhile.
  static void end(Connection& connection);
  /// The connection waiting longest for a request among those of `client` (of every client
  /// without one); nullptr when none is waiting.
  Connection* longest_waiting(std::optional<std::string_view> client);

  const Limits limits_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::vector<std::unique_ptr<Connection>> open_;
  Clock::time_point next_deadline_ = Clock::time_point::max();  // when keep_deadlines wakes
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace devops_monitor::serve
