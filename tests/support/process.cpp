#include "support/process.hpp"

#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace devops_monitor::testing {
namespace {

std::vector<char*> c_strings(std::vector<std::string>& strings) {
  std::vector<char*> pointers;
  for (std::string& s : strings) pointers.push_back(s.data());
  pointers.push_back(nullptr);
  return pointers;
}

void read_available(int& fd, std::string& into) {
  std::array<char, 65536> buffer{};
  const ssize_t n = ::read(fd, buffer.data(), buffer.size());
  if (n > 0) {
    into.append(buffer.data(), static_cast<std::size_t>(n));
  } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
    ::close(fd);
    fd = -1;
  }
}

}  // namespace

namespace {

/// The two ends of one output of the child: a pipe, or a pseudo-terminal when `tty`.
void open_output(int ends[2], bool tty) {
  if (!tty) {
    if (::pipe2(ends, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
    return;
  }
  if (::openpty(&ends[0], &ends[1], nullptr, nullptr, nullptr) != 0) {
    throw std::runtime_error("openpty failed");
  }
  ::fcntl(ends[0], F_SETFD, FD_CLOEXEC);
  ::fcntl(ends[1], F_SETFD, FD_CLOEXEC);
}

}  // namespace

Process::Process(const std::string& binary, const RunOptions& options)
    : started_(std::chrono::steady_clock::now()), timeout_(options.timeout) {
  std::vector<std::string> argv_strings{binary};
  argv_strings.insert(argv_strings.end(), options.args.begin(), options.args.end());
  std::vector<std::string> env_strings;
  for (const auto& [name, value] : options.env) env_strings.push_back(name + "=" + value);
  std::vector<char*> argv = c_strings(argv_strings);
  std::vector<char*> envp = c_strings(env_strings);
  const std::string cwd = options.cwd.string();
  const bool drop = options.as_nobody && ::geteuid() == 0;

  int out_pipe[2];
  int err_pipe[2];
  open_output(out_pipe, options.stdout_tty);
  open_output(err_pipe, options.stderr_tty);
  pid_ = ::fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    // Only async-signal-safe calls between fork and exec: the test process has threads.
    ::dup2(out_pipe[1], STDOUT_FILENO);
    ::dup2(err_pipe[1], STDERR_FILENO);
    const int devnull = ::open("/dev/null", O_RDONLY);
    ::dup2(devnull, STDIN_FILENO);
    if (!cwd.empty() && ::chdir(cwd.c_str()) != 0) ::_exit(126);
    if (drop && (::setgroups(0, nullptr) != 0 || ::setgid(65534) != 0 || ::setuid(65534) != 0)) {
      ::_exit(126);
    }
    ::execve(argv[0], argv.data(), envp.data());
    ::_exit(127);
  }
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  out_fd_ = out_pipe[0];
  err_fd_ = err_pipe[0];
}

Process::Process(Process&& other) noexcept
    : pid_(other.pid_),
      out_fd_(other.out_fd_),
      err_fd_(other.err_fd_),
      err_so_far_(std::move(other.err_so_far_)),
      started_(other.started_),
      timeout_(other.timeout_) {
  other.pid_ = -1;
  other.out_fd_ = other.err_fd_ = -1;
}

Process::~Process() {
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
  if (out_fd_ >= 0) ::close(out_fd_);
  if (err_fd_ >= 0) ::close(err_fd_);
}

void Process::kill(int signal) {
  if (pid_ > 0) ::kill(pid_, signal);
}

std::string Process::read_err_until(const std::string& needle, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (err_fd_ >= 0 && err_so_far_.find(needle) == std::string::npos) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    pollfd fd{err_fd_, POLLIN, 0};
    if (::poll(&fd, 1, static_cast<int>(std::min<long>(left.count(), 100))) < 0 && errno != EINTR) {
      break;
    }
    if (fd.revents & (POLLIN | POLLHUP | POLLERR)) read_available(err_fd_, err_so_far_);
  }
  return err_so_far_;
}

RunResult Process::wait() {
  RunResult result;
  result.err = std::move(err_so_far_);
  err_so_far_.clear();
  const auto deadline = started_ + timeout_;
  while (out_fd_ >= 0 || err_fd_ >= 0) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      result.timed_out = true;
      ::kill(pid_, SIGKILL);
      break;
    }
    std::array<pollfd, 2> fds{pollfd{out_fd_, POLLIN, 0}, pollfd{err_fd_, POLLIN, 0}};
    if (::poll(fds.data(), fds.size(), static_cast<int>(std::min<long>(left.count(), 100))) < 0 &&
        errno != EINTR) {
      break;
    }
    if (out_fd_ >= 0 && (fds[0].revents & (POLLIN | POLLHUP | POLLERR)))
      read_available(out_fd_, result.out);
    if (err_fd_ >= 0 && (fds[1].revents & (POLLIN | POLLHUP | POLLERR)))
      read_available(err_fd_, result.err);
  }
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
  if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) result.signal = WTERMSIG(status);
  result.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - started_);
  return result;
}

RunResult run_process(const std::string& binary, const RunOptions& options) {
  return Process(binary, options).wait();
}

TempDir::TempDir() {
  std::string pattern = "/tmp/devops-monitor-test.XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
  std::filesystem::permissions(path_, std::filesystem::perms(0755));  // readable when run as nobody
}

TempDir::~TempDir() {
  std::error_code ignored;
  // Tests may leave read-only directories behind; make them removable first.
  for (auto it = std::filesystem::recursive_directory_iterator(path_, ignored);
       it != std::filesystem::recursive_directory_iterator(); it.increment(ignored)) {
    if (it->is_directory(ignored))
      std::filesystem::permissions(it->path(), std::filesystem::perms::owner_all,
                                   std::filesystem::perm_options::add, ignored);
  }
  std::filesystem::remove_all(path_, ignored);
}

void write_text(const std::filesystem::path& file, const std::string& text) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out) throw std::runtime_error("cannot write " + file.string());
}

std::string read_text(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + file.string());
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

RunResult make_loopback_certificate(const std::filesystem::path& dir) {
  RunOptions openssl;
  openssl.args = {"req",
                  "-x509",
                  "-newkey",
                  "ec",
                  "-pkeyopt",
                  "ec_paramgen_curve:prime256v1",
                  "-nodes",
                  "-keyout",
                  (dir / "key.pem").string(),
                  "-out",
                  (dir / "cert.pem").string(),
                  "-days",
                  "2",
                  "-subj",
                  "/CN=127.0.0.1",
                  "-addext",
                  "subjectAltName=IP:127.0.0.1"};
  openssl.env = {{"PATH", "/usr/bin:/bin"}};
  return run_process("/usr/bin/openssl", openssl);
}

}  // namespace devops_monitor::testing
