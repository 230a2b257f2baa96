// Reading one file for the scan: its content into a reused buffer, or why it is not read.
// Binary files are told by content, the way git tells them (a NUL byte in the first 8 KiB), and
// before the size cap is applied: a large binary is skipped silently, only a large text file is
// worth a warning.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace devops_monitor::scan {

/// How much of a file's start decides whether it is binary.
inline constexpr std::size_t kBinaryProbeBytes = 8192;

/// Where a worker reads files: page-aligned, because the kernel's copy from the page cache
/// (most of a scan's time) runs markedly slower into a destination that is not (malloc's
/// 16-byte alignment cost about a third more kernel time on a 1 GB tree). It only grows, to the
/// largest file read, so no byte is zeroed or reallocated per file.
class ScanBuffer {
 public:
  ScanBuffer() = default;
  /// At least `size` bytes; what it held before is not kept.
  char* reserve(std::size_t size);
  [[nodiscard]] const char* data() const { return data_.get(); }
  /// Gives the memory back (after an allocation failed for a large file).
  void release() {
    data_.reset();
    capacity_ = 0;
  }

 private:
  struct Free {
    void operator()(char* memory) const;
  };
  std::unique_ptr<char, Free> data_;
  std::size_t capacity_ = 0;
};

enum class FileContent {
  text,        // read whole into the buffer
  binary,      // a NUL in the first kBinaryProbeBytes: not read further
  too_big,     // text, larger than the cap: not read further
  unreadable,  // see FileRead::error
};

struct FileRead {
  FileContent content = FileContent::unreadable;
  std::uint64_t size = 0;  // the file's size when it was opened
  std::size_t length = 0;  // bytes read, at the buffer's start (binary, too big: the probe)
  std::string error;       // why unreadable: "Permission denied", "not a regular file"
};

/// Reads `file` into the start of `buffer`: its first FileRead::length bytes are the file's. The
/// file is opened without following a symlink or waiting on a FIFO: one swapped in after the walk
/// saw a regular file is refused.
FileRead read_for_scan(const std::string& file, std::uint64_t max_size, ScanBuffer& buffer);

}  // namespace devops_monitor::scan
