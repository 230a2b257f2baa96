// Basic-auth checks that need a bcrypt (tens of milliseconds each), run off the server's
// threads. Each libmicrohttpd thread serves many connections from one epoll loop, so a bcrypt
// run there would hold every connection of that thread; instead the request's connection is
// suspended (MHD_suspend_connection), checked on this one thread, and resumed with the
// verdict. Remembered credentials (BasicAuth::quick_check) never come here.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <string>
#include <thread>

#include "serve/basic_auth.hpp"

struct MHD_Connection;

namespace devops_monitor::serve {

enum class AuthVerdict { unchecked, allowed, denied };

class AuthChecks {
 public:
  /// Starts the checking thread; `auth` must outlive this object.
  explicit AuthChecks(BasicAuth& auth);
  ~AuthChecks();
  AuthChecks(const AuthChecks&) = delete;
  AuthChecks& operator=(const AuthChecks&) = delete;

  /// From the server thread handling `connection`'s request: suspends the connection and
  /// queues BasicAuth::allows(authorization). `verdict` is set before the connection is
  /// resumed, and libmicrohttpd then calls the request handler again. False once stop() has
  /// begun: then nothing was suspended.
  bool check_later(MHD_Connection* connection, std::string authorization,
                   std::atomic<AuthVerdict>& verdict);

  /// Ends the thread after the check it is running; the checks not started are denied without
  /// a bcrypt. Every connection suspended here has been resumed when it returns, as
  /// MHD_stop_daemon requires (it aborts the process on a suspended connection).
  void stop();

 private:
  struct Check {
    MHD_Connection* connection = nullptr;
    std::string authorization;
    std::atomic<AuthVerdict>* verdict = nullptr;
  };
  void run();
  static void finish(Check& check, AuthVerdict verdict);

  BasicAuth& auth_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Check> queue_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace devops_monitor::serve
