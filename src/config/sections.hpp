// The tables whose keys are weighed against each other once all are read: each is read by a
// function of its own (schema.hpp, KeySection), which owns those rules.
#pragma once

#include <toml++/toml.h>

#include "config/schema.hpp"
#include "devops_monitor/error.hpp"
#include "devops_monitor/settings.hpp"

namespace devops_monitor {

class SchemaReader;

/// [thresholds]: a per-metric value wins over the general one wherever either is written, and
/// every metric needs warning < critical after merging.
Result<void> read_thresholds(const SchemaReader& reader, const toml::node& node,
                             const TablePlace& place, Settings& settings);

/// [providers.<id>]: a built-in id adjusts that provider, any other adds one; the env_var
/// trust rule and the auth/header rules.
Result<void> read_providers(const SchemaReader& reader, const toml::node& node,
                            const TablePlace& place, Settings& settings);

/// [[webhooks]]: each needs a url; together they replace the base's list.
Result<void> read_webhooks(const SchemaReader& reader, const toml::node& node,
                           const TablePlace& place, Settings& settings);

}  // namespace devops_monitor
