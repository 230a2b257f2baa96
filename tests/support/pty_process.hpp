// The real binary on a pseudo-terminal, as a person would run it: stdin and stdout are the
// terminal (its controlling terminal, so a resize sends SIGWINCH), stderr a pipe of its own.
// The test types keys, resizes the window and reads what was drawn. Every wait is bounded,
// and the child is killed when the test ends, whatever happened.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace devops_monitor::testing {

struct PtyOptions {
  std::vector<std::string> args;           // without argv[0]
  std::map<std::string, std::string> env;  // the child's whole environment
  std::filesystem::path cwd;               // empty: inherit
  int columns = 80;
  int rows = 24;
};

struct PtyExit {
  int exit_code = -1;  // -1 when killed by a signal or still running at the time limit
  int signal = 0;
  bool timed_out = false;  // then it was killed
  std::string err;         // all of stderr
};

class PtyProcess {
 public:
  PtyProcess(const std::string& binary, const PtyOptions& options);
  ~PtyProcess();
  PtyProcess(const PtyProcess&) = delete;
  PtyProcess& operator=(const PtyProcess&) = delete;

  /// Reads the terminal until `done(output so far)` holds or `timeout` passes; whether it held.
  bool read_until(const std::function<bool(const std::string&)>& done,
                  std::chrono::milliseconds timeout);
  bool read_until(const std::string& needle, std::chrono::milliseconds timeout);
  /// Everything the child wrote to the terminal so far (escape codes included).
  [[nodiscard]] const std::string& output() const { return output_; }

  /// Types `keys` (the terminal's line discipline applies: Ctrl-C is SIGINT).
  void type(std::string_view keys);
  /// Sets the window size: the kernel sends SIGWINCH to the child.
  void resize(int columns, int rows);
  void kill(int signal);
  /// The terminal's current local flags (ICANON, ECHO, ...), as the child left them.
  [[nodiscard]] unsigned local_flags() const;

  /// Waits up to `timeout` for the child to exit, reading the terminal until then; kills it
  /// with SIGKILL when it does not.
  PtyExit wait(std::chrono::milliseconds timeout);

 private:
  void read_available(int timeout_ms);

  pid_t pid_ = -1;
  int master_ = -1;
  bool master_done_ = false;  // the child's side is closed: nothing more to read
  int err_fd_ = -1;
  std::string output_;
  std::string err_;
};

}  // namespace devops_monitor::testing
