#include "notify/markdown.hpp"

#include "devops_monitor/text.hpp"
#include "util/ascii.hpp"

namespace devops_monitor::notify {
namespace {

constexpr std::string_view kZeroWidthSpace = "\u200b";
constexpr std::string_view kEllipsis = "\u2026";
// ASCII punctuation that starts or ends an inline construct anywhere in a line: emphasis,
// code spans, links and images, table cells, strike-through. Escaped with a backslash.
constexpr std::string_view kEscaped = "\\`*_[]()!|~";
// Punctuation that matters only at the start of the text, where it could open a block
// (a nested list "- x", "+ x", "1. x", "1) x", or a setext underline "==="): the text always
// follows a prefix ("- ", "| ", "**Host:** "), but a list item's content can open blocks.
constexpr std::string_view kEscapedAtStart = "-+=";

}  // namespace

std::string_view utf8_prefix(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  std::size_t end = max_bytes;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end);
}

std::string markdown_text(std::string_view text, std::size_t max_bytes) {
  const std::string line = printable(text);
  std::string_view kept = utf8_prefix(line, max_bytes);
  const bool cut = kept.size() < line.size();
  std::string out;
  out.reserve(kept.size() * 2);
  // "1." or "12)" at the start would open an ordered list: the digits' end is escaped.
  std::size_t leading_digits = 0;
  while (leading_digits < kept.size() && ascii::is_digit(kept[leading_digits])) ++leading_digits;
  for (std::size_t i = 0; i < kept.size(); ++i) {
    const char c = kept[i];
    const std::string_view rest = kept.substr(i);
    if (c == '<') {
      out += "&lt;";
    } else if (c == '>') {
      out += "&gt;";
    } else if (c == '&') {
      out += "&amp;";
    } else if (c == '@') {
      out += '@';
      out += kZeroWidthSpace;
    } else if (c == '#') {
      out += "\\#";
      out += kZeroWidthSpace;
    } else if (rest.starts_with("://")) {
      out += "\\:";
      out += kZeroWidthSpace;
    } else if ((i == 0 || !ascii::is_alpha(kept[i - 1])) &&
               ascii::equals_ignoring_case(rest.substr(0, 4), "www.")) {
      out += rest.substr(0, 3);
      out += kZeroWidthSpace;
      i += 2;
    } else if (kEscaped.find(c) != std::string_view::npos ||
               (i == 0 && kEscapedAtStart.find(c) != std::string_view::npos) ||
               (i > 0 && i == leading_digits && c == '.')) {
      out += '\\';
      out += c;
    } else {
      out += c;
    }
  }
  if (cut) out += kEllipsis;
  return out;
}

std::string bound_body(std::string body, std::size_t limit) {
  if (body.size() <= limit) return body;
  const std::string note =
      "\n\n_(cut: the full text was longer than GitHub's limit of 65536 characters)_\n";
  std::size_t end = limit > note.size() ? limit - note.size() : 0;
  const std::size_t line_end = body.rfind('\n', end);
  if (line_end != std::string::npos && line_end > 0) end = line_end;
  body.resize(utf8_prefix(body, end).size());
  body += note;
  return body;
}

}  // namespace devops_monitor::notify
