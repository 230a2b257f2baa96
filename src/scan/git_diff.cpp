#include "scan/git_diff.hpp"

#include <charconv>

#include "devops_monitor/text.hpp"

namespace devops_monitor::scan {
namespace {

struct HunkRange {
  std::uint64_t old_count = 0;
  std::uint64_t new_start = 0;
  std::uint64_t new_count = 0;
};

/// "12" or "12,3" at the start of `text` (after the sign); the count is 1 when omitted.
bool read_range(std::string_view& text, std::uint64_t& start, std::uint64_t& count) {
  const char* begin = text.data();
  const char* end = begin + text.size();
  auto [after_start, error] = std::from_chars(begin, end, start);
  if (error != std::errc()) return false;
  count = 1;
  if (after_start != end && *after_start == ',') {
    auto [after_count, count_error] = std::from_chars(after_start + 1, end, count);
    if (count_error != std::errc()) return false;
    after_start = after_count;
  }
  text.remove_prefix(static_cast<std::size_t>(after_start - begin));
  return true;
}

/// "@@ -a[,b] +c[,d] @@..." as counts; false when the line is not such a header (a combined
/// diff's "@@@" is not read: merges are not diffed).
bool parse_hunk_header(std::string_view line, HunkRange& range) {
  if (!line.starts_with("@@ -")) return false;
  line.remove_prefix(4);
  std::uint64_t old_start = 0;
  if (!read_range(line, old_start, range.old_count)) return false;
  if (!line.starts_with(" +")) return false;
  line.remove_prefix(2);
  if (!read_range(line, range.new_start, range.new_count)) return false;
  return line.starts_with(" @@");
}

/// Git's C quoting (quote_c_style): \a \b \t \n \v \f \r \" \\ and three octal digits.
std::string unquote_c(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char ch = text[i];
    if (ch != '\\' || i + 1 >= text.size()) {
      out += ch;
      continue;
    }
    const char next = text[++i];
    switch (next) {
      case 'a':
        out += '\a';
        break;
      case 'b':
        out += '\b';
        break;
      case 't':
        out += '\t';
        break;
      case 'n':
        out += '\n';
        break;
      case 'v':
        out += '\v';
        break;
      case 'f':
        out += '\f';
        break;
      case 'r':
        out += '\r';
        break;
      default:
        if (next >= '0' && next <= '3' && i + 2 < text.size() && text[i + 1] >= '0' &&
            text[i + 1] <= '7' && text[i + 2] >= '0' && text[i + 2] <= '7') {
          out += static_cast<char>(((next - '0') << 6) | ((text[i + 1] - '0') << 3) |
                                   (text[i + 2] - '0'));
          i += 2;
        } else {
          out += next;  // \" and \\, and anything git would not write, kept as the character
        }
    }
  }
  return out;
}

std::string_view without_cr(std::string_view line) {
  if (line.ends_with('\r')) line.remove_suffix(1);
  return line;
}

}  // namespace

std::string diff_header_path(std::string_view text, std::string_view prefix) {
  std::string path;
  if (text.size() >= 2 && text.front() == '"') {
    const std::size_t close = text.rfind('"');
    path = unquote_c(text.substr(1, close == 0 ? std::string_view::npos : close - 1));
  } else {
    if (text.ends_with('\t')) text.remove_suffix(1);
    path = std::string(text);
  }
  if (path.starts_with(prefix)) path.erase(0, prefix.size());
  return path;
}

DiffReader::DiffReader(std::uint64_t max_size, HunkVisitor visit,
                       std::vector<std::string>& warnings)
    : max_size_(max_size), visit_(std::move(visit)), warnings_(warnings) {}

void DiffReader::feed(std::string_view data) {
  while (!data.empty()) {
    const std::size_t newline = data.find('\n');
    const std::string_view piece = data.substr(0, newline);
    if (!partial_truncated_) {
      const std::size_t room = max_size_ >= partial_.size() ? max_size_ - partial_.size() : 0;
      if (piece.size() > room) {
        // Only the line's start is kept: its first byte says which side of a hunk it is on.
        if (partial_.empty()) partial_.append(piece.substr(0, 1));
        partial_truncated_ = true;
      } else {
        partial_.append(piece);
      }
    }
    if (newline == std::string_view::npos) return;
    read_line(partial_, partial_truncated_);
    partial_.clear();
    partial_truncated_ = false;
    data.remove_prefix(newline + 1);
  }
}

void DiffReader::finish() {
  if (!partial_.empty() || partial_truncated_) read_line(partial_, partial_truncated_);
  partial_.clear();
  partial_truncated_ = false;
  if (in_hunk_) close_hunk();
}

void DiffReader::read_line(std::string_view line, bool truncated) {
  if (in_hunk_) {
    read_hunk_line(line, truncated);
  } else if (!truncated) {
    read_header(line);
  }
}

void DiffReader::read_header(std::string_view line) {
  if (line.starts_with(kDiffCommitMarker)) {
    commit_ = std::string(without_cr(line.substr(kDiffCommitMarker.size())));
    path_.clear();
  } else if (line.starts_with("diff --git ")) {
    path_.clear();
  } else if (line.starts_with("+++ ")) {
    const std::string_view name = without_cr(line.substr(4));
    path_ = name == "/dev/null" ? std::string() : diff_header_path(name, "b/");
  } else if (HunkRange range; parse_hunk_header(without_cr(line), range)) {
    in_hunk_ = range.old_count > 0 || range.new_count > 0;
    old_left_ = range.old_count;
    new_left_ = range.new_count;
    first_line_ = static_cast<std::size_t>(range.new_start);
    added_.clear();
    hunk_skipped_ = false;
  }
}

void DiffReader::read_hunk_line(std::string_view line, bool truncated) {
  const char side = line.empty() ? ' ' : line.front();
  if (side == '\\') return;  // "\ No newline at end of file"
  if (side == '+' || side == ' ') {
    if (side == '+' && !hunk_skipped_) {
      if (truncated) {
        skip_hunk("a line longer than " + std::to_string(max_size_) + " bytes");
      } else if (added_.size() + line.size() > max_size_) {
        skip_hunk("added lines over " + std::to_string(max_size_) + " bytes");
      } else {
        added_.append(line.substr(1));
        added_ += '\n';
      }
    }
    if (new_left_ > 0) --new_left_;
  }
  if ((side == '-' || side == ' ') && old_left_ > 0) --old_left_;
  if (side != '+' && side != '-' && side != ' ') {
    // Not a hunk line: the counts were wrong. Read it as a header rather than lose it.
    close_hunk();
    if (!truncated) read_header(line);
    return;
  }
  if (old_left_ == 0 && new_left_ == 0) close_hunk();
}

void DiffReader::skip_hunk(const std::string& why) {
  hunk_skipped_ = true;
  added_.clear();
  std::string where = path_;
  if (!commit_.empty()) where = commit_ + ":" + where;
  warnings_.push_back("skipped lines " + std::to_string(first_line_) + "+ of " + printable(where) +
                      ": " + why + " (--max-file-size)");
}

void DiffReader::close_hunk() {
  in_hunk_ = false;
  if (!hunk_skipped_ && !added_.empty() && !path_.empty()) {
    visit_(DiffHunk{commit_, path_, first_line_, added_});
  }
  added_.clear();
  hunk_skipped_ = false;
}

}  // namespace devops_monitor::scan
