#include "system/system_sample.hpp"

#include <array>
#include <charconv>
#include <cmath>

namespace devops_monitor {

double round_to_tenth(double value) {
  if (!std::isfinite(value)) return value;
  // Python's round(x, 1), which psutil uses, rounds the exact binary value of x correctly,
  // ties to even; std::round(x * 10) / 10 does not (0.15 is really 0.1499..., yet 0.15 * 10
  // rounds up to exactly 1.5). Printing with one decimal rounds the exact value too, ties to
  // even, so printing and reading back gives Python's answer bit for bit.
  std::array<char, 512> text{};  // enough for any double in fixed notation (max ~1.8e308)
  const auto printed =
      std::to_chars(text.data(), text.data() + text.size(), value, std::chars_format::fixed, 1);
  double rounded = value;
  if (std::from_chars(text.data(), printed.ptr, rounded).ec != std::errc{}) return value;
  return rounded;
}

}  // namespace devops_monitor
