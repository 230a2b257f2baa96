// The dashboard's renderers with outside text (provider names and messages, the host, disk
// paths and errors, the last error) at any terminal size: every screen has exactly the asked
// number of lines, each exactly as wide as asked once our own colour codes are taken out, and
// neither the screen nor the --simple text carries a byte a terminal could act on.
// Input: width, height, style bits, then NUL-separated texts.
#include <cctype>
#include <vector>

#include "devops_monitor/dashboard.hpp"
#include "fuzz_support.hpp"

using namespace devops_monitor;

namespace {

std::size_t screen_columns(std::string_view text) {
  std::size_t n = 0;
  for (const char c : text) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

/// The line without our SGR codes (ESC [ digits and semicolons m); any other ESC stays, and
/// is_printable_line then rejects it.
std::string without_sgr(const std::string& line) {
  std::string out;
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (line.compare(i, 2, "\x1b[") == 0) {
      std::size_t end = i + 2;
      while (end < line.size() &&
             (std::isdigit(static_cast<unsigned char>(line[end])) || line[end] == ';')) {
        ++end;
      }
      if (end < line.size() && line[end] == 'm') {
        i = end;
        continue;
      }
    }
    out += line[i];
  }
  return out;
}

}  // namespace

FUZZ_TARGET(dashboard_screen) {
  if (size < 3) return 0;
  const int width = 1 + data[0] % 200;
  const int height = 1 + data[1] % 60;
  const ScreenStyle style{.colour = (data[2] & 1) != 0, .unicode = (data[2] & 2) != 0};
  std::vector<std::string> texts;
  std::string current;
  for (std::size_t i = 3; i < size; ++i) {
    if (data[i] == 0) {
      texts.push_back(current);
      current.clear();
    } else {
      current += static_cast<char>(data[i]);
    }
  }
  texts.push_back(current);
  auto text = [&texts](std::size_t i) { return i < texts.size() ? texts[i] : std::string(); };

  DashboardView view;
  view.host = text(0);
  view.now = text(1);
  view.key_interval = "1m";
  view.gauges = {
      {"CPU", 45.0, {80, 90}, Status::healthy, "2 CPUs"},
      {"Disk " + text(2), std::nullopt, {80, 90}, Status::unknown, text(3)},
      {"Disk " + text(4), static_cast<double>(data[2]), {50, 60}, Status::warning, text(5)}};
  for (std::size_t i = 6; i + 1 < texts.size() && view.providers.size() < 10; i += 2) {
    view.providers.push_back({.id = "p",
                              .name = texts[i],
                              .checked = (i & 2) != 0,
                              .state = KeyState::invalid,
                              .latency_ms = 120,
                              .message = texts[i + 1],
                              .recent = {{KeyState::valid, 10}, {KeyState::invalid, {}}}});
  }
  if (!text(5).empty()) view.last_error = text(5);

  const std::vector<std::string> lines = render_screen(view, width, height, style);
  FUZZ_CHECK(lines.size() == static_cast<std::size_t>(height), "line count");
  for (const std::string& line : lines) {
    const std::string plain = without_sgr(line);
    FUZZ_CHECK(screen_columns(plain) == static_cast<std::size_t>(width), plain);
    FUZZ_CHECK(fuzz::is_printable_line(plain), plain);
  }
  const std::string simple = render_simple(view);
  FUZZ_CHECK(fuzz::first_unsafe_byte(simple, true) == std::string_view::npos, simple);
  return 0;
}
