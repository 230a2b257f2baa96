// Running real processes from tests: arguments, a chosen environment, captured output,
// and a hard time limit so a hung child can never hang the suite.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace devops_monitor::testing {

struct RunOptions {
  std::vector<std::string> args;             // without argv[0]
  std::map<std::string, std::string> env;    // the child's whole environment
  std::filesystem::path cwd;                 // empty: inherit
  std::chrono::milliseconds timeout{60000};  // then SIGKILL
  bool as_nobody = false;   // when root: drop to uid/gid 65534, so permissions apply
  bool stdout_tty = false;  // stdout is a pseudo-terminal, as in an interactive shell
  bool stderr_tty = false;  // stderr is one (a person watching the progress of a command)
};

struct RunResult {
  int exit_code = -1;  // -1 when killed by a signal
  int signal = 0;
  bool timed_out = false;
  std::string out;
  std::string err;
  std::chrono::milliseconds elapsed{0};
};

/// A started child process.
class Process {
 public:
  Process(const std::string& binary, const RunOptions& options);
  ~Process();
  Process(Process&& other) noexcept;
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;
  Process& operator=(Process&&) = delete;

  [[nodiscard]] pid_t pid() const { return pid_; }
  void kill(int signal);
  /// Collects output until the child exits (or the time limit kills it).
  RunResult wait();
  /// Reads the child's stderr while it runs, until what was read contains `needle` or
  /// `timeout` passes (or stderr closes), and returns all of it read so far. wait() still
  /// returns the whole stderr. For daemons that say "listening on HOST:PORT".
  std::string read_err_until(const std::string& needle, std::chrono::milliseconds timeout);

 private:
  pid_t pid_ = -1;
  int out_fd_ = -1;
  int err_fd_ = -1;
  std::string err_so_far_;  // read by read_err_until
  std::chrono::steady_clock::time_point started_;
  std::chrono::milliseconds timeout_;
};

RunResult run_process(const std::string& binary, const RunOptions& options);

/// A fresh directory under /tmp, removed with everything in it on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }
  [[nodiscard]] std::filesystem::path operator/(const std::string& name) const {
    return path_ / name;
  }

 private:
  std::filesystem::path path_;
};

void write_text(const std::filesystem::path& file, const std::string& text);
std::string read_text(const std::filesystem::path& file);

/// A self-signed EC certificate for 127.0.0.1 (valid two days) and its key, made by the real
/// openssl: dir/cert.pem and dir/key.pem. The result says whether openssl succeeded.
RunResult make_loopback_certificate(const std::filesystem::path& dir);

}  // namespace devops_monitor::testing
