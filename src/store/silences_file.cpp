#include "store/silences_file.hpp"

#include <sys/random.h>
#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "model/silence_json.hpp"
#include "store/report_lock.hpp"
#include "util/atomic_file.hpp"
#include "util/file_io.hpp"
#include "util/time_format.hpp"

namespace devops_monitor {
namespace {

constexpr std::size_t kMaxSilencesBytes = 1 * kMiB;  // a few hundred bytes per silence

/// "s" and six hex digits: short enough to type, from the kernel's random bits.
std::string random_silence_id(unsigned attempt) {
  std::uint32_t bits = 0;
  if (::getrandom(&bits, sizeof bits, GRND_NONBLOCK) != static_cast<ssize_t>(sizeof bits)) {
    bits = static_cast<std::uint32_t>(std::chrono::steady_clock::now().time_since_epoch().count()) ^
           (attempt * 0x9E3779B9U);
  }
  std::array<char, 8> hex{};
  std::snprintf(hex.data(), hex.size(), "%06x", bits & 0xFFFFFFU);
  return std::string("s") + hex.data();
}

bool has_id(const std::vector<Silence>& silences, const std::string& id) {
  return std::any_of(silences.begin(), silences.end(),
                     [&](const Silence& silence) { return silence.id == id; });
}

/// Silences that ended more than kEndedSilenceKept before `now` (or whose end does not parse)
/// are dropped.
std::vector<Silence> without_old(std::vector<Silence> silences, SystemTime now) {
  std::erase_if(silences, [now](const Silence& silence) {
    const std::optional<SystemTime> ends = parse_rfc3339(silence.ends_at);
    return !ends || *ends + kEndedSilenceKept < now;
  });
  return silences;
}

std::string now_text(SystemTime now) {
  return format_rfc3339(now, local_utc_offset(now));
}

/// Read-modify-write of the file under the directory's lock.
template <class Change>
Result<Silence> change_silences(const std::filesystem::path& dir, CheckNotes* notes,
                                Change change) {
  Result<ReportDirLock> lock = ReportDirLock::acquire(dir, kReportLockPatience);
  if (!lock) return lock.error();
  Result<std::vector<Silence>> current = read_silences(dir);
  std::vector<Silence> silences;
  if (current) {
    silences = std::move(*current);
  } else if (notes != nullptr) {
    notes->warnings.push_back(Error{
        current.error().what, current.error().detail + "; it is replaced", current.error().where});
  }
  Result<Silence> changed = change(silences);
  if (!changed) return changed;
  Result<void> written = write_file_atomically(dir / kSilencesName, silences_file_json(silences));
  if (!written) return written.error();
  return changed;
}

}  // namespace

std::string silences_file_json(const std::vector<Silence>& silences) {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const Silence& silence : silences) list.push_back(silence_json(silence));
  const nlohmann::ordered_json doc = {{"version", 1}, {"silences", list}};
  return doc.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

Result<std::vector<Silence>> parse_silences_file(std::string_view text, const std::string& source) {
  const nlohmann::ordered_json doc =
      nlohmann::ordered_json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object() || !doc.contains("silences") || !doc["silences"].is_array()) {
    return Error{"cannot read silences", "not a silences file", source};
  }
  std::vector<Silence> silences;
  for (const nlohmann::ordered_json& entry : doc["silences"]) {
    if (std::optional<Silence> silence = silence_from_json(entry)) {
      silences.push_back(std::move(*silence));
    }
  }
  return silences;
}

Result<std::vector<Silence>> read_silences(const std::filesystem::path& dir) {
  const std::filesystem::path file = dir / kSilencesName;
  std::error_code ec;
  // symlink_status: a symlink is there (and refused below) even when it points nowhere.
  if (std::filesystem::symlink_status(file, ec).type() == std::filesystem::file_type::not_found) {
    return std::vector<Silence>{};
  }
  // Found in the report directory, not named: a planted FIFO or /dev/zero symlink is refused.
  Result<RegularFileText> text = read_regular_file(
      file, "cannot read silences",
      {.max_bytes = kMaxSilencesBytes, .symlinks = Symlinks::refuse, .kind = "silences file"});
  if (!text) return text.error();
  return parse_silences_file(text->text, file.string());
}

std::vector<Silence> read_silences_or_warn(const std::filesystem::path& dir, CheckNotes* notes) {
  Result<std::vector<Silence>> silences = read_silences(dir);
  if (silences) return std::move(*silences);
  if (notes != nullptr) notes->warnings.push_back(silences.error());
  return {};
}

Result<Silence> add_silence(const std::filesystem::path& dir, Silence silence, SystemTime now,
                            CheckNotes* notes) {
  return change_silences(dir, notes, [&](std::vector<Silence>& silences) -> Result<Silence> {
    silences = without_old(std::move(silences), now);
    for (unsigned attempt = 0; silence.id.empty() || has_id(silences, silence.id); ++attempt) {
      silence.id = random_silence_id(attempt);
    }
    silences.push_back(silence);
    return silence;
  });
}

Result<Silence> expire_silence(const std::filesystem::path& dir, const std::string& id,
                               SystemTime now, CheckNotes* notes) {
  return change_silences(dir, notes, [&](std::vector<Silence>& silences) -> Result<Silence> {
    auto it = std::find_if(silences.begin(), silences.end(),
                           [&](const Silence& silence) { return silence.id == id; });
    if (it == silences.end()) {
      return Error{"cannot expire silence", "there is no silence with that id; see silence list",
                   id};
    }
    const std::optional<SystemTime> ends = parse_rfc3339(it->ends_at);
    if (ends && *ends <= now) {
      return Error{"cannot expire silence", "it ended at " + it->ends_at, id};
    }
    it->ends_at = now_text(now);
    // A silence that had not started yet ends before it starts: it never held.
    if (const std::optional<SystemTime> starts = parse_rfc3339(it->starts_at);
        !starts || *starts > now) {
      it->starts_at = it->ends_at;
    }
    Silence expired = *it;
    silences = without_old(std::move(silences), now);
    return expired;
  });
}

std::vector<Silence> SilencesCache::current(CheckNotes* notes) {
  struct stat info {};
  Stamp stamp;
  const std::filesystem::path file = dir_ / kSilencesName;
  if (::lstat(file.c_str(), &info) == 0) {
    stamp = {.exists = true,
             .mtime_ns =
                 static_cast<std::int64_t>(info.st_mtim.tv_sec) * 1000000000 + info.st_mtim.tv_nsec,
             .size = static_cast<std::uintmax_t>(info.st_size),
             .inode = static_cast<std::uintmax_t>(info.st_ino)};
  }
  const std::lock_guard<std::mutex> guard(mutex_);
  if (stamp_ && *stamp_ == stamp) return silences_;
  stamp_ = stamp;
  silences_ = stamp.exists ? read_silences_or_warn(dir_, notes) : std::vector<Silence>{};
  return silences_;
}

}  // namespace devops_monitor
