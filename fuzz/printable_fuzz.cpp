// printable(): whatever comes in, the result is well-formed UTF-8 without control
// characters, applying it twice changes nothing, and text that was already safe is kept.
#include "devops_monitor/text.hpp"
#include "fuzz_support.hpp"

using namespace devops_monitor;

FUZZ_TARGET(printable) {
  const std::string_view input = fuzz::as_text(data, size);
  const std::string out = printable(input);
  FUZZ_CHECK(fuzz::is_printable_line(out), out);
  FUZZ_CHECK(printable(out) == out, out);
  // Safe text (no tab or newline either) passes unchanged.
  if (fuzz::is_printable_line(input)) FUZZ_CHECK(out == input, out);
  // Each input byte yields at most one U+FFFD (3 bytes); nothing else grows.
  FUZZ_CHECK(out.size() <= 3 * input.size(), out);
  return 0;
}
