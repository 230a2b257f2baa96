// Why not just drop bytes below 0x20: ESC is not the only way to drive a terminal. The C1
// controls U+0080 to U+009F (CSI, OSC, DCS) act on terminals that read UTF-8 as well, and a
// raw 0x9B byte is CSI to an 8-bit terminal; so the text is decoded strictly and anything
// that is not well-formed UTF-8 is replaced rather than passed through. Bidirectional controls
// go too: they make a terminal, a browser or GitHub show text in another order than it is
// read ("Trojan Source", CVE-2021-42574), and one line of a diagnostic never needs them.
#include <cstddef>

#include "devops_monitor/text.hpp"

namespace devops_monitor {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

/// One step of strict UTF-8 decoding (Unicode table 3-7: no overlong forms, no surrogates,
/// nothing above U+10FFFF). `length` is 0 for an ill-formed sequence; `skip` is then the
/// length of its maximal subpart (at least 1 byte), which becomes one U+FFFD, as the Unicode
/// standard recommends.
struct Utf8Step {
  std::size_t length = 0;
  std::size_t skip = 1;
  char32_t code_point = 0;
};

Utf8Step next_utf8(std::string_view s) {
  const auto lead = static_cast<unsigned char>(s[0]);
  if (lead < 0x80) return {1, 1, lead};
  std::size_t trailing = 0;
  char32_t code_point = 0;
  unsigned char low = 0x80;  // the range of the first trailing byte
  unsigned char high = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    trailing = 1;
    code_point = lead & 0x1F;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    trailing = 2;
    code_point = lead & 0x0F;
    if (lead == 0xE0) low = 0xA0;   // overlong
    if (lead == 0xED) high = 0x9F;  // surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    trailing = 3;
    code_point = lead & 0x07;
    if (lead == 0xF0) low = 0x90;   // overlong
    if (lead == 0xF4) high = 0x8F;  // above U+10FFFF
  } else {
    return {};  // a trailing byte, or a lead that can never start a well-formed sequence
  }
  for (std::size_t i = 1; i <= trailing; ++i) {
    if (i >= s.size()) return {.skip = i};
    const auto byte = static_cast<unsigned char>(s[i]);
    if (byte < low || byte > high) return {.skip = i};
    low = 0x80;
    high = 0xBF;
    code_point = (code_point << 6) | (byte & 0x3F);
  }
  return {trailing + 1, trailing + 1, code_point};
}

bool is_line_break_or_tab(char32_t c) {
  return c == U'\t' || c == U'\n' || c == U'\v' || c == U'\f' || c == U'\r';
}

/// U+2028 and U+2029 end a line in JavaScript, some terminals and editors: a space, like '\n'.
bool is_line_separator(char32_t c) {
  return c == U'\u2028' || c == U'\u2029';
}

bool is_control(char32_t c) {
  return c < 0x20 || (c >= 0x7F && c <= 0x9F);
}

/// The embeddings and overrides (U+202A to U+202E), the isolates (U+2066 to U+2069), and the
/// invisible marks (LRM, RLM, ALM), which reorder or hide nothing alone but are as invisible
/// and have no business in one line of outside text either.
bool is_bidi_control(char32_t c) {
  return (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) || c == 0x200E ||
         c == 0x200F || c == 0x061C;
}

}  // namespace

std::string printable(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  while (!text.empty()) {
    const Utf8Step step = next_utf8(text);
    if (step.length == 0) {
      out += kReplacement;
    } else if (is_line_break_or_tab(step.code_point) || is_line_separator(step.code_point)) {
      out += ' ';
    } else if (!is_control(step.code_point) && !is_bidi_control(step.code_point)) {
      out += text.substr(0, step.length);
    }
    text.remove_prefix(step.length == 0 ? step.skip : step.length);
  }
  return out;
}

}  // namespace devops_monitor
