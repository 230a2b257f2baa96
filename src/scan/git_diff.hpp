// Reading `git diff -U0` and `git log -p -U0` output for what each file gained: per commit
// and file, the added lines of each hunk (consecutive lines of the new file) with the line
// number of the first. Pure: text in, hunks out; the text is fed in pieces as git writes it,
// so a whole history is never held, only the hunk being read.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace devops_monitor::scan {

/// The line that starts each commit in the log the reader is given: `git log
/// --format=commit %H` (any line starting with it outside a hunk).
inline constexpr std::string_view kDiffCommitMarker = "commit ";

struct DiffHunk {
  std::string_view commit;     // "" for `git diff`
  std::string_view path;       // in the new tree, unquoted, without "b/"
  std::size_t first_line = 0;  // 1-based line in the new file of the first added line
  std::string_view added;      // the added lines, each ending in '\n', without the leading '+'
};

class DiffReader {
 public:
  using HunkVisitor = std::function<void(const DiffHunk&)>;

  /// `max_size` bounds one line and one hunk's added text; larger ones are skipped with one
  /// warning each.
  DiffReader(std::uint64_t max_size, HunkVisitor visit, std::vector<std::string>& warnings);

  /// The next piece of git's output; lines may be split anywhere.
  void feed(std::string_view data);
  /// The end of git's output: a last line without a newline and the open hunk are read.
  void finish();

 private:
  void read_line(std::string_view line, bool truncated);
  void read_header(std::string_view line);
  void read_hunk_line(std::string_view line, bool truncated);
  void close_hunk();
  void skip_hunk(const std::string& why);

  std::uint64_t max_size_;
  HunkVisitor visit_;
  std::vector<std::string>& warnings_;
  std::string partial_;             // the line being received
  bool partial_truncated_ = false;  // it passed max_size_; the rest is dropped
  std::string commit_;
  std::string path_;  // "" after a "+++ /dev/null" or before any "+++"
  bool in_hunk_ = false;
  std::uint64_t old_left_ = 0;  // lines of the hunk still to come, by side
  std::uint64_t new_left_ = 0;
  std::size_t first_line_ = 0;
  std::string added_;
  bool hunk_skipped_ = false;
};

/// A path from a diff header: C-quoted ("a/x\tz", octal escapes) or plain, with a trailing
/// TAB (git adds one after names with spaces) removed, then `prefix` ("a/" or "b/") removed.
std::string diff_header_path(std::string_view text, std::string_view prefix);

}  // namespace devops_monitor::scan
