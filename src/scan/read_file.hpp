// Reading one file for the scan: its content into a reused buffer, or why it is not read.
// Binary files are told by content, the way git tells them (a NUL byte in the first 8 KiB), and
// before the size cap is applied: a large binary is skipped silently, only a large text file is
// worth a warning.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>

namespace devops_monitor::scan {

/// How much of a file's start decides whether it is binary.
inline constexpr std::size_t kBinaryProbeBytes = 8192;

enum class FileContent {
  text,        // read whole into the buffer
  binary,      // a NUL in the first kBinaryProbeBytes: not read further
  too_big,     // text, larger than the cap: not read further
  unreadable,  // see FileRead::error
};

struct FileRead {
  FileContent content = FileContent::unreadable;
  std::uint64_t size = 0;  // the file's size when it was opened
  std::string error;       // why unreadable: "Permission denied", "not a regular file"
};

/// Reads `file` into `buffer` (cleared first, its capacity reused). The file is opened without
/// following a symlink or waiting on a FIFO: one swapped in after the walk saw a regular file is
/// refused.
FileRead read_for_scan(const std::filesystem::path& file, std::uint64_t max_size,
                       std::string& buffer);

}  // namespace devops_monitor::scan
