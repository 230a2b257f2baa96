// The report's JSON form: the stable machine contract (schema/report.schema.json).
#pragma once

#include <string>
#include <string_view>

#include "devops_monitor/error.hpp"
#include "devops_monitor/report.hpp"

namespace devops_monitor {

/// Pretty-printed JSON, fields in a stable order, ending with a newline.
std::string to_json(const Report& report);

/// Reads a report written by to_json. `source` names the input in errors (a file path).
Result<Report> parse_report(std::string_view json_text, const std::string& source);

/// The same JSON form for the parts of a report.
std::string to_json(const SystemHealth& health);
std::string to_json(const ApiKeyStatus& key);
Result<SystemHealth> parse_system_health(std::string_view json_text, const std::string& source);
Result<ApiKeyStatus> parse_api_key_status(std::string_view json_text, const std::string& source);

}  // namespace devops_monitor
