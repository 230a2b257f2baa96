#include "notify/notice.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>
#include <utility>

#include "devops_monitor/text.hpp"

namespace devops_monitor::notify {
namespace {

std::vector<std::string> printable_all(const std::vector<std::string>& texts) {
  std::vector<std::string> out;
  out.reserve(texts.size());
  for (const std::string& text : texts) out.push_back(printable(text));
  return out;
}

std::string status_in_capitals(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return out;
}

std::string from_text(const Transition& change) {
  return change.from ? std::string(to_string(*change.from)) : "(first check)";
}

}  // namespace

Notice notice_from(const Report& report, std::vector<Transition> changes) {
  Notice notice{.status = report.status,
                .host = printable(report.host),
                .time = printable(report.timestamp),
                .tool_version = printable(report.version),
                .changes = std::move(changes),
                .silences_ended = {},
                .issues = printable_all(report.issues_found),
                .recommendations = printable_all(report.recommendations)};
  // Component names hold provider ids from the config: outside text too.
  for (Transition& change : notice.changes) change.component = printable(change.component);
  return notice;
}

std::string json_payload(const Notice& notice) {
  nlohmann::json changes = nlohmann::json::array();
  for (const Transition& change : notice.changes) {
    changes.push_back(
        {{"component", change.component},
         {"from", change.from ? nlohmann::json(to_string(*change.from)) : nlohmann::json(nullptr)},
         {"to", to_string(change.to)},
         {"kind", transition_word(change.to)}});
  }
  for (const Transition& ended : notice.silences_ended) {
    changes.push_back({{"component", ended.component},
                       {"from", to_string(ended.to)},
                       {"to", to_string(ended.to)},
                       {"kind", "silence_ended"}});
  }
  const nlohmann::json body{{"version", kNoticeVersion},
                            {"status", to_string(notice.status)},
                            {"host", notice.host},
                            {"time", notice.time},
                            {"tool_version", notice.tool_version},
                            {"changes", std::move(changes)},
                            {"issues", notice.issues},
                            {"recommendations", notice.recommendations}};
  // printable() made every text valid UTF-8, so dump cannot throw on it; replace anyway.
  return body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string slack_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string slack_payload(const Notice& notice) {
  std::string text =
      fmt::format("*devops-monitor: {}*", status_in_capitals(to_string(notice.status)));
  if (!notice.host.empty()) text += " on " + slack_escape(notice.host);
  if (!notice.time.empty()) text += " at " + slack_escape(notice.time);
  for (const Transition& change : notice.changes) {
    text += fmt::format("\n• {}: {} → {}", slack_escape(change.component), from_text(change),
                        to_string(change.to));
  }
  for (const Transition& ended : notice.silences_ended) {
    text += fmt::format("\n• {}: maintenance ended, still {}", slack_escape(ended.component),
                        to_string(ended.to));
  }
  if (!notice.issues.empty()) text += "\nIssues:";
  for (const std::string& issue : notice.issues) text += "\n• " + slack_escape(issue);
  if (!notice.recommendations.empty()) text += "\nRecommendations:";
  for (const std::string& advice : notice.recommendations) text += "\n• " + slack_escape(advice);
  return nlohmann::json{{"text", text}}.dump(-1, ' ', false,
                                             nlohmann::json::error_handler_t::replace);
}

}  // namespace devops_monitor::notify
