// The diff reader on arbitrary bytes (git's output of a repository someone else wrote): it
// never crashes, every hunk it gives is within bounds and made of the input's added lines,
// and the same hunks come out whether the input arrives whole or split at any point.
#include "fuzz_support.hpp"
#include "scan/git_diff.hpp"

using namespace devops_monitor;

namespace {

constexpr std::uint64_t kFuzzMaxSize = 256;

struct FuzzHunk {
  std::string commit;
  std::string path;
  std::size_t first_line;
  std::string added;
  bool operator==(const FuzzHunk&) const = default;
};

std::vector<FuzzHunk> read_in_two(std::string_view text, std::size_t split,
                                  std::vector<std::string>& warnings) {
  std::vector<FuzzHunk> hunks;
  scan::DiffReader reader(
      kFuzzMaxSize,
      [&hunks](const scan::DiffHunk& hunk) {
        hunks.push_back({std::string(hunk.commit), std::string(hunk.path), hunk.first_line,
                         std::string(hunk.added)});
      },
      warnings);
  reader.feed(text.substr(0, split));
  reader.feed(text.substr(split));
  reader.finish();
  return hunks;
}

}  // namespace

FUZZ_TARGET(git_diff) {
  const std::string_view text = fuzz::as_text(data, size);
  std::vector<std::string> warnings;
  const std::vector<FuzzHunk> whole = read_in_two(text, text.size(), warnings);
  for (const FuzzHunk& hunk : whole) {
    FUZZ_CHECK(!hunk.path.empty(), "a hunk without a path");
    FUZZ_CHECK(!hunk.added.empty() && hunk.added.back() == '\n', hunk.added);
    FUZZ_CHECK(hunk.added.size() <= kFuzzMaxSize, "a hunk over the bound");
    // Each added line was in the input after a '+'.
    std::size_t start = 0;
    while (start < hunk.added.size()) {
      const std::size_t end = hunk.added.find('\n', start);
      const std::string line = "+" + hunk.added.substr(start, end - start);
      FUZZ_CHECK(text.find(line) != std::string_view::npos, "an added line not in the input");
      start = end + 1;
    }
  }
  std::vector<std::string> split_warnings;
  const std::vector<FuzzHunk> split = read_in_two(text, size / 2, split_warnings);
  FUZZ_CHECK(split == whole, "hunks depend on where the input was split");
  FUZZ_CHECK(split_warnings == warnings, "warnings depend on where the input was split");
  return 0;
}
