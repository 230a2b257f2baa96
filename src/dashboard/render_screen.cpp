// The dashboard's full-screen view as lines of exactly the terminal's width: pure, so a test
// can lay it out at any size. Narrow terminals lose columns (message, history, legend, bar)
// before lines; short ones lose the spacing, then the last lines (and say how many).
#include <algorithm>
#include <cstdio>

#include "dashboard/screen_text.hpp"
#include "devops_monitor/dashboard.hpp"
#include "devops_monitor/text.hpp"

namespace devops_monitor {
namespace {

using dashboard::columns;
using dashboard::fit;

constexpr const char* kSgrReset = "\x1b[0m";
constexpr const char* kSgrBold = "\x1b[1m";
constexpr const char* kSgrDim = "\x1b[2m";
constexpr const char* kSgrReverse = "\x1b[7m";
constexpr const char* kSgrGreen = "\x1b[32m";
constexpr const char* kSgrYellow = "\x1b[33m";
constexpr const char* kSgrRed = "\x1b[31m";
constexpr const char* kSgrMagenta = "\x1b[35m";

const char* status_sgr(Status status) {
  switch (status) {
    case Status::healthy:
      return kSgrGreen;
    case Status::warning:
      return kSgrYellow;
    case Status::critical:
      return kSgrRed;
    default:
      return kSgrMagenta;
  }
}

const char* check_sgr(KeyState state) {
  switch (state) {
    case KeyState::valid:
      return kSgrGreen;
    case KeyState::invalid:
      return kSgrRed;
    case KeyState::missing:
    case KeyState::unsupported:
      return kSgrDim;
    default:
      return kSgrYellow;
  }
}

const char* key_state_sgr(const DashboardProvider& provider) {
  return provider.checked ? check_sgr(provider.state) : kSgrDim;
}

/// One screen line: segments, optionally coloured, cut at the width and padded to it.
class ScreenLine {
 public:
  ScreenLine(std::size_t width, ScreenStyle style) : width_(width), style_(style) {}

  ScreenLine& add(std::string_view text, const char* sgr = nullptr) {
    if (used_ >= width_ || text.empty()) return *this;
    const std::string shown = dashboard::cut(text, width_ - used_, style_.unicode);
    used_ += columns(shown);
    if (style_.colour && sgr != nullptr) {
      text_ += sgr + shown + kSgrReset;
    } else {
      text_ += shown;
    }
    return *this;
  }

  [[nodiscard]] std::size_t left() const { return width_ - used_; }

  std::string finish(const char* sgr = nullptr) {
    std::string padding(width_ - used_, ' ');
    if (style_.colour && sgr != nullptr && !padding.empty()) {
      padding = sgr + padding + kSgrReset;
    }
    return text_ + padding;
  }

 private:
  std::size_t width_;
  ScreenStyle style_;
  std::size_t used_ = 0;
  std::string text_;
};

std::string screen_status_word(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 32) : c; });
  return out;
}

std::string title_line(const DashboardView& view, std::size_t width, ScreenStyle style) {
  const std::string status = screen_status_word(to_string(view.status));
  std::string right = printable(view.now) + "  ";
  if (width < columns(right) + status.size() + 24) right.clear();
  const std::size_t left_width =
      width > columns(right) + status.size() + 1 ? width - columns(right) - status.size() - 1 : 0;
  const std::string left = " devops-monitor dashboard \u00b7 " + printable(view.host);
  ScreenLine line(width, style);
  line.add(fit(style.unicode ? left : " devops-monitor dashboard - " + printable(view.host),
               left_width, style.unicode),
           kSgrReverse);
  line.add(right, kSgrReverse);
  line.add(status, status_sgr(view.status));
  return line.finish(kSgrReverse);
}

