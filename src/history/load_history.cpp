// Reading the report directory into samples: the history's only I/O. Files are listed by the
// store's read side (report_listing), filtered by the time in their names before they are
// opened, read with a size bound, and a bad file is one warning, never a failure. A report
// whose size, mtime and ctime match its entry in the index beside the reports is not read
// again (docs/history.md, "Speed").
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>

#include "history/history.hpp"
#include "store/report_listing.hpp"
#include "util/atomic_file.hpp"
#include "util/file_io.hpp"
#include "util/guard.hpp"

namespace devops_monitor::history {
namespace {

FileStamp history_file_stamp(const struct stat& info) {
  auto ns = [](const timespec& t) {
    return static_cast<std::int64_t>(t.tv_sec) * 1'000'000'000 + t.tv_nsec;
  };
  return {static_cast<std::uint64_t>(info.st_size), ns(info.st_mtim), ns(info.st_ctim)};
}

/// A report file found in the directory: never a symlink, a FIFO or anything over the cap.
Result<RegularFileText> read_history_report(const std::filesystem::path& file) {
  return read_regular_file(
      file, "cannot read report",
      {.max_bytes = kMaxReportBytes, .symlinks = Symlinks::refuse, .kind = "report"});
}

/// The index beside the reports; empty when it is missing or not ours. One that is there but
/// cannot be read (a FIFO, a symlink, over the cap) is a warning: it is replaced on the way.
HistoryIndex read_history_index(const std::filesystem::path& dir,
                                std::vector<std::string>& warnings) {
  const std::filesystem::path file = dir / kHistoryIndexName;
  std::error_code ec;
  if (std::filesystem::symlink_status(file, ec).type() == std::filesystem::file_type::not_found) {
    return {};
  }
  Result<RegularFileText> index = read_regular_file(
      file, "history index not used",
      {.max_bytes = kMaxHistoryIndexBytes, .symlinks = Symlinks::refuse, .kind = "history index"});
  if (!index) {
    warnings.push_back(index.error().message());
    return {};
  }
  return parse_history_index(index->text);
}

}  // namespace

namespace {

Result<LoadedHistory> load_history_unguarded(const std::filesystem::path& dir, SystemTime since) {
  Result<std::vector<StoredReport>> listed = list_reports(dir);
  if (!listed) return listed.error();
  LoadedHistory loaded;
  HistoryIndex old_index = read_history_index(dir, loaded.warnings);
  HistoryIndex new_index;
  std::vector<HistoryIndex::iterator> in_range;  // map iterators stay valid as it grows
  bool changed = false;
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
    Result<RegularFileText> text = read_history_report(stored.path);
    if (!text) {
      // The reason alone: the file is already named at the front.
      loaded.warnings.push_back("skipped " + name + ": " + text.error().detail);
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
    auto [entry, added] = new_index.insert_or_assign(
        file_name, IndexEntry{history_file_stamp(text->info), std::move(*sample)});
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
