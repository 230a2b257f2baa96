// `devops-monitor prune`: delete reports past the retention period (or list them).
#include <CLI/CLI.hpp>
#include <memory>
#include <nlohmann/json.hpp>

#include "command.hpp"
#include "devops_monitor/report_store.hpp"
#include "devops_monitor/text.hpp"
#include "flags.hpp"
#include "output.hpp"

namespace devops_monitor::cli {
namespace {

constexpr const char* kPruneFooter =
    "Deletes monitoring_report_*.json files older than --retention-days (by the time in their\n"
    "name, not the file's mtime) and nothing else. Reports from before a gap in the history\n"
    "longer than the retention period (a clock that jumped forward) are kept unless\n"
    "--ignore-gaps. A check prunes after saving its report too.\n"
    "Exit status: 0 done, 3 no report directory or bad flag.\n"
    "Examples:\n"
    "  devops-monitor prune --retention-days 30 --dry-run\n"
    "  devops-monitor prune --json --report-dir /var/lib/devops-monitor";

struct PruneFlags {
  SettingsFlags settings;
  bool dry_run = false;
  bool ignore_gaps = false;
  bool json = false;
};

std::string prune_json(const PruneFlags& flags, const PruneSummary& pruned, int days) {
  nlohmann::ordered_json doc = {{"dry_run", flags.dry_run},
                                {"retention_days", days},
                                {"files", nlohmann::ordered_json::array()},
                                {"held_back", nlohmann::ordered_json::array()},
                                {"gap_days", pruned.gap_days}};
  for (const auto& file : pruned.deleted) doc["files"].push_back(file.string());
  for (const auto& file : pruned.held_back) doc["held_back"].push_back(file.string());
  return doc.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

std::string prune_text(const PruneFlags& flags, const PruneSummary& pruned, int days) {
  std::string out;
  for (const auto& file : pruned.deleted) {
    out += (flags.dry_run ? "would delete " : "deleted ") + printable(file.string()) + "\n";
  }
  out += std::to_string(pruned.deleted.size()) +
         (flags.dry_run ? " reports would be deleted" : " reports deleted") + " (older than " +
         std::to_string(days) + " days)\n";
  if (!pruned.held_back.empty()) {
    out += std::to_string(pruned.held_back.size()) + " older reports kept: they come before a " +
           std::to_string(pruned.gap_days) +
           "-day gap in the history (a clock that jumped forward, or a machine that was off); "
           "--ignore-gaps deletes them\n";
  }
  return out;
}

int run_prune(const PruneFlags& flags) {
  Result<Settings> settings = settings_from_flags(flags.settings);
  if (!settings) return fail(settings.error());
  const int days = settings->retention_days;
  Result<PruneSummary> pruned =
      ReportStore(std::move(*settings))
          .prune({.dry_run = flags.dry_run, .ignore_gaps = flags.ignore_gaps});
  if (!pruned) return fail(pruned.error());
  print(flags.json ? prune_json(flags, *pruned, days) : prune_text(flags, *pruned, days));
  return 0;
}

}  // namespace

Command prune_command() {
  return {"prune", "Delete reports older than the retention period", [](CLI::App& app) -> Run {
            auto flags = std::make_shared<PruneFlags>();
            app.footer(kPruneFooter);
            switch_flag(app, "--dry-run", flags->dry_run, "Only list what would be deleted");
            switch_flag(app, "--ignore-gaps", flags->ignore_gaps,
                        "Also delete old reports from before a gap in the history (clock jump)");
            switch_flag(app, "--json", flags->json, "What was deleted, as JSON on stdout");
            add_settings_flags(app, flags->settings, kConfigFlag | kReportDirFlag | kRetentionFlag);
            return [flags] { return run_prune(*flags); };
          }};
}

}  // namespace devops_monitor::cli
