// Maintenance silences: "disk / is being migrated for two hours". A silence names components
// the way the metrics do and holds from its start to its end; while one covers a component,
// watch and `notify github` say nothing about it, and the page, the dashboard and /metrics show
// the maintenance. The silences live in the report directory (silences.json), read and written
// through ReportStore (report_store.hpp); what is here is pure.
//
//   auto match = devops_monitor::parse_silence_match("disk:/", provider_ids);  // checked
//   auto active = devops_monitor::active_silences(silences, now);
//   if (devops_monitor::silence_covering(active, "disk:/")) ...                // silenced
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "devops_monitor/duration.hpp"
#include "devops_monitor/error.hpp"

namespace devops_monitor {

struct Silence {
  std::string id;  // short and printable: "s3f9a1c"
  /// What it covers, as the metrics name components: "all", "cpu", "memory", "disk:<path>",
  /// "key:<provider id>".
  std::vector<std::string> matches;
  std::string starts_at;  // RFC 3339
  std::string ends_at;    // RFC 3339; `silence expire` moves it to the moment of expiry
  std::string comment;    // outside text: escape or make printable where it is shown
};

/// A silence from `now` for `length`, times in RFC 3339 with the local offset; the id is left
/// empty (ReportStore::add_silence makes one).
Silence new_silence(std::vector<std::string> matches, Milliseconds length, std::string comment,
                    std::chrono::system_clock::time_point now);

enum class SilenceState { upcoming, active, ended };

/// "upcoming", "active", "ended".
std::string_view to_string(SilenceState state);

/// Where `silence` stands at `now`; one whose times do not parse counts as ended.
SilenceState silence_state(const Silence& silence, std::chrono::system_clock::time_point now);

/// One `--match` value checked: "all", "cpu", "memory", "disk:" with an absolute path, or
/// "key:" with one of `provider_ids` (built-in or custom). The error names the value and, where
/// one is close, what it probably meant ("did you mean memory?").
Result<std::string> parse_silence_match(std::string_view text,
                                        const std::vector<std::string>& provider_ids);

/// starts_at <= now < ends_at. A silence whose times do not parse is never active.
bool silence_active(const Silence& silence, std::chrono::system_clock::time_point now);

/// The silences active at `now`, in their order.
std::vector<Silence> active_silences(const std::vector<Silence>& silences,
                                     std::chrono::system_clock::time_point now);

/// Does `match` cover `component` ("cpu", "memory", "disk:/var", "key:openai")? "all" covers
/// every component; a disk path matches exactly ("disk:/" is not "disk:/var").
bool match_covers(std::string_view match, std::string_view component);

/// The first of `silences` with a match covering `component`; null when none does. The caller
/// passes the active ones.
const Silence* silence_covering(const std::vector<Silence>& silences, std::string_view component);

/// Every distinct match of `silences`, in first-seen order: the components /metrics reports as
/// silenced.
std::vector<std::string> silenced_components(const std::vector<Silence>& silences);

}  // namespace devops_monitor
