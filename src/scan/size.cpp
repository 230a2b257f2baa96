#include <limits>

#include "devops_monitor/scan.hpp"
#include "util/ascii.hpp"

namespace devops_monitor {

Result<std::uint64_t> parse_size(std::string_view text) {
  const Error bad{"invalid size", "expected a number of bytes or one with K, M or G like 512K",
                  std::string(text)};
  std::size_t digits = 0;
  while (digits < text.size() && ascii::is_digit(text[digits])) ++digits;
  if (digits == 0 || digits > 19) return bad;
  std::uint64_t value = 0;
  for (std::size_t i = 0; i < digits; ++i) value = value * 10 + (text[i] - '0');
  const std::string_view unit = text.substr(digits);
  std::uint64_t scale = 1;
  if (unit.size() == 1) {
    switch (ascii::to_lower(unit[0])) {
      case 'k':
        scale = 1024;
        break;
      case 'm':
        scale = 1024 * 1024;
        break;
      case 'g':
        scale = 1024 * 1024 * 1024;
        break;
      default:
        return bad;
    }
  } else if (!unit.empty()) {
    return bad;
  }
  if (value == 0) return Error{"invalid size", "must be at least 1 byte", std::string(text)};
  if (value > std::numeric_limits<std::uint64_t>::max() / scale) {
    return Error{"invalid size", "too large", std::string(text)};
  }
  return value * scale;
}

}  // namespace devops_monitor
