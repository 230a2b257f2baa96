// Outside text (report strings, scan results) made inert for GitHub-flavoured Markdown, and
// bodies bounded to what GitHub accepts. Pure functions, shared by every notifier that
// writes Markdown.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace devops_monitor::notify {

/// GitHub's limit for an issue or comment body, in characters.
inline constexpr std::size_t kGithubBodyLimit = 65536;

/// The longest prefix of `text` of at most `max_bytes` bytes that ends on a UTF-8 boundary.
std::string_view utf8_prefix(std::string_view text, std::size_t max_bytes);

/// `text` as one line of literal Markdown text, safe inline, in a list item and in a table
/// cell: printable() first (no control characters, no line breaks), then
///  - `<`, `>`, `&` become entities, so no HTML tag or comment (our markers) can be formed;
///  - Markdown punctuation is backslash-escaped: no emphasis, code span, link, image,
///    heading, list, quote, table cell break (`|`) or strike-through;
///  - a zero-width space follows `@` (no @mention or team ping), `#` (no issue reference),
///    `:` of `://` and `www` (no bare autolinks), since GitHub links those after Markdown is
///    rendered, where backslashes no longer count.
/// At most `max_bytes` of the input are kept (cut on a UTF-8 boundary, with "…").
std::string markdown_text(std::string_view text, std::size_t max_bytes = 1000);

/// `body` cut to at most `limit` bytes (bytes >= characters, so GitHub's character limit
/// holds) at a line boundary, with a note saying it was cut. Only the end is cut, so hidden
/// markers at the start survive.
std::string bound_body(std::string body, std::size_t limit = kGithubBodyLimit);

}  // namespace devops_monitor::notify
