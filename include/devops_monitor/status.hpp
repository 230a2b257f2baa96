// Health levels shared by every part of a report, ordered like Nagios exit codes.
#pragma once

#include <optional>
#include <string_view>

namespace devops_monitor {

enum class Status { healthy = 0, warning = 1, critical = 2, unknown = 3 };

/// "healthy", "warning", "critical", "unknown".
std::string_view to_string(Status status);
std::optional<Status> parse_status(std::string_view text);

/// The more severe of two levels (unknown ranks above critical, as in Nagios).
Status worse(Status a, Status b);

/// Nagios/Icinga plugin exit code: 0 healthy, 1 warning, 2 critical, 3 unknown.
int exit_code(Status status);

}  // namespace devops_monitor
