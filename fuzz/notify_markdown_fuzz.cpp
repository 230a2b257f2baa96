// GitHub issue text from outside input: markdown_text() always gives one printable line that
// cannot open HTML (no '<' or '>'), cannot break a table cell (every '|' escaped) and cannot
// mention anyone (every '@' followed by a zero-width space); the scan-results and
// state-marker readers take any input without crashing.
#include "fuzz_support.hpp"
#include "notify/github_body.hpp"
#include "notify/markdown.hpp"
#include "notify/scan_results.hpp"

using namespace devops_monitor;

FUZZ_TARGET(notify_markdown) {
  const std::string_view input = fuzz::as_text(data, size);
  const std::string out = notify::markdown_text(input, 4096);
  FUZZ_CHECK(fuzz::is_printable_line(out), out);
  FUZZ_CHECK(out.find_first_of("<>") == std::string::npos, out);
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (out[i] == '|') FUZZ_CHECK(i > 0 && out[i - 1] == '\\', out);
    if (out[i] == '@') FUZZ_CHECK(out.compare(i + 1, 3, "\u200b") == 0, out);
  }
  (void)notify::parse_scan_results(input, "fuzz");
  (void)notify::read_state_marker(input);
  const std::string bounded = notify::bound_body(std::string(input), 1024);
  FUZZ_CHECK(bounded.size() <= 1024 || bounded == input, bounded);
  return 0;
}
