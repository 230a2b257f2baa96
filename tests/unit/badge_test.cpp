#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <utility>

#include "devops_monitor/render.hpp"
#include "support/process.hpp"

namespace devops_monitor {
namespace {

TEST(Badge, MarkdownIsTheOldToolsShieldsLink) {
  EXPECT_EQ(render_badge(Status::healthy, BadgeFormat::markdown),
            "![Status](https://img.shields.io/badge/status-healthy-brightgreen)\n");
  EXPECT_EQ(render_badge(Status::warning, BadgeFormat::markdown),
            "![Status](https://img.shields.io/badge/status-warning-yellow)\n");
  EXPECT_EQ(render_badge(Status::critical, BadgeFormat::markdown),
            "![Status](https://img.shields.io/badge/status-critical-red)\n");
  EXPECT_EQ(render_badge(Status::unknown, BadgeFormat::markdown),
            "![Status](https://img.shields.io/badge/status-unknown-lightgrey)\n");
}

TEST(Badge, JsonIsTheShieldsEndpointFormat) {
  const auto doc = nlohmann::json::parse(render_badge(Status::critical, BadgeFormat::json));
  EXPECT_EQ(
      doc,
      nlohmann::json(
          {{"schemaVersion", 1}, {"label", "status"}, {"message", "critical"}, {"color", "red"}}));
}

TEST(Badge, EveryFormatUsesTheSameShieldsColour) {
  // shields.io's named colours and their hex values: the SVG drawn here must look like the
  // badge shields.io would draw from the markdown link or the endpoint JSON.
  const std::map<Status, std::pair<std::string, std::string>> expected = {
      {Status::healthy, {"brightgreen", "#4c1"}},
      {Status::warning, {"yellow", "#dfb317"}},
      {Status::critical, {"red", "#e05d44"}},
      {Status::unknown, {"lightgrey", "#9f9f9f"}}};
  for (const auto& [status, colour] : expected) {
    const auto doc = nlohmann::json::parse(render_badge(status, BadgeFormat::json));
    EXPECT_EQ(doc["color"], colour.first) << to_string(status);
    EXPECT_NE(render_badge(status, BadgeFormat::markdown).find("-" + colour.first + ")"),
              std::string::npos);
    EXPECT_NE(render_badge(status, BadgeFormat::svg).find("fill=\"" + colour.second + "\""),
              std::string::npos)
        << to_string(status);
  }
}

TEST(Badge, SvgIsWellFormedSelfContainedXmlWithTheStatusText) {
  testing::TempDir dir;
  for (Status status : {Status::healthy, Status::warning, Status::critical, Status::unknown}) {
    const std::string svg = render_badge(status, BadgeFormat::svg);
    const std::string name(to_string(status));
    EXPECT_NE(svg.find(">" + name + "</text>"), std::string::npos) << svg;
    EXPECT_NE(svg.find("<title>status: " + name + "</title>"), std::string::npos);
    EXPECT_NE(svg.find("xmlns=\"http://www.w3.org/2000/svg\""), std::string::npos);
    EXPECT_EQ(svg.find("http://", svg.find("xmlns=") + 40), std::string::npos)
        << "no external references";
    // xmllint (libxml2) is the judge of well-formedness.
    testing::write_text(dir / (name + ".svg"), svg);
    testing::RunOptions xmllint;
    xmllint.args = {"--noout", (dir / (name + ".svg")).string()};
    xmllint.env = {{"PATH", "/usr/bin:/bin"}};
    const testing::RunResult checked = testing::run_process("/usr/bin/xmllint", xmllint);
    EXPECT_EQ(checked.exit_code, 0) << checked.err;
  }
}

TEST(Badge, SvgBoxesFitTheirText) {
  // Each box is the text's estimated width plus 10 px of padding; longer words, wider boxes.
  auto total_width = [](Status s) {
    const std::string svg = render_badge(s, BadgeFormat::svg);
    const std::size_t at = svg.find("width=\"") + 7;
    return std::stoi(svg.substr(at, svg.find('"', at) - at));
  };
  EXPECT_EQ(total_width(Status::healthy), 44 + 51);  // "status" 34 + 10, "healthy" 41 + 10
  EXPECT_LT(total_width(Status::critical), total_width(Status::unknown));
}

TEST(Badge, FormatNames) {
  EXPECT_EQ(parse_badge_format("svg"), BadgeFormat::svg);
  EXPECT_EQ(parse_badge_format("markdown"), BadgeFormat::markdown);
  EXPECT_EQ(parse_badge_format("json"), BadgeFormat::json);
  EXPECT_FALSE(parse_badge_format("png").has_value());
}

}  // namespace
}  // namespace devops_monitor
