// printable(): whatever comes in, the result is well-formed UTF-8 without control characters,
// bidirectional controls or line separators (fuzz::is_printable_line checks each without
// printable()'s code), applying it twice changes nothing, and text that was already safe is
// kept.
#include "devops_monitor/text.hpp"
#include "fuzz_support.hpp"

using namespace devops_monitor;

FUZZ_TARGET(printable) {
  const std::string_view input = fuzz::as_text(data, size);
  const std::string out = printable(input);
  FUZZ_CHECK(fuzz::is_printable_line(out), out);
  // Spelled out, the property Trojan Source needs broken: no override, isolate or separator.
  for (const char* reorders : {"\xE2\x80\xAE", "\xE2\x80\xAB", "\xE2\x81\xA7", "\xE2\x80\xA8"}) {
    FUZZ_CHECK(out.find(reorders) == std::string::npos, out);
  }
  FUZZ_CHECK(printable(out) == out, out);
  // Safe text (no tab or newline either) passes unchanged.
  if (fuzz::is_printable_line(input)) FUZZ_CHECK(out == input, out);
  // Each input byte yields at most one U+FFFD (3 bytes); nothing else grows.
  FUZZ_CHECK(out.size() <= 3 * input.size(), out);
  return 0;
}
