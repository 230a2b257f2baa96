// Status badges: shields.io's markdown link and endpoint JSON, and a flat SVG drawn here so
// a badge needs no network.
#include <fmt/format.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "devops_monitor/render.hpp"

namespace devops_monitor {
namespace {

constexpr std::string_view kLabel = "status";

struct Colour {
  const char* name;  // shields.io colour name
  const char* hex;   // the same colour for the SVG
};

Colour colour_of(Status status) {
  switch (status) {
    case Status::healthy:
      // The old tool's markdown badge said brightgreen; users' READMEs and checks match on it.
      return {"brightgreen", "#4c1"};
    case Status::warning:
      return {"yellow", "#dfb317"};
    case Status::critical:
      return {"red", "#e05d44"};
    case Status::unknown:
      return {"lightgrey", "#9f9f9f"};
  }
  return {"lightgrey", "#9f9f9f"};
}

/// Approximate advance widths of Verdana at 11px, enough to size the badge's two boxes.
double text_width(std::string_view text) {
  static constexpr double kLower[26] = {6.8, 6.9, 5.9, 6.9,  6.6, 3.9, 6.9, 7.0, 3.0,
                                        3.8, 6.5, 3.0, 10.7, 7.0, 6.7, 6.9, 6.9, 4.7,
                                        5.7, 4.3, 7.0, 6.5,  8.9, 6.5, 6.5, 5.8};
  double width = 0;
  for (char c : text) width += (c >= 'a' && c <= 'z') ? kLower[c - 'a'] : 7.0;
  return width;
}

std::string svg_badge(Status status) {
  const std::string message(to_string(status));
  const int label_width = static_cast<int>(std::lround(text_width(kLabel))) + 10;
  const int message_width = static_cast<int>(std::lround(text_width(message))) + 10;
  const int width = label_width + message_width;
  const double label_x = label_width / 2.0;
  const double message_x = label_width + message_width / 2.0;
  return fmt::format(
      R"svg(<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="20" viewBox="0 0 {w} 20" role="img" aria-label="{label}: {msg}">
  <title>{label}: {msg}</title>
  <linearGradient id="shine" x2="0" y2="100%">
    <stop offset="0" stop-color="#bbb" stop-opacity=".1"/>
    <stop offset="1" stop-opacity=".1"/>
  </linearGradient>
  <clipPath id="round">
    <rect width="{w}" height="20" rx="3" fill="#fff"/>
  </clipPath>
  <g clip-path="url(#round)">
    <rect width="{lw}" height="20" fill="#555"/>
    <rect x="{lw}" width="{mw}" height="20" fill="{colour}"/>
    <rect width="{w}" height="20" fill="url(#shine)"/>
  </g>
  <g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="11">
    <text x="{lx}" y="15" fill="#010101" fill-opacity=".3">{label}</text>
    <text x="{lx}" y="14">{label}</text>
    <text x="{mx}" y="15" fill="#010101" fill-opacity=".3">{msg}</text>
    <text x="{mx}" y="14">{msg}</text>
  </g>
</svg>
)svg",
      fmt::arg("w", width), fmt::arg("lw", label_width), fmt::arg("mw", message_width),
      fmt::arg("lx", label_x), fmt::arg("mx", message_x), fmt::arg("label", kLabel),
      fmt::arg("msg", message), fmt::arg("colour", colour_of(status).hex));
}

}  // namespace

std::optional<BadgeFormat> parse_badge_format(std::string_view text) {
  if (text == "markdown") return BadgeFormat::markdown;
  if (text == "svg") return BadgeFormat::svg;
  if (text == "json") return BadgeFormat::json;
  return std::nullopt;
}

std::string render_badge(Status status, BadgeFormat format) {
  const std::string message(to_string(status));
  switch (format) {
    case BadgeFormat::markdown:
      return fmt::format("![Status](https://img.shields.io/badge/{}-{}-{})\n", kLabel, message,
                         colour_of(status).name);
    case BadgeFormat::json: {
      const nlohmann::ordered_json doc = {{"schemaVersion", 1},
                                          {"label", kLabel},
                                          {"message", message},
                                          {"color", colour_of(status).name}};
      return doc.dump() + "\n";
    }
    case BadgeFormat::svg:
      break;
  }
  return svg_badge(status);
}

}  // namespace devops_monitor
