// printable(): external text made safe for terminals and reports.
#include <gtest/gtest.h>

#include <string>

#include "devops_monitor/text.hpp"

namespace devops_monitor {
namespace {

using namespace std::string_literals;

constexpr const char* kFffd = "\xEF\xBF\xBD";

TEST(Printable, PlainTextIsUnchanged) {
  EXPECT_EQ(printable("Incorrect API key provided: [REDACTED]."),
            "Incorrect API key provided: [REDACTED].");
  EXPECT_EQ(printable(""), "");
}

TEST(Printable, RemovesC0ControlsAndDel) {
  // The terminal title and clear-screen sequences of the brief: ESC ] 0 ; ... BEL, ESC [ 2 J.
  EXPECT_EQ(printable("\x1b]0;pwned\x07\x1b[2Jrest"), "]0;pwned[2Jrest");
  EXPECT_EQ(printable("a\0b"s), "ab");
  EXPECT_EQ(printable("a\x7f"
                      "b\x01\x1f"),
            "ab");
  EXPECT_EQ(printable("back\bspace"), "backspace");
}

TEST(Printable, TabsAndLineBreaksBecomeSpaces) {
  EXPECT_EQ(printable("one\ntwo\r\nthree\tfour\vfive\fsix"), "one two  three four five six");
}

TEST(Printable, RemovesC1ControlsEncodedAsUtf8) {
  // U+009B (CSI) and U+009D (OSC) as UTF-8, the whole C1 range, and its edges.
  EXPECT_EQ(printable("a\xC2\x9B"
                      "31mb\xC2\x9D"
                      "0;x"),
            "a31mb0;x");
  std::string c1;
  for (int c = 0x80; c <= 0x9F; ++c) c1 += "\xC2"s + static_cast<char>(c);
  EXPECT_EQ(printable("<" + c1 + ">"), "<>");
  EXPECT_EQ(printable("\xC2\xA0"), "\xC2\xA0");  // U+00A0, just past C1, stays
}

TEST(Printable, ReplacesIllFormedUtf8) {
  // A raw 0x9B is CSI on an 8-bit terminal.
  EXPECT_EQ(printable("a\x9b"
                      "2Jb"),
            "a"s + kFffd + "2Jb");
  EXPECT_EQ(printable("\xff\xfe"), std::string(kFffd) + kFffd);
  EXPECT_EQ(printable("\xC0\xAF"), std::string(kFffd) + kFffd);              // overlong '/'
  EXPECT_EQ(printable("\xED\xA0\x80"), std::string(kFffd) + kFffd + kFffd);  // surrogate
  EXPECT_EQ(printable("\xF4\x90\x80\x80"), std::string(kFffd) + kFffd + kFffd + kFffd);
  // A truncated sequence is one U+FFFD (its maximal subpart), and the next character stays.
  EXPECT_EQ(printable("\xE2\x82x"), kFffd + "x"s);
  EXPECT_EQ(printable("end\xF0\x9F\x98"), "end"s + kFffd);
}

TEST(Printable, KeepsValidMultiByteUtf8AndEmoji) {
  const std::string text =
      "caf\xC3\xA9 \xE6\x97\xA5\xE6\x9C\xAC \xF0\x9F\x94\x91 \xE2\x9A\xA0\xEF\xB8\x8F "
      "\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x92\xBB \xEF\xBF\xBD";
  EXPECT_EQ(printable(text), text);
  EXPECT_EQ(printable("\xF4\x8F\xBF\xBF"), "\xF4\x8F\xBF\xBF");  // U+10FFFF, the last one
}

/// A code point as UTF-8.
std::string utf8(char32_t c) {
  if (c < 0x80) return std::string(1, static_cast<char>(c));
  if (c < 0x800) {
    return {static_cast<char>(0xC0 | (c >> 6)), static_cast<char>(0x80 | (c & 0x3F))};
  }
  return {static_cast<char>(0xE0 | (c >> 12)), static_cast<char>(0x80 | ((c >> 6) & 0x3F)),
          static_cast<char>(0x80 | (c & 0x3F))};
}

TEST(Printable, RemovesBidirectionalControls) {
  // Trojan Source: a right-to-left override makes "state = 'valid' /* admin */" show in
  // another order than it is read. Embeddings and overrides, isolates, and the invisible marks.
  for (char32_t c : {U'\u202A', U'\u202B', U'\u202C', U'\u202D', U'\u202E', U'\u2066', U'\u2067',
                     U'\u2068', U'\u2069', U'\u200E', U'\u200F', U'\u061C'}) {
    EXPECT_EQ(printable("ab" + utf8(c) + "cd"), "abcd") << static_cast<unsigned>(c);
  }
  // Their neighbours stay: the zero-width joiner of emoji sequences, U+2029's neighbours.
  EXPECT_EQ(printable(utf8(0x2069) + utf8(0x206A) + utf8(0x200D)), utf8(0x206A) + utf8(0x200D));
  EXPECT_EQ(printable(utf8(0x2029) + utf8(0x202F)), " " + utf8(0x202F));
  // Right-to-left letters themselves are text, not controls.
  const std::string hebrew_and_arabic = "\xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D \xD9\x85\xD8\xB1";
  EXPECT_EQ(printable(hebrew_and_arabic), hebrew_and_arabic);
}

TEST(Printable, LineAndParagraphSeparatorsBecomeSpaces) {
  // JavaScript, some terminals and editors end a line at U+2028 and U+2029.
  EXPECT_EQ(printable("one" + utf8(0x2028) + "two" + utf8(0x2029) + "three"), "one two three");
}

TEST(Printable, IsIdempotent) {
  const std::string nasty =
      "\x1b[31m\xC2\x9B\x9b\xE2\x82\n\t\xF0\x9F\x94\x91ok\xE2\x80\xAE\xE2\x80\xA8\xE2\x81";
  EXPECT_EQ(printable(printable(nasty)), printable(nasty));
}

}  // namespace
}  // namespace devops_monitor
