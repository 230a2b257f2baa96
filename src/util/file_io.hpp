// Reading whole files, with errors that name the file.
//
// Two readers. read_file reads anything to EOF: it is for procfs, whose files report a size of
// 0 and are not regular-size files. Every other file the tool reads that nobody wrote by hand
// for this run (the report directory's files, .env, config and web config files, TLS files)
// goes through read_regular_file, which cannot be made to block or to flood memory: a FIFO, a
// device or a symlink to /dev/zero planted in a report directory or a checkout is refused at
// once, by name, and the caller decides whether that is a warning or an error.
#pragma once

#include <sys/stat.h>

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

#include "devops_monitor/error.hpp"

namespace devops_monitor {

/// The whole file. Reads until EOF (procfs files report a size of 0). On failure the Error
/// has `what` = `what_failed`, the system's reason as detail, and the path as `where`.
Result<std::string> read_file(const std::filesystem::path& file, const std::string& what_failed);

/// The rest of an open file, read until EOF; errors as read_file's, naming `file`. The caller
/// keeps ownership of `fd`.
Result<std::string> read_open_file(int fd, const std::filesystem::path& file,
                                   const std::string& what_failed);

// ---- the bounded reader -------------------------------------------------------------------

inline constexpr std::size_t kMiB = 1024 * 1024;

// The most read_regular_file takes of each kind of file (docs/design.md, "Reports"): far above
// what the tool ever writes or a person ever types, far below what would hurt a small host.
inline constexpr std::size_t kMaxReportBytes = 4 * kMiB;      // ours are a few KiB
inline constexpr std::size_t kMaxKeyHistoryBytes = 4 * kMiB;  // about 200 bytes per provider
inline constexpr std::size_t kMaxHistoryIndexBytes =
    64 * kMiB;  // a few hundred bytes per report: years of hourly checks
inline constexpr std::size_t kMaxEnvFileBytes = 1 * kMiB;
inline constexpr std::size_t kMaxConfigFileBytes = 1 * kMiB;  // also web config and TLS files

/// What read_regular_file does with a path whose last component is a symbolic link.
enum class Symlinks {
  follow,  // the user named this path (a flag, the config): where it points is their choice
  refuse,  // the file was found, not named (in the report directory, ./.env): O_NOFOLLOW
};

struct ReadRules {
  std::size_t max_bytes = 0;
  Symlinks symlinks = Symlinks::refuse;
  /// How the cap's message names the file: "it is larger than 4 MiB, the cap for a <kind>".
  std::string_view kind;
};

/// A regular file's bytes and what fstat said about the file they were read from.
struct RegularFileText {
  std::string text;
  struct stat info {};
};

/// The whole of a regular file of at most `rules.max_bytes`. It never blocks on what is not a
/// regular file: the path is looked at first (a device is never opened), then opened with
/// O_NONBLOCK and O_NOCTTY (a FIFO or device swapped in meanwhile opens at once) and checked
/// again with fstat; it is read to EOF but never past the cap, so a file that grows meanwhile
/// is refused too. Errors are Error{what_failed, reason, file}, the reason one of "it is a
/// FIFO, not a regular file" (a directory, a character device, ...), "it is larger than 4 MiB,
/// the cap for a report", "it is a symbolic link, which is not followed here", or the system's
/// reason ("No such file or directory").
Result<RegularFileText> read_regular_file(const std::filesystem::path& file,
                                          const std::string& what_failed, const ReadRules& rules);

/// read_regular_file's checks and reading for a file already open (rules.symlinks does not
/// apply: the caller opened it). The caller keeps ownership of `fd`; a regular file's
/// descriptor is left without O_NONBLOCK.
Result<RegularFileText> read_open_regular_file(int fd, const std::filesystem::path& file,
                                               const std::string& what_failed,
                                               const ReadRules& rules);

/// "Permission denied" and friends for an errno value.
std::string errno_text(int error_number);

}  // namespace devops_monitor
