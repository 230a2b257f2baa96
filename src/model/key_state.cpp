#include "devops_monitor/report.hpp"

namespace devops_monitor {

std::string_view to_string(KeyState state) {
  switch (state) {
    case KeyState::missing:
      return "missing";
    case KeyState::valid:
      return "valid";
    case KeyState::invalid:
      return "invalid";
    case KeyState::quota_exhausted:
      return "quota_exhausted";
    case KeyState::rate_limited:
      return "rate_limited";
    case KeyState::unknown:
      return "unknown";
    case KeyState::unsupported:
      return "unsupported";
    case KeyState::restricted:
      return "restricted";
  }
  return "unknown";
}

std::optional<KeyState> parse_key_state(std::string_view text) {
  for (KeyState s :
       {KeyState::missing, KeyState::valid, KeyState::invalid, KeyState::quota_exhausted,
        KeyState::rate_limited, KeyState::unknown, KeyState::unsupported, KeyState::restricted}) {
    if (to_string(s) == text) return s;
  }
  return std::nullopt;
}

}  // namespace devops_monitor
