#include "notify/github_body.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

#include "notify/markdown.hpp"

namespace devops_monitor::notify {
namespace {

constexpr std::string_view kStateMarkerStart = "<!-- devops-monitor:state ";
constexpr std::string_view kMarkerEnd = " -->";
constexpr std::size_t kCellBytes = 200;
constexpr std::size_t kTitleBytes = 256;

std::string facts_markdown(const Alert& alert) {
  std::string out;
  for (const auto& [name, value] : alert.facts) {
    out += "**" + markdown_text(name) + ":** " + markdown_text(value) + "  \n";
  }
  return out;
}

std::string table_markdown(const AlertTable& table) {
  if (table.columns.empty()) return "";
  std::string out = "|";
  std::string rule = "|";
  for (const std::string& column : table.columns) {
    out += ' ' + markdown_text(column) + " |";
    rule += " --- |";
  }
  out += '\n' + rule + '\n';
  for (const std::vector<std::string>& row : table.rows) {
    out += '|';
    for (std::size_t i = 0; i < table.columns.size(); ++i) {
      out += ' ' + (i < row.size() ? markdown_text(row[i], kCellBytes) : std::string()) + " |";
    }
    out += '\n';
  }
  return out;
}

std::string sections_markdown(const Alert& alert) {
  std::string out;
  for (const AlertSection& section : alert.sections) {
    out += "\n### " + markdown_text(section.heading) + "\n\n";
    for (const std::string& item : section.items) out += "- " + markdown_text(item) + '\n';
    if (!section.items.empty() && !section.table.columns.empty()) out += '\n';
    out += table_markdown(section.table);
    if (!section.note.empty()) out += '\n' + markdown_text(section.note) + '\n';
  }
  return out;
}

std::string run_link(const std::string& run_url) {
  // The URL is ours (built from GitHub's own variables and checked by the caller); only the
  // characters that could end the link are refused.
  if (run_url.empty() || run_url.find_first_of("()<> \n") != std::string::npos) return "";
  return "\n[Workflow run](" + run_url + ")\n";
}

std::string upper_status(Status status) {
  std::string text(to_string(status));
  for (char& c : text) c = static_cast<char>(c - 'a' + 'A');
  return text;
}

}  // namespace

std::string alert_marker(std::string_view key) {
  return "<!-- devops-monitor:alert key=" + std::string(key) + std::string(kMarkerEnd);
}

std::string state_marker(const IssueState& state) {
  const nlohmann::ordered_json doc = {{"status", to_string(state.status)},
                                      {"issues", state.signature}};
  return std::string(kStateMarkerStart) + doc.dump() + std::string(kMarkerEnd);
}

std::optional<IssueState> read_state_marker(std::string_view body) {
  const std::size_t start = body.find(kStateMarkerStart);
  if (start == std::string_view::npos) return std::nullopt;
  const std::size_t json_start = start + kStateMarkerStart.size();
  const std::size_t end = body.find(kMarkerEnd, json_start);
  if (end == std::string_view::npos) return std::nullopt;
  const nlohmann::json doc =
      nlohmann::json::parse(body.substr(json_start, end - json_start), nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return std::nullopt;
  const auto status = doc.find("status");
  const auto issues = doc.find("issues");
  if (status == doc.end() || !status->is_string() || issues == doc.end() || !issues->is_string())
    return std::nullopt;
  const std::optional<Status> parsed = parse_status(status->get<std::string>());
  if (!parsed) return std::nullopt;
  return IssueState{*parsed, issues->get<std::string>()};
}

std::string with_state_marker(std::string_view body, const IssueState& state) {
  const std::string marker = state_marker(state);
  const std::size_t start = body.find(kStateMarkerStart);
  const std::size_t end = start == std::string_view::npos
                              ? start
                              : body.find(kMarkerEnd, start + kStateMarkerStart.size());
  if (end == std::string_view::npos) return marker + '\n' + std::string(body);
  return std::string(body.substr(0, start)) + marker +
         std::string(body.substr(end + kMarkerEnd.size()));
}

std::string issue_title(const Alert& alert) {
  // GitHub renders a title's Markdown like the body's (code spans, @mentions, #references,
  // links), so it is escaped the same way; the cut is made before escaping, and made shorter
  // until the escaped title fits GitHub's limit.
  const std::string text = "devops-monitor: " + alert.headline;
  std::size_t keep = kTitleBytes;
  std::string title = markdown_text(text, keep);
  while (title.size() > kTitleBytes && keep > 0) {
    keep -= std::min(keep, std::max<std::size_t>(1, (title.size() - kTitleBytes) / 2));
    title = markdown_text(text, keep);
  }
  return title;
}

std::string issue_body(const Alert& alert, const std::string& run_url) {
  std::string body = alert_marker(alert.key) + '\n' +
                     state_marker({alert.status, alert.signature}) + '\n' + "## " +
                     markdown_text("devops-monitor: " + alert.headline) + "\n\n" +
                     facts_markdown(alert) + sections_markdown(alert) + run_link(run_url) +
                     "\n_This issue is kept by devops-monitor: it comments when the status or the "
                     "issues change and closes the issue when the check recovers._\n";
  return bound_body(std::move(body));
}

std::string change_comment(const Alert& alert, std::optional<Status> previous_status,
                           const std::string& run_url) {
  std::string head;
  if (previous_status && *previous_status != alert.status) {
    head = "**Status changed: " + upper_status(*previous_status) + " → " +
           upper_status(alert.status) + "**";
  } else {
    head = "**The issues changed** (status still " + upper_status(alert.status) + ")";
  }
  return bound_body(head + "\n\n" + facts_markdown(alert) + sections_markdown(alert) +
                    run_link(run_url));
}

std::string recovery_comment(const Alert& alert, Status min_status, const std::string& run_url) {
  std::string head = alert.status == Status::healthy
                         ? "**Recovered:** " + markdown_text(alert.headline) + ". Closing."
                         : "**Below the alerting level:** status " + upper_status(alert.status) +
                               " is under " + upper_status(min_status) + ". Closing.";
  return bound_body(head + "\n\n" + facts_markdown(alert) + run_link(run_url));
}

}  // namespace devops_monitor::notify
