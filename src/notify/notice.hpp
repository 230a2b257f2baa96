// What a change notifier (webhook, Slack) is told: the transitions of one check with the
// report's context, and the payloads it renders into. Pure; the transport is webhook.hpp.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "assess/transitions.hpp"
#include "devops_monitor/report.hpp"

namespace devops_monitor::notify {

/// The payload shape's version: a receiver can tell a future, extended payload apart.
inline constexpr int kNoticeVersion = 1;

/// One check's transitions, all of them: they go out as one message, never one per
/// component. Texts are printable() (report texts came from outside: provider answers,
/// config); each format escapes them for its medium.
struct Notice {
  Status status = Status::healthy;
  std::string host;
  std::string time;  // the report's timestamp, RFC 3339
  std::string tool_version;
  std::vector<Transition> changes;
  /// Components whose maintenance silence ended while they are still not healthy (from and to
  /// both the status they hold): said once, by the check after the silence ended.
  std::vector<Transition> silences_ended;
  std::vector<std::string> issues;
  std::vector<std::string> recommendations;
};

Notice notice_from(const Report& report, std::vector<Transition> changes);

/// The generic JSON webhook body: {"version":1, "status", "host", "time", "tool_version",
/// "changes":[{"component","from" (null on a first report),"to","kind"}], "issues",
/// "recommendations"}. A silence that ended on a bad state is a change of kind
/// "silence_ended", from and to the status the component still holds.
std::string json_payload(const Notice& notice);

/// A Slack incoming-webhook body, {"text": "..."}: a headline, one line per changed
/// component, then issues and recommendations.
std::string slack_payload(const Notice& notice);

/// `<`, `>` and `&` as Slack's message format requires (&lt; &gt; &amp;): a report text
/// must not become a link or a mention (<!channel>).
std::string slack_escape(std::string_view text);

}  // namespace devops_monitor::notify
