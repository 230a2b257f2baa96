// [thresholds]: the general warning and critical apply to every metric, a metric's own value
// wins wherever either is written, and each metric needs warning < critical after merging.
#include <fmt/format.h>

#include <array>
#include <string_view>

#include "config/schema_reader.hpp"
#include "config/sections.hpp"

namespace devops_monitor {
namespace {

struct MetricThresholds {
  std::string_view metric;  // as messages name it: "cpu warning 95 ..."
  Thresholds ThresholdSet::*target;
  std::optional<Placed<double>> ThresholdDraft::*warning;
  std::optional<Placed<double>> ThresholdDraft::*critical;
};

constexpr std::array<MetricThresholds, 3> kMetricThresholds{{
    {"cpu", &ThresholdSet::cpu, &ThresholdDraft::cpu_warning, &ThresholdDraft::cpu_critical},
    {"memory", &ThresholdSet::memory, &ThresholdDraft::memory_warning,
     &ThresholdDraft::memory_critical},
    {"disk", &ThresholdSet::disk, &ThresholdDraft::disk_warning, &ThresholdDraft::disk_critical},
}};

using WrittenLevel = std::optional<Placed<double>>;

Result<void> merge_metric(const SchemaReader& reader, std::string_view metric,
                          const WrittenLevel& warning, const WrittenLevel& critical,
                          Thresholds& target) {
  if (warning) target.warning = warning->value;
  if (critical) target.critical = critical->value;
  if ((!warning && !critical) || target.warning < target.critical) return {};
  auto origin = [](const WrittenLevel& level) {
    return level ? level->origin.label : std::string("default");
  };
  // Point at whichever of the two was written last: that is the one that broke the pair.
  const toml::source_region where = !critical  ? warning->origin.key
                                    : !warning ? critical->origin.key
                                    : is_before(warning->origin.key, critical->origin.key)
                                        ? critical->origin.key
                                        : warning->origin.key;
  return reader.error_at(where, fmt::format("{} warning {} ({}) must be below {} critical {} ({})",
                                            metric, target.warning, origin(warning), metric,
                                            target.critical, origin(critical)));
}

}  // namespace

Result<void> read_thresholds(const SchemaReader& reader, const toml::node& node,
                             const TablePlace& place, Settings& settings) {
  ThresholdDraft draft;
  Result<std::vector<TomlMember>> read =
      reader.read(*node.as_table(), place, threshold_keys(), draft);
  if (!read) return read.error();
  for (const MetricThresholds& m : kMetricThresholds) {
    const WrittenLevel& warning = draft.*m.warning ? draft.*m.warning : draft.warning;
    const WrittenLevel& critical = draft.*m.critical ? draft.*m.critical : draft.critical;
    Result<void> merged =
        merge_metric(reader, m.metric, warning, critical, settings.thresholds.*m.target);
    if (!merged) return merged;
  }
  return {};
}

}  // namespace devops_monitor
