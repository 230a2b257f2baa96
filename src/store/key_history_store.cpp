#include "store/key_history_store.hpp"

#include <nlohmann/json.hpp>

#include "util/atomic_file.hpp"
#include "util/file_io.hpp"

namespace devops_monitor {

std::string key_history_json(const KeyHistory& history) {
  nlohmann::ordered_json keys = nlohmann::ordered_json::object();
  for (const auto& [id, record] : history) {
    nlohmann::ordered_json entry = {{"fingerprint", record.fingerprint},
                                    {"first_seen", record.first_seen}};
    if (record.previous_fingerprint) entry["previous_fingerprint"] = *record.previous_fingerprint;
    if (record.rotated_at) entry["rotated_at"] = *record.rotated_at;
    keys[id] = entry;
  }
  const nlohmann::ordered_json doc = {{"version", 1}, {"keys", keys}};
  return doc.dump(2) + "\n";
}

Result<KeyHistory> parse_key_history(std::string_view text, const std::string& source) {
  const nlohmann::json doc = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object() || !doc.contains("keys") || !doc["keys"].is_object()) {
    return Error{"cannot read key history", "not a key history file", source};
  }
  KeyHistory history;
  for (const auto& [id, entry] : doc["keys"].items()) {
    if (!entry.is_object() || !entry.contains("fingerprint") || !entry["fingerprint"].is_string() ||
        !entry.contains("first_seen") || !entry["first_seen"].is_string()) {
      return Error{"cannot read key history", "entry \"" + id + "\" is incomplete", source};
    }
    KeyRecord record{.fingerprint = entry["fingerprint"], .first_seen = entry["first_seen"]};
    if (entry.contains("previous_fingerprint") && entry["previous_fingerprint"].is_string()) {
      record.previous_fingerprint = entry["previous_fingerprint"].get<std::string>();
    }
    if (entry.contains("rotated_at") && entry["rotated_at"].is_string()) {
      record.rotated_at = entry["rotated_at"].get<std::string>();
    }
    history[id] = std::move(record);
  }
  return history;
}

Result<KeyHistory> read_key_history(const std::filesystem::path& dir) {
  const std::filesystem::path file = dir / kKeyHistoryName;
  std::error_code ec;
  // symlink_status: a symlink is there (and refused below) even when it points nowhere.
  if (std::filesystem::symlink_status(file, ec).type() == std::filesystem::file_type::not_found) {
    return KeyHistory{};
  }
  // Found in the report directory, not named: a planted FIFO or /dev/zero symlink is refused.
  Result<RegularFileText> text = read_regular_file(
      file, "cannot read key history",
      {.max_bytes = kMaxKeyHistoryBytes, .symlinks = Symlinks::refuse, .kind = "key history"});
  if (!text) return text.error();
  return parse_key_history(text->text, file.string());
}

Result<void> write_key_history(const std::filesystem::path& dir, const KeyHistory& history) {
  return write_file_atomically(dir / kKeyHistoryName, key_history_json(history));
}

}  // namespace devops_monitor
