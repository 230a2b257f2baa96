// Reading the report directory into samples: the history's only I/O. Files are listed by the
// store's read side (report_listing), filtered by the time in their names before they are
// opened, read with a size bound, and a bad file is one warning, never a failure. A report
// whose size, mtime and ctime match its entry in the index beside the reports is not read
// again (docs/history.md, "Speed").
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "history/history.hpp"
#include "store/report_listing.hpp"
#include "util/atomic_file.hpp"
#include "util/file_io.hpp"
#include "util/guard.hpp"

namespace devops_monitor::history {
namespace {

// A report is a few KiB; anything near this is not one of ours, and reading it whole could
// cost what the whole history should.
constexpr std::size_t kMaxHistoryReportBytes = 1024 * 1024;

// The index is a cache of a few hundred bytes per report; past this it is not ours.
constexpr std::size_t kMaxHistoryIndexBytes = 64 * 1024 * 1024;

FileStamp history_file_stamp(const struct stat& info) {
  auto ns = [](const timespec& t) {
    return static_cast<std::int64_t>(t.tv_sec) * 1'000'000'000 + t.tv_nsec;
  };
  return {static_cast<std::uint64_t>(info.st_size), ns(info.st_mtim), ns(info.st_ctim)};
}

struct HistoryReportText {
  std::string text;
  FileStamp stamp;  // of the file as opened
};

/// The file's bytes, at most `limit`; an Error saying why not otherwise.
Result<HistoryReportText> read_bounded(const std::filesystem::path& file, std::size_t limit) {
  const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
  if (fd < 0) return Error{"cannot open", errno_text(errno), ""};
  std::string text;
  struct stat info {};
  if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
    ::close(fd);
    return Error{"not a regular file", "", ""};
  }
  if (static_cast<std::uint64_t>(info.st_size) > limit) {
    ::close(fd);
    return Error{"larger than " + std::to_string(limit / (1024 * 1024)) + " MiB", "", ""};
  }
  text.resize(static_cast<std::size_t>(info.st_size) + 1);
  std::size_t used = 0;
  // Read until EOF, one byte past the bound at most: a file that grows meanwhile is refused.
  while (true) {
    if (used == text.size()) {
      if (text.size() > limit) {
        ::close(fd);
        return Error{"larger than " + std::to_string(limit / (1024 * 1024)) + " MiB", "", ""};
      }
      text.resize(std::min(text.size() * 2, limit + 1));
    }
    const ssize_t got = ::read(fd, text.data() + used, text.size() - used);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) {
      const int error = errno;
      ::close(fd);
      return Error{"cannot read", errno_text(error), ""};
    }
    if (got == 0) break;
    used += static_cast<std::size_t>(got);
  }
  ::close(fd);
  text.resize(used);
  return HistoryReportText{std::move(text), history_file_stamp(info)};
}

/// The index beside the reports; empty when it is missing, too large or not ours.
HistoryIndex read_history_index(const std::filesystem::path& dir) {
  Result<HistoryReportText> index = read_bounded(dir / kHistoryIndexName, kMaxHistoryIndexBytes);
  if (!index) return {};
  return parse_history_index(index->text);
}

}  // namespace

namespace {

Result<LoadedHistory> load_history_unguarded(const std::filesystem::path& dir, SystemTime since) {
  Result<std::vector<StoredReport>> listed = list_reports(dir);
  if (!listed) return listed.error();
  HistoryIndex old_index = read_history_index(dir);
  HistoryIndex new_index;
  std::vector<HistoryIndex::iterator> in_range;  // map iterators stay valid as it grows
  bool changed = false;
  LoadedHistory loaded;
  for (const StoredReport& stored : *listed) {
    const std::string file_name = stored.path.filename().string();
    auto cached = old_index.find(file_name);
    if (stored.time < since) {
      // By its name, before opening it; its index entry stays for a longer --since.
      if (cached != old_index.end()) new_index.insert(old_index.extract(cached));
      continue;
    }
    struct stat info {};
    if (cached != old_index.end() && ::lstat(stored.path.c_str(), &info) == 0 &&
        S_ISREG(info.st_mode) && history_file_stamp(info) == cached->second.stamp) {
      in_range.push_back(new_index.insert(old_index.extract(cached)).position);
      continue;
    }
    changed = true;
    const std::string name = stored.path.string();
    Result<HistoryReportText> text = read_bounded(stored.path, kMaxHistoryReportBytes);
    if (!text) {
      loaded.warnings.push_back("skipped " + name + ": " + text.error().message());
      continue;
    }
    Result<Sample> sample = parse_sample(text->text, name, stored.time);
    if (!sample) {
      // The detail alone: the file is already named at the front.
      const Error& e = sample.error();
      loaded.warnings.push_back("skipped " + name + ": " + e.what +
                                (e.detail.empty() ? "" : ": " + e.detail));
      continue;
    }
    auto [entry, added] =
        new_index.insert_or_assign(file_name, IndexEntry{text->stamp, std::move(*sample)});
    (void)added;
    in_range.push_back(entry);
  }
  // Entries of reports that are gone (pruned) leave the index too.
  if (changed || !old_index.empty()) {
    // A cache: a directory we may not write to (another user's reports) only costs speed.
    (void)write_file_atomically(dir / kHistoryIndexName, format_history_index(new_index));
  }
  // Moved, not copied: the index is written and done with.
  loaded.samples.reserve(in_range.size());
  for (const auto& entry : in_range) loaded.samples.push_back(std::move(entry->second.sample));
  // Names are written at the end of a check, timestamps at its start: keep time order.
  std::stable_sort(loaded.samples.begin(), loaded.samples.end(),
                   [](const Sample& a, const Sample& b) { return a.time < b.time; });
  return loaded;
}

}  // namespace

Result<LoadedHistory> load_history(const std::filesystem::path& dir, SystemTime since) {
  // The library's promise: no exception escapes (out of memory while reading thousands).
  Result<LoadedHistory> loaded = guarded<LoadedHistory>(
      "cannot read the history", [&] { return load_history_unguarded(dir, since); });
  if (!loaded && loaded.error().where.empty()) {
    Error error = loaded.error();
    error.where = dir.string();
    return error;
  }
  return loaded;
}

}  // namespace devops_monitor::history