/// The bar: filled up to the value in the gauge's colour, the warning and critical thresholds
/// marked in every case (also under the fill), so the distance to them shows at a glance.
void add_bar(ScreenLine& line, const DashboardGauge& gauge, std::size_t cells, ScreenStyle style) {
  auto cell_of = [cells](double percent) {
    const auto cell = static_cast<std::size_t>(std::max(0.0, percent) * cells / 100.0);
    return std::min(cell, cells - 1);
  };
  const double value = std::clamp(gauge.percent.value_or(0.0), 0.0, 100.0);
  const auto filled = static_cast<std::size_t>(value * cells / 100.0 + 0.5);
  const std::size_t warning = cell_of(gauge.thresholds.warning);
  const std::size_t critical = cell_of(gauge.thresholds.critical);
  const char* fill = style.unicode ? "\u2588" : "#";
  const char* empty = style.unicode ? "\u00b7" : ".";
  const char* mark = style.unicode ? "\u2502" : "|";
  line.add("[");
  std::string run;
  const char* run_sgr = nullptr;
  auto flush = [&] {
    line.add(run, run_sgr);
    run.clear();
  };
  for (std::size_t i = 0; i < cells; ++i) {
    const char* glyph = i < filled ? fill : empty;
    const char* sgr = i < filled ? status_sgr(gauge.status) : kSgrDim;
    if (i == critical) {
      glyph = mark;
      sgr = kSgrRed;
    } else if (i == warning) {
      glyph = mark;
      sgr = kSgrYellow;
    }
    if (sgr != run_sgr) flush();
    run_sgr = sgr;
    run += glyph;
  }
  flush();
  line.add("]");
}

std::string threshold_legend(const Thresholds& thresholds) {
  char buffer[48];
  std::snprintf(buffer, sizeof buffer, "warn %g crit %g", thresholds.warning, thresholds.critical);
  return buffer;
}

std::string gauge_line(const DashboardGauge& gauge, std::size_t width, ScreenStyle style) {
  ScreenLine line(width, style);
  line.add(" " + fit(printable(gauge.name), 10, style.unicode) + " ");
  if (!gauge.percent) {
    line.add(std::string(to_string(gauge.status)) + ": ", status_sgr(gauge.status));
    line.add(printable(gauge.detail));
    return line.finish();
  }
  const std::string value = fit(dashboard::percent_text(gauge.percent), 6, style.unicode, true);
  const char* sgr = status_sgr(gauge.status);
  if (width < 40) {
    line.add(value, sgr).add(" ").add(to_string(gauge.status), sgr);
    return line.finish();
  }
  constexpr std::size_t kFixed = 12 + 2 + 1 + 6;  // name, brackets, space, value
  constexpr std::size_t kLegend = 16;             // " warn 80 crit 90"
  constexpr std::size_t kDetail = 18;             // " 24.5 of 252.0 GiB"
  constexpr std::size_t kMaxBar = 50;
  std::size_t bar = width - kFixed;
  const bool legend = width >= 60;
  if (legend) bar -= kLegend;
  const bool detail = width >= 70;
  if (detail) bar -= kDetail;
  bar = std::min(bar, kMaxBar);
  add_bar(line, gauge, bar, style);
  line.add(" ").add(value, sgr);
  if (legend) line.add(" ").add(threshold_legend(gauge.thresholds), kSgrDim);
  if (detail) line.add(" ").add(printable(gauge.detail));
  return line.finish();
}

/// The provider table's column widths for a screen width; 0 drops the column.
struct ProviderColumns {
  std::size_t name = 16;
  std::size_t state = 15;
  std::size_t latency = 7;
  std::size_t history = 0;
  std::size_t message = 0;
};

ProviderColumns provider_columns(std::size_t width) {
  ProviderColumns c;
  if (width < 40) {
    c.name = width >= 28 ? 12 : 10;
    c.latency = 0;
    return c;
  }
  if (width < 60) {
    c.name = 12;
    c.state = 12;
  }
  const std::size_t fixed = 1 + c.name + 1 + c.state + 1 + c.latency + 2;
  const std::size_t rest = width - fixed;
  if (width >= 70) {
    c.history = std::min<std::size_t>(30, rest - 21);
    c.message = rest - c.history - 1;
  } else {
    c.history = rest;
  }
  return c;
}

std::string provider_heading(const ProviderColumns& c, std::size_t width, ScreenStyle style) {
  ScreenLine line(width, style);
  std::string text = " " + fit("Provider", c.name, false) + " " + fit("State", c.state, false);
  if (c.latency > 0) text += " " + fit("Latency", c.latency, false, true);
  if (c.history > 0) text += "  " + fit("Last checks", c.history, false);
  if (c.message > 0) text += " Message";
  line.add(text, kSgrDim);
  return line.finish();
}

