// silences.json in the report directory: the maintenance silences, written atomically under
// the directory's lock and read back with the bounded reader.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "devops_monitor/check_notes.hpp"
#include "devops_monitor/error.hpp"
#include "devops_monitor/silences.hpp"

namespace devops_monitor {

inline constexpr std::string_view kSilencesName = "silences.json";

/// How long an ended silence stays in the file (and in `silence list`): long enough to see
/// what was silenced last week, short enough that the file never grows.
inline constexpr std::chrono::hours kEndedSilenceKept{24 * 7};

/// The silences in `dir`; none when there is no file. A file that is not a regular file of at
/// most 1 MiB (a FIFO, a symlink, ...) or does not parse is an Error naming it. Entries that
/// are incomplete are skipped.
Result<std::vector<Silence>> read_silences(const std::filesystem::path& dir);

/// read_silences, with an unreadable file as one warning in `notes` and no silences: a
/// planted file never stops a check or a daemon.
std::vector<Silence> read_silences_or_warn(const std::filesystem::path& dir, CheckNotes* notes);

/// JSON text of the file, and back (pure).
std::string silences_file_json(const std::vector<Silence>& silences);
Result<std::vector<Silence>> parse_silences_file(std::string_view text, const std::string& source);

/// Adds `silence` (its id left empty: one is made, unique in the file) under the directory's
/// lock, dropping silences that ended more than kEndedSilenceKept before `now`. An unreadable
/// file is a warning in `notes` and is replaced.
Result<Silence> add_silence(const std::filesystem::path& dir, Silence silence,
                            std::chrono::system_clock::time_point now, CheckNotes* notes);

/// Ends the silence `id` at `now` (it stays listed as ended). Fails when there is none with
/// that id, or it has ended already.
Result<Silence> expire_silence(const std::filesystem::path& dir, const std::string& id,
                               std::chrono::system_clock::time_point now, CheckNotes* notes);

/// The silences of one directory, read again only when the file changed (its mtime, size or
/// inode): daemons ask every second, and a stat is all that costs. Thread-safe.
class SilencesCache {
 public:
  explicit SilencesCache(std::filesystem::path dir) : dir_(std::move(dir)) {}
  /// The silences as the file holds them now; an unreadable file gives none and one warning
  /// in `notes` each time it changes.
  std::vector<Silence> current(CheckNotes* notes = nullptr);

 private:
  struct Stamp {
    bool exists = false;
    std::int64_t mtime_ns = 0;
    std::uintmax_t size = 0;
    std::uintmax_t inode = 0;
    bool operator==(const Stamp&) const = default;
  };
  std::filesystem::path dir_;
  std::mutex mutex_;
  std::optional<Stamp> stamp_;
  std::vector<Silence> silences_;
};

}  // namespace devops_monitor
