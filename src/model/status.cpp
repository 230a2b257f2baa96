#include "devops_monitor/status.hpp"

namespace devops_monitor {

std::string_view to_string(Status status) {
  switch (status) {
    case Status::healthy:
      return "healthy";
    case Status::warning:
      return "warning";
    case Status::critical:
      return "critical";
    case Status::unknown:
      return "unknown";
  }
  return "unknown";
}

std::optional<Status> parse_status(std::string_view text) {
  for (Status s : {Status::healthy, Status::warning, Status::critical, Status::unknown}) {
    if (to_string(s) == text) return s;
  }
  return std::nullopt;
}

Status worse(Status a, Status b) {
  return static_cast<int>(a) >= static_cast<int>(b) ? a : b;
}

int exit_code(Status status) {
  return static_cast<int>(status);
}

}  // namespace devops_monitor
