#include "scan/read_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <new>

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
int read_scan_bytes_up_to(int fd, char* buffer, std::size_t& filled, std::size_t want) {
  while (filled < want) {
    const ssize_t got = ::read(fd, buffer + filled, want - filled);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) return errno;
    if (got == 0) break;  // the file shrank since fstat
    filled += static_cast<std::size_t>(got);
  }
  return 0;
}

constexpr std::size_t kScanBufferAlignment = 4096;
constexpr std::size_t kScanBufferMinimum = 256 * 1024;  // most source files fit the first one

}  // namespace

void ScanBuffer::Free::operator()(char* memory) const {
  std::free(memory);
}

char* ScanBuffer::reserve(std::size_t size) {
  if (size <= capacity_ && data_ != nullptr) return data_.get();
  std::size_t capacity = std::max({size, kScanBufferMinimum, capacity_ * 2});
  capacity = (capacity + kScanBufferAlignment - 1) / kScanBufferAlignment * kScanBufferAlignment;
  data_.reset();  // before the new one: the peak is one buffer, not two
  capacity_ = 0;
  auto* memory = static_cast<char*>(std::aligned_alloc(kScanBufferAlignment, capacity));
  if (memory == nullptr) throw std::bad_alloc();
  data_.reset(memory);
  capacity_ = capacity;
  return memory;
}

FileRead read_for_scan(const std::string& file, std::uint64_t max_size, ScanBuffer& buffer) {
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
  // A file within the cap is read whole in one go and then judged by its first 8 KiB; a
  // larger one only as far as that probe: a binary is skipped silently whatever its size.
  const bool within_cap = read.size <= max_size;
  const auto want = static_cast<std::size_t>(
      within_cap ? read.size : std::min<std::uint64_t>(read.size, kBinaryProbeBytes));
  char* const into = buffer.reserve(want);
  std::size_t filled = 0;
  if (const int error = read_scan_bytes_up_to(open_file.fd, into, filled, want); error != 0) {
    read.error = errno_text(error);
    return read;
  }
  read.length = filled;
  if (std::memchr(into, '\0', std::min(filled, kBinaryProbeBytes)) != nullptr) {
    read.length = std::min(filled, kBinaryProbeBytes);
    read.content = FileContent::binary;
    return read;
  }
  if (!within_cap) {
    read.content = FileContent::too_big;
    return read;
  }
  read.length = filled;
  read.content = FileContent::text;
  return read;
}

}  // namespace devops_monitor::scan
