// serve's connection watch on its own, without libmicrohttpd: each connection is one end of a
// socketpair, so that a connection the watch ends (shutdown(2)) reads as the end of the stream
// at the other end. Which connection makes room, and the request deadline.
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "serve/connection_watch.hpp"

namespace devops_monitor::serve {
namespace {

using std::chrono::milliseconds;

/// A connection as the watch sees it, and the other end, where the test looks.
class WatchedPair {
 public:
  WatchedPair(ConnectionWatch& watch, const std::string& client) : watch_(watch) {
    EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds_), 0);
    handle_ = watch_.opened(fds_[0], client);
  }
  ~WatchedPair() {
    watch_.closed(handle_);
    ::close(fds_[0]);
    ::close(fds_[1]);
  }
  WatchedPair(const WatchedPair&) = delete;
  WatchedPair& operator=(const WatchedPair&) = delete;

  ConnectionWatch::Connection* handle() const { return handle_; }
  /// Whether the watch ended this connection: the other end reads the end of the stream.
  [[nodiscard]] bool ended() const {
    pollfd other{fds_[1], POLLIN, 0};
    char byte = 0;
    return ::poll(&other, 1, 0) == 1 && ::recv(fds_[1], &byte, 1, MSG_DONTWAIT) == 0;
  }

 private:
  ConnectionWatch& watch_;
  int fds_[2] = {-1, -1};
  ConnectionWatch::Connection* handle_ = nullptr;
};

ConnectionWatch::Limits watch_limits(std::size_t total, std::size_t per_client) {
  return {.max_connections = total,
          .max_per_client = per_client,
          .request_deadline = milliseconds(60000)};
}

// Each connection opened a little after the one before: "waited longest" is then certain.
void watch_tick() {
  std::this_thread::sleep_for(milliseconds(2));
}

TEST(ServeConnectionWatch, AClientAtItsCapEndsItsOwnLongestWaitingConnection) {
  ConnectionWatch watch(watch_limits(8, 2));
  WatchedPair other(watch, "10.0.0.2");
  watch_tick();
  WatchedPair first(watch, "10.0.0.1");
  watch_tick();
  WatchedPair second(watch, "10.0.0.1");
  EXPECT_TRUE(watch.admit("10.0.0.2")) << "below its cap";
  EXPECT_FALSE(first.ended());
  EXPECT_TRUE(watch.admit("10.0.0.1"));
  EXPECT_TRUE(first.ended()) << "its own oldest";
  EXPECT_FALSE(second.ended());
  EXPECT_FALSE(other.ended()) << "never another client's, though older";
}

TEST(ServeConnectionWatch, WhenAllSlotsAreTakenTheLongestWaitingOfAnyClientMakesRoom) {
  ConnectionWatch watch(watch_limits(3, 2));
  WatchedPair a(watch, "10.0.0.1");
  watch_tick();
  WatchedPair b(watch, "10.0.0.2");
  watch_tick();
  WatchedPair c(watch, "10.0.0.3");
  watch.request_arrived(a.handle());  // being answered: not waiting, never ended for room
  EXPECT_TRUE(watch.admit("10.0.0.4"));
  EXPECT_FALSE(a.ended());
  EXPECT_TRUE(b.ended());
  EXPECT_FALSE(c.ended());
  EXPECT_TRUE(watch.admit("10.0.0.4")) << "b no longer counts";
  EXPECT_FALSE(c.ended());
}

TEST(ServeConnectionWatch, WhenEveryConnectionIsBeingAnsweredANewOneIsRefused) {
  ConnectionWatch watch(watch_limits(2, 2));
  WatchedPair a(watch, "10.0.0.1");
  watch_tick();
  WatchedPair b(watch, "10.0.0.1");
  watch.request_arrived(a.handle());
  watch.request_arrived(b.handle());
  EXPECT_FALSE(watch.admit("10.0.0.1"));
  EXPECT_FALSE(watch.admit("10.0.0.2"));
  EXPECT_FALSE(a.ended() || b.ended());
  // Answered, a keep-alive connection waits for its next request again, and may make room.
  watch.request_done(b.handle());
  EXPECT_TRUE(watch.admit("10.0.0.2"));
  EXPECT_TRUE(b.ended());
  EXPECT_FALSE(a.ended());
}

TEST(ServeConnectionWatch, TheDeadlineEndsOnlyConnectionsStillWaitingForARequest) {
  ConnectionWatch watch(
      {.max_connections = 8, .max_per_client = 8, .request_deadline = milliseconds(100)});
  WatchedPair slow(watch, "10.0.0.1");
  WatchedPair answered(watch, "10.0.0.1");
  watch.request_arrived(answered.handle());
  std::this_thread::sleep_for(milliseconds(50));
  EXPECT_FALSE(slow.ended()) << "before the deadline";
  std::this_thread::sleep_for(milliseconds(250));
  EXPECT_TRUE(slow.ended());
  EXPECT_FALSE(answered.ended());
  // Its answer done, the next request has a deadline of its own.
  watch.request_done(answered.handle());
  std::this_thread::sleep_for(milliseconds(50));
  EXPECT_FALSE(answered.ended());
  std::this_thread::sleep_for(milliseconds(250));
  EXPECT_TRUE(answered.ended());
}

}  // namespace
}  // namespace devops_monitor::serve
