// One duration grammar for flags, config and history: <number><unit> parts, largest unit
// first, as Prometheus writes them ("1h30m", "7d"). A part may have decimals ("1.5s") when
// they come to whole milliseconds; the arithmetic is integer-only, so "0.1s" is exactly 100ms.
#include "devops_monitor/duration.hpp"

#include <array>
#include <cstdint>

#include "util/ascii.hpp"
#include "util/quote.hpp"

namespace devops_monitor {
namespace {

struct Unit {
  std::string_view name;
  std::int64_t ms = 0;
};

// Largest first: a part's unit must come after the previous part's in this list.
constexpr std::array<Unit, 5> kUnits{
    {{"d", 86'400'000}, {"h", 3'600'000}, {"m", 60'000}, {"s", 1'000}, {"ms", 1}}};
constexpr std::string_view kHowToWrite =
    "write a number and a unit (ms, s, m, h, d), like \"10s\" or \"1h30m\"";
// A day is 8.64e7 ms: a non-zero digit past the ninth decimal is never a whole millisecond.
constexpr std::size_t kMaxDecimals = 9;

Error invalid(std::string_view text, std::string_view why) {
  return Error{"invalid duration", in_quotes(text) + " " + std::string(why), ""};
}

std::string_view take(std::string_view text, std::size_t& pos, bool (*accept)(char)) {
  const std::size_t start = pos;
  while (pos < text.size() && accept(text[pos])) ++pos;
  return text.substr(start, pos - start);
}

/// `digits` as a number, or false when it does not fit.
bool to_int(std::string_view digits, std::int64_t& out) {
  out = 0;
  for (const char c : digits) {
    if (__builtin_mul_overflow(out, 10, &out) || __builtin_add_overflow(out, c - '0', &out)) {
      return false;
    }
  }
  return true;
}

/// Unit names are letters; bytes of other scripts count too, so "5µs" names "µs" whole.
bool is_unit_char(char c) {
  return ascii::is_alpha(c) || static_cast<unsigned char>(c) >= 0x80;
}

std::size_t unit_index(std::string_view name) {
  std::size_t unit = 0;
  while (unit < kUnits.size() && kUnits[unit].name != name) ++unit;
  return unit;
}

/// <whole>.<decimals> units in milliseconds; decimals must come to whole milliseconds.
Result<std::int64_t> part_ms(std::string_view whole, std::string_view decimals,
                             std::int64_t unit_ms, std::string_view text) {
  std::int64_t count = 0;
  std::int64_t ms = 0;
  if (!to_int(whole, count) || __builtin_mul_overflow(count, unit_ms, &ms)) {
    return invalid(text, "is too large");
  }
  while (!decimals.empty() && decimals.back() == '0') decimals.remove_suffix(1);
  if (decimals.empty()) return ms;
  std::int64_t fraction = 0;
  std::int64_t scale = 1;
  for (std::size_t i = 0; i < decimals.size() && i < kMaxDecimals; ++i) scale *= 10;
  // fraction < 10^9 and unit_ms < 10^8: the product fits.
  if (decimals.size() > kMaxDecimals || !to_int(decimals, fraction) ||
      (fraction * unit_ms) % scale != 0) {
    return invalid(text, "is not a whole number of milliseconds");
  }
  if (__builtin_add_overflow(ms, fraction * unit_ms / scale, &ms)) {
    return invalid(text, "is too large");
  }
  return ms;
}

}  // namespace

Result<Milliseconds> parse_duration(std::string_view text) {
  if (text.empty()) return invalid(text, "is empty; " + std::string(kHowToWrite));
  if (text.front() == '-') return invalid(text, "is negative");
  std::int64_t total = 0;
  std::size_t next_unit = 0;  // parts go from larger units to smaller ones
  for (std::size_t pos = 0; pos < text.size();) {
    const std::size_t start = pos;
    const std::string_view whole = take(text, pos, ascii::is_digit);
    std::string_view decimals;
    if (!whole.empty() && pos < text.size() && text[pos] == '.') {
      ++pos;
      decimals = take(text, pos, ascii::is_digit);
      if (decimals.empty()) return invalid(text, "needs digits after the decimal point");
    }
    const std::string_view number = text.substr(start, pos - start);
    const std::string_view name = take(text, pos, is_unit_char);
    if (whole.empty() || (name.empty() && pos < text.size())) {
      return invalid(text, "is not a duration; " + std::string(kHowToWrite));
    }
    if (name.empty()) {
      return invalid(text, start == 0 ? "has no unit; " + std::string(kHowToWrite)
                                      : "has no unit after " + in_quotes(number));
    }
    const std::size_t unit = unit_index(name);
    if (unit == kUnits.size()) {
      return invalid(text, "has unknown unit " + in_quotes(name) + "; use ms, s, m, h or d");
    }
    if (unit < next_unit) {
      return invalid(text, "has its units out of order; write the largest first, like \"1h30m\"");
    }
    next_unit = unit + 1;
    Result<std::int64_t> ms = part_ms(whole, decimals, kUnits[unit].ms, text);
    if (!ms) return ms.error();
    if (__builtin_add_overflow(total, *ms, &total)) return invalid(text, "is too large");
  }
  return Milliseconds(total);
}

Result<Milliseconds> parse_duration_between(std::string_view text, Milliseconds min,
                                            Milliseconds max) {
  Result<Milliseconds> value = parse_duration(text);
  if (value && (*value < min || *value > max)) {
    return invalid(text, "is outside " + format_duration(min) + " to " + format_duration(max));
  }
  return value;
}

std::string format_duration(Milliseconds duration) {
  if (duration.count() == 0) return "0s";
  // The magnitude as unsigned: the most negative count has no positive counterpart.
  const std::int64_t count = duration.count();
  std::uint64_t rest =
      count < 0 ? 0 - static_cast<std::uint64_t>(count) : static_cast<std::uint64_t>(count);
  std::string text = count < 0 ? "-" : "";
  for (const Unit& unit : kUnits) {
    const auto size = static_cast<std::uint64_t>(unit.ms);
    if (rest / size != 0) text += std::to_string(rest / size) + std::string(unit.name);
    rest %= size;
  }
  return text;
}

}  // namespace devops_monitor
