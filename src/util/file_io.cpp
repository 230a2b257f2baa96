#include "util/file_io.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <system_error>

namespace devops_monitor {
namespace {

/// Closes the descriptor on every path out of read_file.
class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  [[nodiscard]] int get() const { return fd_; }

 private:
  int fd_;
};

}  // namespace

std::string errno_text(int error_number) {
  // generic_category().message is strerror's text without strerror's shared buffer.
  return std::generic_category().message(error_number);
}

Result<std::string> read_open_file(int fd, const std::filesystem::path& file,
                                   const std::string& what_failed) {
  std::string text;
  std::array<char, 8192> buffer{};
  for (;;) {
    const ssize_t n = ::read(fd, buffer.data(), buffer.size());
    if (n == 0) return text;
    if (n < 0) {
      if (errno == EINTR) continue;
      // EISDIR for a directory: "Is a directory"
      return Error{what_failed, errno_text(errno), file.string()};
    }
    text.append(buffer.data(), static_cast<std::size_t>(n));
  }
}

Result<std::string> read_file(const std::filesystem::path& file, const std::string& what_failed) {
  FileDescriptor fd(::open(file.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) return Error{what_failed, errno_text(errno), file.string()};
  return read_open_file(fd.get(), file, what_failed);
}

}  // namespace devops_monitor
