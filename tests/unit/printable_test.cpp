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

TEST(Printable, IsIdempotent) {
  const std::string nasty = "\x1b[31m\xC2\x9B\x9b\xE2\x82\n\t\xF0\x9F\x94\x91ok";
  EXPECT_EQ(printable(printable(nasty)), printable(nasty));
}

}  // namespace
}  // namespace devops_monitor
