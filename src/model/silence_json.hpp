// The JSON form of a silence, shared by the report ("silences") and silences.json, so both
// spell it the same way.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>

#include "devops_monitor/silences.hpp"

namespace devops_monitor {

/// {"id", "matches", "starts_at", "ends_at", "comment"}.
nlohmann::ordered_json silence_json(const Silence& silence);

/// The silence of one such object; nullopt when a field is missing or of the wrong type, or
/// the id is empty (a hand-edited file: the caller skips it).
std::optional<Silence> silence_from_json(const nlohmann::ordered_json& object);

}  // namespace devops_monitor
