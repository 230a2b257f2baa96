// The history seam for the library's own code: the public declarations
// (include/devops_monitor/history.hpp) and the parts only src/ and the tests use.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "devops_monitor/history.hpp"
#include "util/time_format.hpp"

namespace devops_monitor::history {

/// The sample one report file makes, read straight from its JSON (ours or the old tool's
/// format); `name_time` is the time in the file name, used when the report's own timestamp is
/// missing or unreadable (old reports have no offset). Outside input: any text is an Error,
/// never a crash. Used by load_history and fuzz/history_fuzz.cpp.
Result<Sample> parse_sample(std::string_view json_text, const std::string& source,
                            SystemTime name_time);

/// The name of the index load_history keeps beside the reports (docs/history.md, "Speed").
inline constexpr const char* kHistoryIndexName = "history_index.tsv";

/// Which version of a report file an index entry was made from: a sample is reused only when
/// all three still match the file (any write changes ctime; a copied directory is re-read).
struct FileStamp {
  std::uint64_t size = 0;
  std::int64_t mtime_ns = 0;
  std::int64_t ctime_ns = 0;
  bool operator==(const FileStamp&) const = default;
};

struct IndexEntry {
  FileStamp stamp;
  Sample sample;
};

/// Report file name -> what the index holds for it.
using HistoryIndex = std::map<std::string, IndexEntry>;

/// The index's text: a version line, then one tab-separated line per report, text fields
/// percent-encoded. Outside input like the reports: a line that does not read back exactly is
/// left out (its report is read again), a wrong version line gives an empty index.
HistoryIndex parse_history_index(std::string_view text);
std::string format_history_index(const HistoryIndex& index);

}  // namespace devops_monitor::history
