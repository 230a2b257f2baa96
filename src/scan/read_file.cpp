#include "scan/read_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "util/file_io.hpp"

namespace devops_monitor::scan {
namespace {

/// Closes the descriptor on every way out.
struct ScanFileDescriptor {
  int fd;
  explicit ScanFileDescriptor(int opened) : fd(opened) {}
  ScanFileDescriptor(const ScanFileDescriptor&) = delete;
  ScanFileDescriptor& operator=(const ScanFileDescriptor&) = delete;
  ~ScanFileDescriptor() {
    if (fd >= 0) ::close(fd);
  }
};

/// Reads into buffer[filled, want) until `want` or EOF; returns errno, or 0. `filled` grows.
int read_scan_bytes_up_to(int fd, std::string& buffer, std::size_t& filled, std::size_t want) {
  while (filled < want) {
    const ssize_t got = ::read(fd, buffer.data() + filled, want - filled);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) return errno;
    if (got == 0) break;  // the file shrank since fstat
    filled += static_cast<std::size_t>(got);
  }
  return 0;
}

}  // namespace

FileRead read_for_scan(const std::filesystem::path& file, std::uint64_t max_size,
                       std::string& buffer) {
  buffer.clear();
  FileRead read;
  const ScanFileDescriptor open_file{
      ::open(file.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)};
  if (open_file.fd < 0) {
    read.error = errno_text(errno);
    return read;
  }
  struct stat info {};
  if (::fstat(open_file.fd, &info) != 0 || !S_ISREG(info.st_mode)) {
    read.error = "not a regular file";
    return read;
  }
  read.size = static_cast<std::uint64_t>(info.st_size);
  // The probe first: a binary file is known after 8 KiB, whatever its size.
  buffer.resize(static_cast<std::size_t>(std::min<std::uint64_t>(read.size, kBinaryProbeBytes)));
  std::size_t filled = 0;
  if (const int error = read_scan_bytes_up_to(open_file.fd, buffer, filled, buffer.size());
      error != 0) {
    read.error = errno_text(error);
    return read;
  }
  if (std::memchr(buffer.data(), '\0', filled) != nullptr) {
    buffer.resize(filled);
    read.content = FileContent::binary;
    return read;
  }
  if (read.size > max_size) {
    buffer.resize(filled);
    read.content = FileContent::too_big;
    return read;
  }
  buffer.resize(static_cast<std::size_t>(read.size));
  if (const int error = read_scan_bytes_up_to(open_file.fd, buffer, filled, buffer.size());
      error != 0) {
    read.error = errno_text(error);
    return read;
  }
  buffer.resize(filled);
  read.content = FileContent::text;
  return read;
}

}  // namespace devops_monitor::scan
