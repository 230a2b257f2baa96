// Files that are either absent, old or complete: never half-written.
#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <string_view>

#include "devops_monitor/error.hpp"

namespace devops_monitor {

/// A complete, fsynced temporary file in `dir`, to be linked or renamed into place, created
/// with the usual permissions (0666 less the umask). Removed on destruction unless renamed.
class TempFile {
 public:
  static Result<TempFile> create(const std::filesystem::path& dir, std::string_view contents);
  TempFile(TempFile&& other) noexcept;
  TempFile& operator=(TempFile&&) = delete;
  TempFile(const TempFile&) = delete;
  ~TempFile();

  [[nodiscard]] const std::filesystem::path& path() const { return path_; }
  /// Renames the file onto `target` (replacing it atomically); the temp name is gone.
  Result<void> rename_to(const std::filesystem::path& target);

 private:
  explicit TempFile(std::filesystem::path path) : path_(std::move(path)) {}
  std::filesystem::path path_;
};

/// Replaces `file` atomically: temp file in the same directory, fsync, rename, fsync dir.
Result<void> write_file_atomically(const std::filesystem::path& file, std::string_view contents);

/// Creates `dir` with its missing parents, as `mkdir -p`; fine when it exists. Every command
/// that writes a file makes its directory this way. `what` names it in errors ("report
/// directory", "textfile directory").
Result<void> make_directories(const std::filesystem::path& dir, std::string_view what);

/// fsync of a directory, so a rename in it survives a power loss.
void sync_directory(const std::filesystem::path& dir);

/// Is `name` one of TempFile's names (".devops-monitor.<hex>.tmp")?
bool is_temp_file_name(std::string_view name);

/// Removes the temporary files a crashed or killed writer left in `dir`: those not modified
/// for `older_than` (a live writer finishes in far less). Returns how many were removed;
/// problems only mean fewer.
std::size_t remove_stale_temp_files(const std::filesystem::path& dir,
                                    std::chrono::seconds older_than);

}  // namespace devops_monitor
