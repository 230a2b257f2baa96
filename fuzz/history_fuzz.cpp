// parse_sample() and parse_history_index(): report files and the index beside them are outside
// input. Any text is an error naming the file or a sample whose summary and both renderings
// hold nothing a terminal could act on; the sample parser and the full report parser agree on
// what a report says; the index round-trips.
#include <nlohmann/json.hpp>

#include "devops_monitor/report_json.hpp"
#include "fuzz_support.hpp"
#include "history/history.hpp"

using namespace devops_monitor;

FUZZ_TARGET(history) {
  const std::string_view text = fuzz::as_text(data, size);
  const SystemTime name_time = SystemTime(std::chrono::seconds(1795542543));
  // The same bytes as an index file beside the reports (outside input too): what it reads
  // writes back to text that reads back to the same entries.
  const std::string index = history::format_history_index(history::parse_history_index(text));
  FUZZ_CHECK(history::format_history_index(history::parse_history_index(index)) == index, index);

  const Result<history::Sample> sample = history::parse_sample(text, "fuzz.json", name_time);
  if (!sample) {
    FUZZ_CHECK(sample.error().where == "fuzz.json", sample.error().message());
    return 0;
  }
  // Whatever parse_report accepts as a report, the sample parser reads the same keys in the
  // same states (parse_report also makes an empty key of a non-object in api_keys; the
  // sample parser skips those, so its keys are a subsequence).
  const Result<Report> report = parse_report(text, "fuzz.json");
  if (report) {
    const history::Sample via = history::sample_of(*report, sample->time);
    std::size_t next = 0;
    for (const history::KeySample& key : sample->keys) {
      while (next < via.keys.size() &&
             (via.keys[next].provider != key.provider || via.keys[next].state != key.state)) {
        ++next;
      }
      FUZZ_CHECK(next < via.keys.size(), text);
      ++next;
    }
  }
  const SystemTime since = std::min(sample->time, name_time) - std::chrono::hours(1);
  const SystemTime now = std::max(sample->time, name_time) + std::chrono::hours(1);
  const history::HistorySummary summary = history::summarize({*sample, *sample}, since, now);
  const std::string human = history::render_history_human(
      summary, {*sample}, {.sparklines = true, .color = false, .range = "1h"});
  FUZZ_CHECK(fuzz::first_unsafe_byte(human, /*newline_allowed=*/true) == std::string::npos, human);
  const std::string json = history::render_history_json(summary, 0);
  FUZZ_CHECK(nlohmann::json::accept(json), json);
  return 0;
}
