#include <algorithm>
#include <optional>

#include "devops_monitor/silences.hpp"
#include "devops_monitor/text.hpp"
#include "util/time_format.hpp"

namespace devops_monitor {
namespace {

constexpr std::string_view kDiskPrefix = "disk:";
constexpr std::string_view kKeyPrefix = "key:";

Error bad_match(std::string_view text, const std::string& detail) {
  return Error{"invalid --match", "\"" + printable(text.substr(0, 100)) + "\" " + detail,
               "--match"};
}

std::string did_you_mean(const std::optional<std::string>& near) {
  return near ? " (did you mean " + *near + "?)" : "";
}

}  // namespace

Silence new_silence(std::vector<std::string> matches, Milliseconds length, std::string comment,
                    std::chrono::system_clock::time_point now) {
  const SystemTime ends = now + length;
  return Silence{.id = {},
                 .matches = std::move(matches),
                 .starts_at = format_rfc3339(now, local_utc_offset(now)),
                 .ends_at = format_rfc3339(ends, local_utc_offset(ends)),
                 .comment = std::move(comment)};
}

std::string_view to_string(SilenceState state) {
  switch (state) {
    case SilenceState::upcoming:
      return "upcoming";
    case SilenceState::active:
      return "active";
    case SilenceState::ended:
      break;
  }
  return "ended";
}

SilenceState silence_state(const Silence& silence, std::chrono::system_clock::time_point now) {
  if (silence_active(silence, now)) return SilenceState::active;
  const std::optional<SystemTime> starts = parse_rfc3339(silence.starts_at);
  const std::optional<SystemTime> ends = parse_rfc3339(silence.ends_at);
  return starts && ends && now < *starts ? SilenceState::upcoming : SilenceState::ended;
}

Result<std::string> parse_silence_match(std::string_view text,
                                        const std::vector<std::string>& provider_ids) {
  const std::string match(text);
  if (match == "all" || match == "cpu" || match == "memory") return match;
  if (match.starts_with(kDiskPrefix)) {
    const std::string path = match.substr(kDiskPrefix.size());
    if (!path.starts_with('/')) {
      return bad_match(text, "is not disk: with an absolute path, as in disk:/ or disk:/var");
    }
    return match;
  }
  if (match.starts_with(kKeyPrefix)) {
    const std::string id = match.substr(kKeyPrefix.size());
    if (std::find(provider_ids.begin(), provider_ids.end(), id) != provider_ids.end()) {
      return match;
    }
    std::optional<std::string> near = closest_word(id, provider_ids);
    return bad_match(
        text, "names no provider" +
                  did_you_mean(near ? std::optional<std::string>("key:" + *near) : std::nullopt));
  }
  // "disk" alone names no disk; "openai" alone is a provider, not a component name.
  if (match == "disk") return bad_match(text, "names no disk (did you mean disk:/?)");
  if (std::find(provider_ids.begin(), provider_ids.end(), match) != provider_ids.end()) {
    return bad_match(text, "is a provider id (did you mean key:" + match + "?)");
  }
  const std::optional<std::string> near =
      closest_word(match, {"all", "cpu", "memory", "disk:/", "key:"});
  return bad_match(
      text, "is not one of all, cpu, memory, disk:<path>, key:<provider id>" + did_you_mean(near));
}

bool silence_active(const Silence& silence, std::chrono::system_clock::time_point now) {
  const std::optional<SystemTime> starts = parse_rfc3339(silence.starts_at);
  const std::optional<SystemTime> ends = parse_rfc3339(silence.ends_at);
  return starts && ends && *starts <= now && now < *ends;
}

std::vector<Silence> active_silences(const std::vector<Silence>& silences,
                                     std::chrono::system_clock::time_point now) {
  std::vector<Silence> active;
  for (const Silence& silence : silences) {
    if (silence_active(silence, now)) active.push_back(silence);
  }
  return active;
}

bool match_covers(std::string_view match, std::string_view component) {
  return match == "all" || match == component;
}

const Silence* silence_covering(const std::vector<Silence>& silences, std::string_view component) {
  for (const Silence& silence : silences) {
    for (const std::string& match : silence.matches) {
      if (match_covers(match, component)) return &silence;
    }
  }
  return nullptr;
}

std::vector<std::string> silenced_components(const std::vector<Silence>& silences) {
  std::vector<std::string> out;
  for (const Silence& silence : silences) {
    for (const std::string& match : silence.matches) {
      if (std::find(out.begin(), out.end(), match) == out.end()) out.push_back(match);
    }
  }
  return out;
}

}  // namespace devops_monitor