std::string provider_line(const DashboardProvider& provider, const ProviderColumns& c,
                          std::size_t width, ScreenStyle style) {
  ScreenLine line(width, style);
  line.add(" " + fit(printable(provider.name), c.name, style.unicode) + " ");
  line.add(fit(dashboard::state_words(provider), c.state, style.unicode), key_state_sgr(provider));
  if (c.latency > 0) {
    line.add(" " +
             fit(dashboard::latency_text(provider.latency_ms), c.latency, style.unicode, true));
  }
  if (c.history > 0) {
    line.add("  ");
    const std::vector<std::string> glyphs =
        dashboard::sparkline(provider.recent, c.history, style.unicode);
    const std::size_t first = provider.recent.size() - glyphs.size();
    for (std::size_t i = 0; i < glyphs.size(); ++i) {
      line.add(glyphs[i], check_sgr(provider.recent[first + i].state));
    }
    line.add(std::string(c.history - glyphs.size(), ' '));
  }
  if (c.message > 0 && provider.checked) line.add(" ").add(printable(provider.message));
  return line.finish();
}

struct ContentLine {
  std::string text;
  bool spacing = false;  // a blank line between sections: the first to go when short
};

}  // namespace

std::vector<std::string> render_screen(const DashboardView& view, int width, int height,
                                       ScreenStyle style) {
  if (width <= 0 || height <= 0) return {};
  const auto w = static_cast<std::size_t>(width);
  const auto h = static_cast<std::size_t>(height);
  const std::string blank(w, ' ');
  std::vector<ContentLine> content;
  auto add = [&content](std::string text) { content.push_back({std::move(text)}); };
  auto space = [&content, &blank] { content.push_back({blank, true}); };

  add(title_line(view, w, style));
  for (const std::string& line : view.maintenance) {
    add(ScreenLine(w, style).add(" " + printable(line), kSgrMagenta).finish());
  }
  space();
  add(ScreenLine(w, style).add("System", kSgrBold).finish());
  for (const DashboardGauge& gauge : view.gauges) add(gauge_line(gauge, w, style));
  add(ScreenLine(w, style)
          .add(" " + fit("Load", 10, false) + " " + dashboard::load_text(view.load))
          .add(w >= 60 ? "  (1, 5, 15 min)" : "", kSgrDim)
          .finish());
  space();
  add(ScreenLine(w, style)
          .add("API keys", kSgrBold)
          .add("  " + dashboard::schedule_text(view), kSgrDim)
          .finish());
  const ProviderColumns columns_for_width = provider_columns(w);
  add(provider_heading(columns_for_width, w, style));
  for (const DashboardProvider& provider : view.providers) {
    add(provider_line(provider, columns_for_width, w, style));
  }
  if (view.providers.empty()) add(ScreenLine(w, style).add(" no provider is enabled").finish());
  if (view.last_error) {
    space();
    add(ScreenLine(w, style)
            .add(" Last error: ", kSgrRed)
            .add(printable(*view.last_error))
            .finish());
  }

  const std::string dot = style.unicode ? " \u00b7 " : " - ";
  const std::string footer =
      ScreenLine(w, style)
          .add(" q quit" + dot + "system every 1s" + dot + "keys every " + view.key_interval)
          .finish(kSgrReverse);
  if (h == 1) return {content.front().text};
  const std::size_t room = h - 1;  // the footer keeps the last line
  if (content.size() > room) {
    std::erase_if(content, [](const ContentLine& line) { return line.spacing; });
  }
  if (content.size() > room) {
    const std::size_t hidden = content.size() - (room - 1);
    content.resize(room - 1);
    content.push_back(
        {ScreenLine(w, style)
             .add(" ... " + std::to_string(hidden) + " more lines: make the terminal taller")
             .finish()});
  }
  std::vector<std::string> lines;
  lines.reserve(h);
  for (ContentLine& line : content) lines.push_back(std::move(line.text));
  while (lines.size() < room) lines.push_back(blank);
  lines.push_back(footer);
  return lines;
}

}  // namespace devops_monitor
