// The key history file in the report directory (fingerprints only, never keys).
#pragma once

#include <filesystem>
#include <string_view>

#include "assess/key_rotation.hpp"
#include "devops_monitor/error.hpp"

namespace devops_monitor {

inline constexpr std::string_view kKeyHistoryName = "key_history.json";

/// The history in `dir`; empty when there is none yet. A file that does not parse is an
/// Error naming it (the caller may start afresh).
Result<KeyHistory> read_key_history(const std::filesystem::path& dir);

/// Replaces the history file atomically.
Result<void> write_key_history(const std::filesystem::path& dir, const KeyHistory& history);

/// JSON text of a history, and back (pure; for tests and the store).
std::string key_history_json(const KeyHistory& history);
Result<KeyHistory> parse_key_history(std::string_view text, const std::string& source);

/// An exclusive lock on a directory (flock), held for a read-modify-write of its files, so
/// concurrent checks do not lose each other's updates. Released on destruction.
class DirectoryLock {
 public:
  static Result<DirectoryLock> acquire(const std::filesystem::path& dir);
  DirectoryLock(DirectoryLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  DirectoryLock(const DirectoryLock&) = delete;
  DirectoryLock& operator=(const DirectoryLock&) = delete;
  DirectoryLock& operator=(DirectoryLock&&) = delete;
  ~DirectoryLock();

 private:
  explicit DirectoryLock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

}  // namespace devops_monitor
