#include "model/silence_json.hpp"

namespace devops_monitor {

nlohmann::ordered_json silence_json(const Silence& silence) {
  return {{"id", silence.id},
          {"matches", silence.matches},
          {"starts_at", silence.starts_at},
          {"ends_at", silence.ends_at},
          {"comment", silence.comment}};
}

std::optional<Silence> silence_from_json(const nlohmann::ordered_json& object) {
  if (!object.is_object()) return std::nullopt;
  const auto text = [&](const char* name) -> std::optional<std::string> {
    if (!object.contains(name) || !object[name].is_string()) return std::nullopt;
    return object[name].get<std::string>();
  };
  const std::optional<std::string> id = text("id");
  const std::optional<std::string> starts = text("starts_at");
  const std::optional<std::string> ends = text("ends_at");
  if (!id || id->empty() || !starts || !ends || !object.contains("matches") ||
      !object["matches"].is_array()) {
    return std::nullopt;
  }
  Silence silence{.id = *id,
                  .matches = {},
                  .starts_at = *starts,
                  .ends_at = *ends,
                  .comment = text("comment").value_or("")};
  for (const auto& match : object["matches"]) {
    if (!match.is_string()) return std::nullopt;
    silence.matches.push_back(match.get<std::string>());
  }
  return silence;
}

}  // namespace devops_monitor
