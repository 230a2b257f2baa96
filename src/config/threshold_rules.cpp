// [thresholds]: the general warning and critical apply to every metric, a metric's own value
// wins wherever either is written, and each metric needs warning < critical after merging.
#include <fmt/format.h>

#include <array>
#include <string_view>

#include "config/schema_reader.hpp"
#include "config/sections.hpp"
#include "config/type_words.hpp"
#include "devops_monitor/config.hpp"

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

/// "cpu warning 95 (thresholds.warning) must be below cpu critical 90 (default)"
std::string order_problem(std::string_view metric, const Thresholds& levels,
                          std::string_view warning_origin, std::string_view critical_origin) {
  return fmt::format("{} warning {} ({}) must be below {} critical {} ({})", metric, levels.warning,
                     warning_origin, metric, levels.critical, critical_origin);
}

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
  return reader.error_at(where, order_problem(metric, target, origin(warning), origin(critical)));
}

constexpr std::string_view kThresholdsLabel = "thresholds";

/// "thresholds.cpu_warning": a level's key in the config file.
std::string level_label(std::string_view key) {
  return TablePlace{std::string(kThresholdsLabel), ""}.label_of(key);
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

Result<void> check_threshold_level(std::string_view key, double value) {
  const ConfigKey<ThresholdDraft>* level = threshold_keys().find(key);
  if (level == nullptr) {
    return Error{"invalid thresholds", "unknown level " + level_label(key), ""};
  }
  if (!number_in_range(value, level->type)) {
    return Error{"invalid thresholds", number_outside_text(level_label(key), value, level->type),
                 ""};
  }
  return {};
}

Result<void> check_thresholds(const ThresholdSet& thresholds) {
  for (const MetricThresholds& m : kMetricThresholds) {
    const Thresholds& levels = thresholds.*m.target;
    const std::string warning = std::string(m.metric) + "_warning";
    const std::string critical = std::string(m.metric) + "_critical";
    if (Result<void> valid = check_threshold_level(warning, levels.warning); !valid) return valid;
    if (Result<void> valid = check_threshold_level(critical, levels.critical); !valid) return valid;
    if (!(levels.warning < levels.critical)) {
      return Error{"invalid thresholds",
                   order_problem(m.metric, levels, level_label(warning), level_label(critical)),
                   ""};
    }
  }
  return {};
}

}  // namespace devops_monitor
