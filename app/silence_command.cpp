// `devops-monitor silence add|list|expire`: maintenance silences in the report directory.
// While one covers a component, watch and `notify github` say nothing about it and the page,
// the dashboard and /metrics show the maintenance; the library keeps the file.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>

#include "command.hpp"
#include "devops_monitor/report_store.hpp"
#include "devops_monitor/text.hpp"
#include "flags.hpp"
#include "output.hpp"

namespace devops_monitor::cli {
namespace {

using std::chrono::system_clock;

constexpr Milliseconds kShortestSilence{1000};
constexpr Milliseconds kLongestSilence{std::chrono::hours(24 * 366)};

constexpr const char* kSilenceFooter =
    "A silence covers components named as the metrics name them: cpu, memory, disk:<path>\n"
    "(disk:/, disk:/var), key:<provider id> (key:openai, a custom provider's id) or all.\n"
    "While one is active, watch sends no webhook and runs no action for what it covers,\n"
    "notify github opens and comments nothing for it, the status page and the dashboard show\n"
    "\"maintenance until <time>\" with the comment, /metrics has\n"
    "devops_monitor_silenced{component=\"...\"} 1, and each report lists it. When a silence\n"
    "ends while what it covered is still not healthy, watch says so once.\n"
    "Silences live in silences.json in the report directory; ended ones stay listed a week.\n"
    "Exit status: 0 done, 3 bad flag, unknown id or no report directory.\n"
    "Examples:\n"
    "  devops-monitor silence add --for 2h --match disk:/ --comment \"migrating / to NVMe\"\n"
    "  devops-monitor silence list --json\n"
    "  devops-monitor silence expire s3f9a1c";

struct AddFlags {
  SettingsFlags settings;
  std::optional<std::string> duration;
  std::vector<std::string> matches;
  std::optional<std::string> comment;
};

struct ListFlags {
  SettingsFlags settings;
  bool json = false;
};

struct ExpireFlags {
  SettingsFlags settings;
  std::string id;
};

std::vector<std::string> provider_ids(const Settings& settings) {
  std::vector<std::string> ids;
  for (const Provider& provider : settings.providers) ids.push_back(provider.id);
  return ids;
}

int run_add(const AddFlags& flags) {
  if (!flags.duration) {
    return fail(
        {"invalid command line", "silence add needs --for DURATION, e.g. --for 2h", "--for"});
  }
  Result<Milliseconds> length =
      duration_flag(*flags.duration, "--for", kShortestSilence, kLongestSilence);
  if (!length) return fail(length.error());
  if (flags.matches.empty()) {
    return fail({"invalid command line",
                 "silence add needs at least one --match (cpu, memory, disk:<path>, "
                 "key:<provider id>, all)",
                 "--match"});
  }
  Result<Settings> settings = settings_from_flags(flags.settings);
  if (!settings) return fail(settings.error());
  std::vector<std::string> matches;
  for (const std::string& text : flags.matches) {
    Result<std::string> match = parse_silence_match(text, provider_ids(*settings));
    if (!match) return fail(match.error());
    if (std::find(matches.begin(), matches.end(), *match) == matches.end()) {
      matches.push_back(*match);
    }
  }
  const system_clock::time_point now = system_clock::now();
  const Silence silence = new_silence(std::move(matches), *length, flags.comment.value_or(""), now);
  CheckNotes notes;
  Result<Silence> added = ReportStore(std::move(*settings)).add_silence(silence, now, &notes);
  print_warnings(notes.warnings);
  if (!added) return fail(added.error());
  print(added->id + "\n");
  return 0;
}

std::string state_of(const Silence& silence, system_clock::time_point now) {
  return std::string(to_string(silence_state(silence, now)));
}

std::string list_text(const std::vector<Silence>& silences, system_clock::time_point now) {
  if (silences.empty()) return "no silences\n";
  std::string out;
  for (const Silence& silence : silences) {
    const std::string state = state_of(silence, now);
    std::string matches;
    for (const std::string& match : silence.matches) {
      matches += (matches.empty() ? "" : " ") + match;
    }
    out += printable(silence.id) + "  " + state + (state == "ended" ? " " : " until ") +
           printable(silence.ends_at) + "  " + printable(matches);
    if (!silence.comment.empty()) out += "  " + printable(silence.comment);
    out += "\n";
  }
  return out;
}

std::string list_json(const std::vector<Silence>& silences, system_clock::time_point now) {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const Silence& silence : silences) {
    list.push_back({{"id", silence.id},
                    {"state", state_of(silence, now)},
                    {"matches", silence.matches},
                    {"starts_at", silence.starts_at},
                    {"ends_at", silence.ends_at},
                    {"comment", silence.comment}});
  }
  const nlohmann::ordered_json doc = {{"silences", list}};
  return doc.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

int run_list(const ListFlags& flags) {
  Result<Settings> settings = settings_from_flags(flags.settings);
  if (!settings) return fail(settings.error());
  CheckNotes notes;
  Result<std::vector<Silence>> silences = ReportStore(std::move(*settings)).silences(&notes);
  print_warnings(notes.warnings);
  if (!silences) return fail(silences.error());
  const system_clock::time_point now = system_clock::now();
  print(flags.json ? list_json(*silences, now) : list_text(*silences, now));
  return 0;
}

int run_expire(const ExpireFlags& flags) {
  if (flags.id.empty()) {
    return fail({"invalid command line", "silence expire needs the ID that silence add printed",
                 "see devops-monitor silence list"});
  }
  Result<Settings> settings = settings_from_flags(flags.settings);
  if (!settings) return fail(settings.error());
  CheckNotes notes;
  Result<Silence> expired =
      ReportStore(std::move(*settings)).expire_silence(flags.id, system_clock::now(), &notes);
  print_warnings(notes.warnings);
  if (!expired) return fail(expired.error());
  print("expired " + printable(expired->id) + "\n");
  return 0;
}

Run declare_add(CLI::App& add) {
  auto flags = std::make_shared<AddFlags>();
  add.footer(kSilenceFooter);
  value_flag(add, "--for", flags->duration, "DURATION", "How long it holds, from now (1s to 366d)",
             "none: required");
  list_flag(add, "--match", flags->matches, "WHAT",
            "What it covers: cpu, memory, disk:<path>, key:<provider id> or all; repeatable",
            "none: at least one required");
  value_flag(add, "--comment", flags->comment, "TEXT",
             "Why, shown on the status page and the dashboard", "none");
  add_settings_flags(add, flags->settings, kConfigFlag | kReportDirFlag);
  return [flags] { return run_add(*flags); };
}

Run declare_list(CLI::App& list) {
  auto flags = std::make_shared<ListFlags>();
  list.footer(kSilenceFooter);
  switch_flag(list, "--json", flags->json, "The silences as JSON on stdout");
  add_settings_flags(list, flags->settings, kConfigFlag | kReportDirFlag);
  return [flags] { return run_list(*flags); };
}

Run declare_expire(CLI::App& expire) {
  auto flags = std::make_shared<ExpireFlags>();
  expire.footer(kSilenceFooter);
  expire.add_option("ID", flags->id, "The silence to end now, as add printed it");
  add_settings_flags(expire, flags->settings, kConfigFlag | kReportDirFlag);
  return [flags] { return run_expire(*flags); };
}

}  // namespace

Command silence_command() {
  return {"silence", "Add, list and expire maintenance silences", [](CLI::App& app) -> Run {
            auto runs = std::make_shared<std::map<std::string, Run>>();
            app.footer(kSilenceFooter);
            (*runs)["add"] = declare_add(
                *app.add_subcommand("add", "Silence components for a while; prints the id"));
            (*runs)["list"] = declare_list(
                *app.add_subcommand("list", "Active, upcoming and recently ended silences"));
            (*runs)["expire"] = declare_expire(*app.add_subcommand("expire", "End a silence now"));
            app.require_subcommand(1);
            return [runs, &app] { return (*runs)[app.get_subcommands().front()->get_name()](); };
          }};
}

}  // namespace devops_monitor::cli
