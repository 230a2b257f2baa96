// The key history file in the report directory (fingerprints only, never keys).
#pragma once

#include <filesystem>
#include <string_view>

#include "devops_monitor/error.hpp"
#include "model/key_history.hpp"

namespace devops_monitor {

inline constexpr std::string_view kKeyHistoryName = "key_history.json";

/// The history in `dir`; empty when there is none yet. A file that is not a regular file of at
/// most 4 MiB (a FIFO, a symlink, ...) or does not parse is an Error naming it (the caller may
/// start afresh).
Result<KeyHistory> read_key_history(const std::filesystem::path& dir);

/// Replaces the history file atomically.
Result<void> write_key_history(const std::filesystem::path& dir, const KeyHistory& history);

/// JSON text of a history, and back (pure; for tests and the store).
std::string key_history_json(const KeyHistory& history);
Result<KeyHistory> parse_key_history(std::string_view text, const std::string& source);

}  // namespace devops_monitor
