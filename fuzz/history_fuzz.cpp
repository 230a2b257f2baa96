// parse_sample(): report files in the history are outside input. Any text is an error naming
// the file or a sample whose summary and both renderings hold nothing a terminal could act on;
// the sample parser and the full report parser agree on what a report says.
#include <nlohmann/json.hpp>

#include "devops_monitor/report_json.hpp"
#include "fuzz_support.hpp"
#include "history/history.hpp"

using namespace devops_monitor;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = fuzz::as_text(data, size);
  const SystemTime name_time = SystemTime(std::chrono::seconds(1795542543));
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
