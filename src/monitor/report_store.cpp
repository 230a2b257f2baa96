// The public ReportStore: the report directory's files (src/store), badges (src/render) and
// the status page (src/page) behind one class, each operation guarded so nothing throws.
#include "devops_monitor/report_store.hpp"

#include <chrono>

#include "model/notes.hpp"
#include "page/page_input.hpp"
#include "page/page_sources.hpp"
#include "store/keeping.hpp"
#include "store/prune.hpp"
#include "store/report_files.hpp"
#include "store/silences_file.hpp"
#include "util/guard.hpp"

namespace devops_monitor {
namespace {

/// Reading commands refuse a directory that is not there: a typo in --report-dir would
/// otherwise look like a machine that was never checked.
Result<void> existing_directory(const std::filesystem::path& dir) {
  std::error_code ec;
  const std::filesystem::file_status status = std::filesystem::status(dir, ec);
  if (std::filesystem::is_directory(status)) return {};
  const std::string why = status.type() == std::filesystem::file_type::not_found
                              ? "it does not exist; run a check first"
                          : ec ? ec.message()
                               : "it is not a directory";
  return Error{"no report directory", why, dir.string()};
}

}  // namespace

ReportStore::ReportStore(Settings settings) : settings_(std::move(settings)) {}

Result<std::filesystem::path> ReportStore::keep(const Report& report, CheckNotes* notes) const {
  return guarded<std::filesystem::path>(
      "cannot save report", [&]() -> Result<std::filesystem::path> {
        return keep_report_until(settings_, report, notes,
                                 std::chrono::steady_clock::now() + settings_.effective_deadline());
      });
}

Result<PruneSummary> ReportStore::prune(const PruneOptions& options) const {
  return guarded<PruneSummary>("cannot prune reports", [&]() -> Result<PruneSummary> {
    if (Result<void> there = existing_directory(settings_.report_dir); !there) return there.error();
    Result<PruneOutcome> outcome =
        prune_reports_in(settings_.report_dir, settings_.retention_days,
                         std::chrono::system_clock::now(), options.dry_run, options.ignore_gaps);
    if (!outcome) return outcome.error();
    return PruneSummary{.deleted = std::move(outcome->deleted),
                        .held_back = std::move(outcome->held_back),
                        .gap_days = static_cast<int>(outcome->gap.count() / 24)};
  });
}

Result<std::string> ReportStore::badge(BadgeFormat format, CheckNotes* notes) const {
  return guarded<std::string>("cannot read report", [&]() -> Result<std::string> {
    if (Result<void> there = existing_directory(settings_.report_dir); !there) return there.error();
    Result<std::optional<Report>> report = read_latest_report(settings_.report_dir);
    if (!report) {
      note_warning(notes, report.error());
      return render_badge(Status::unknown, format);
    }
    return render_badge(*report ? (*report)->status : Status::unknown, format);
  });
}

Result<std::string> ReportStore::status_page(PageRange shown, CheckNotes* notes) const {
  return guarded<std::string>("cannot make the status page", [&]() -> Result<std::string> {
    if (Result<void> there = existing_directory(settings_.report_dir); !there) return there.error();
    const SystemTime now = std::chrono::system_clock::now();
    Result<page::PageSources> sources = page::load_page_sources(settings_.report_dir, now);
    if (!sources) return sources.error();
    for (const std::string& warning : sources->warnings) {
      note_warning(notes, Error{warning, "", ""});
    }
    // The maintenance shown is the one of now, not of the latest report.
    if (sources->latest) {
      sources->latest->silences =
          active_silences(read_silences_or_warn(settings_.report_dir, notes), now);
    }
    const std::vector<PageRange> ranges(std::begin(kPageRanges), std::end(kPageRanges));
    return page::render_status_page(
        page::page_input(std::move(sources->latest), sources->samples, ranges, shown, now, false));
  });
}

Result<std::vector<Silence>> ReportStore::silences(CheckNotes* notes) const {
  return guarded<std::vector<Silence>>(
      "cannot read silences", [&]() -> Result<std::vector<Silence>> {
        if (Result<void> there = existing_directory(settings_.report_dir); !there) {
          return there.error();
        }
        return read_silences_or_warn(settings_.report_dir, notes);
      });
}

Result<Silence> ReportStore::add_silence(Silence silence, SystemTime now, CheckNotes* notes) const {
  return guarded<Silence>("cannot add silence", [&]() -> Result<Silence> {
    if (Result<void> there = existing_directory(settings_.report_dir); !there) return there.error();
    return devops_monitor::add_silence(settings_.report_dir, std::move(silence), now, notes);
  });
}

Result<Silence> ReportStore::expire_silence(const std::string& id, SystemTime now,
                                            CheckNotes* notes) const {
  return guarded<Silence>("cannot expire silence", [&]() -> Result<Silence> {
    if (Result<void> there = existing_directory(settings_.report_dir); !there) return there.error();
    return devops_monitor::expire_silence(settings_.report_dir, id, now, notes);
  });
}

}  // namespace devops_monitor
