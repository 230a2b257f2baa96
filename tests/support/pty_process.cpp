#include "support/pty_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>

namespace devops_monitor::testing {
namespace {

std::vector<char*> pty_c_strings(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (std::string& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

/// Appends what `fd` has now; false at end of file or error (EIO on a terminal: the child's
/// side is closed).
bool drain_fd(int fd, std::string& into) {
  char buffer[8192];
  const ssize_t n = ::read(fd, buffer, sizeof buffer);
  if (n > 0) into.append(buffer, static_cast<std::size_t>(n));
  return n > 0 || (n < 0 && (errno == EINTR || errno == EAGAIN));
}

}  // namespace

PtyProcess::PtyProcess(const std::string& binary, const PtyOptions& options) {
  std::vector<std::string> argv_strings{binary};
  argv_strings.insert(argv_strings.end(), options.args.begin(), options.args.end());
  std::vector<std::string> env_strings;
  for (const auto& [name, value] : options.env) env_strings.push_back(name + "=" + value);
  std::vector<char*> argv = pty_c_strings(argv_strings);
  std::vector<char*> envp = pty_c_strings(env_strings);
  const std::string cwd = options.cwd.string();

  winsize size{};
  size.ws_col = static_cast<unsigned short>(options.columns);
  size.ws_row = static_cast<unsigned short>(options.rows);
  int slave = -1;
  if (::openpty(&master_, &slave, nullptr, nullptr, &size) != 0) {
    throw std::runtime_error("openpty failed");
  }
  ::fcntl(master_, F_SETFD, FD_CLOEXEC);
  ::fcntl(slave, F_SETFD, FD_CLOEXEC);
  int err_pipe[2];
  if (::pipe2(err_pipe, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  pid_ = ::fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    // Only async-signal-safe calls between fork and exec: the test process has threads.
    // A session of its own with the terminal as its controlling terminal (what login_tty
    // does), and the signal mask and dispositions of a fresh shell.
    ::setsid();
    ::ioctl(slave, TIOCSCTTY, 0);
    ::dup2(slave, STDIN_FILENO);
    ::dup2(slave, STDOUT_FILENO);
    ::dup2(err_pipe[1], STDERR_FILENO);
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    if (!cwd.empty() && ::chdir(cwd.c_str()) != 0) ::_exit(126);
    ::execve(argv[0], argv.data(), envp.data());
    ::_exit(127);
  }
  ::close(slave);
  ::close(err_pipe[1]);
  err_fd_ = err_pipe[0];
}

PtyProcess::~PtyProcess() {
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
  if (master_ >= 0) ::close(master_);
  if (err_fd_ >= 0) ::close(err_fd_);
}

void PtyProcess::read_available(int timeout_ms) {
  // A terminal whose child side closed keeps signalling POLLHUP: it is no longer polled (the
  // descriptor stays open for resize() and local_flags()).
  pollfd fds[2] = {{master_done_ ? -1 : master_, POLLIN, 0}, {err_fd_, POLLIN, 0}};
  if (::poll(fds, 2, timeout_ms) <= 0) return;
  if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) master_done_ = !drain_fd(master_, output_);
  if ((fds[1].revents & (POLLIN | POLLHUP | POLLERR)) && !drain_fd(err_fd_, err_)) {
    ::close(err_fd_);
    err_fd_ = -1;
  }
}

bool PtyProcess::read_until(const std::function<bool(const std::string&)>& done,
                            std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done(output_)) {
    if (std::chrono::steady_clock::now() >= deadline || (master_done_ && err_fd_ < 0)) {
      return false;
    }
    read_available(20);
  }
  return true;
}

bool PtyProcess::read_until(const std::string& needle, std::chrono::milliseconds timeout) {
  return read_until([&needle](const std::string& out) { return out.find(needle) != out.npos; },
                    timeout);
}

void PtyProcess::type(std::string_view keys) {
  if (master_ >= 0) (void)!::write(master_, keys.data(), keys.size());
}

void PtyProcess::resize(int columns, int rows) {
  winsize size{};
  size.ws_col = static_cast<unsigned short>(columns);
  size.ws_row = static_cast<unsigned short>(rows);
  if (master_ >= 0) ::ioctl(master_, TIOCSWINSZ, &size);
}

void PtyProcess::kill(int signal) {
  if (pid_ > 0) ::kill(pid_, signal);
}

unsigned PtyProcess::local_flags() const {
  termios mode{};
  if (master_ < 0 || ::tcgetattr(master_, &mode) != 0) return 0;
  return static_cast<unsigned>(mode.c_lflag);
}

PtyExit PtyProcess::wait(std::chrono::milliseconds timeout) {
  PtyExit result;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  int status = 0;
  for (;;) {
    const pid_t done = ::waitpid(pid_, &status, WNOHANG);
    if (done == pid_) break;
    if (std::chrono::steady_clock::now() >= deadline) {
      result.timed_out = true;
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, &status, 0);
      break;
    }
    read_available(20);
  }
  pid_ = -1;
  // What is still buffered: the terminal keeps it after the child is gone.
  for (int i = 0; i < 500 && !master_done_; ++i) {
    pollfd fd{master_, POLLIN, 0};
    if (::poll(&fd, 1, 10) <= 0) break;
    master_done_ = !drain_fd(master_, output_);
  }
  while (err_fd_ >= 0 && drain_fd(err_fd_, err_)) {
  }
  if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) result.signal = WTERMSIG(status);
  result.err = err_;
  return result;
}

}  // namespace devops_monitor::testing
