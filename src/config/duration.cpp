// Durations as people write them: "<number><unit>" parts summed exactly in whole milliseconds.
// The arithmetic is integer-only so "0.1s" is exactly 100ms and nothing is rounded away.
#include "devops_monitor/duration.hpp"

#include <array>
#include <cstdint>
#include <limits>
#include <optional>

#include "config/quote.hpp"
#include "util/ascii.hpp"

namespace devops_monitor {
namespace {

using Count = std::int64_t;
constexpr Count kMaxCount = std::numeric_limits<Count>::max();

struct Unit {
  std::string_view suffix;
  Count ms = 0;
};

// Largest first: format_duration spells from the top unit down.
constexpr std::array<Unit, 4> kUnits{{{"h", 3'600'000}, {"m", 60'000}, {"s", 1'000}, {"ms", 1}}};

// A fraction with more digits than this cannot be whole milliseconds in any unit: an hour is
// 2^7 * 3^2 * 5^5 ms, so at most 10^7 divides (fraction * unit) when the fraction ends in 1-9.
constexpr std::size_t kMaxFractionDigits = 7;

std::optional<Count> unit_ms(std::string_view suffix) {
  for (const Unit& unit : kUnits) {
    if (unit.suffix == suffix) return unit.ms;
  }
  return std::nullopt;
}

// Bytes >= 0x80 count as unit letters so "5µs" reports the unknown unit "µs" whole.
bool is_unit_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || static_cast<unsigned char>(c) >= 0x80;
}

/// a * b + c, or nullopt when it does not fit; all operands are non-negative.
std::optional<Count> mul_add(Count a, Count b, Count c) {
  if (b != 0 && a > (kMaxCount - c) / b) return std::nullopt;
  return a * b + c;
}

std::optional<Count> to_count(std::string_view digits) {
  Count value = 0;
  for (const char c : digits) {
    std::optional<Count> next = mul_add(value, 10, c - '0');
    if (!next) return std::nullopt;
    value = *next;
  }
  return value;
}

Error invalid(std::string_view text, const std::string& why) {
  return Error{"invalid duration", in_quotes(text) + " " + why, ""};
}

class DurationParser {
 public:
  explicit DurationParser(std::string_view text) : text_(text) {}

  Result<Milliseconds> parse() {
    if (text_.empty()) {
      return invalid(text_, "is empty; write a number with a unit (ms, s, m, h), like \"10s\"");
    }
    if (text_.front() == '-') return invalid(text_, "is negative");
    Count total = 0;
    while (pos_ < text_.size()) {
      Result<Count> part = next_part();
      if (!part) return part.error();
      if (*part > kMaxCount - total) return too_large();
      total += *part;
    }
    return Milliseconds(total);
  }

 private:
  /// One <digits>[.<digits>]<unit>, in whole milliseconds.
  Result<Count> next_part() {
    const std::size_t start = pos_;
    const std::string_view whole = take_while(ascii::is_digit);
    if (whole.empty()) return unexpected();
    std::string_view fraction;
    if (pos_ < text_.size() && text_[pos_] == '.') {
      ++pos_;
      fraction = take_while(ascii::is_digit);
      if (fraction.empty()) return invalid(text_, "needs digits after the decimal point");
    }
    const std::string_view number = text_.substr(start, pos_ - start);
    const std::string_view suffix = take_while(is_unit_char);
    if (suffix.empty()) return missing_unit(start, number);
    const std::optional<Count> unit = unit_ms(suffix);
    if (!unit) {
      return invalid(text_, "has unknown unit " + in_quotes(suffix) + "; use ms, s, m or h");
    }
    return in_milliseconds(whole, fraction, *unit);
  }

  Result<Count> in_milliseconds(std::string_view whole, std::string_view fraction, Count unit) {
    const std::optional<Count> whole_count = to_count(whole);
    if (!whole_count) return too_large();
    const std::optional<Count> whole_ms = mul_add(*whole_count, unit, 0);
    if (!whole_ms) return too_large();
    while (!fraction.empty() && fraction.back() == '0') fraction.remove_suffix(1);
    if (fraction.empty()) return *whole_ms;
    if (fraction.size() > kMaxFractionDigits) return not_whole();
    Count scale = 1;
    for (std::size_t i = 0; i < fraction.size(); ++i) scale *= 10;
    const Count scaled = *to_count(fraction) * unit;  // < 10^7 * 3.6e6: cannot overflow
    if (scaled % scale != 0) return not_whole();
    if (scaled / scale > kMaxCount - *whole_ms) return too_large();
    return *whole_ms + scaled / scale;
  }

  template <class Predicate>
  std::string_view take_while(Predicate accept) {
    const std::size_t start = pos_;
    while (pos_ < text_.size() && accept(text_[pos_])) ++pos_;
    return text_.substr(start, pos_ - start);
  }

  Error missing_unit(std::size_t start, std::string_view number) const {
    if (pos_ < text_.size()) return unexpected();
    if (start == 0) {
      // A bare number: suggest the spelling most likely meant rather than guessing it.
      return invalid(text_, "has no unit; write a unit (ms, s, m, h), like " +
                                in_quotes(std::string(number) + "s"));
    }
    return invalid(text_, "has no unit after " + in_quotes(number));
  }

  Error unexpected() const {
    if (pos_ == 0 && is_unit_char(text_[0])) {
      return invalid(text_,
                     "is not a duration; write a number with a unit (ms, s, m, h), like \"10s\"");
    }
    return invalid(text_, "has unexpected " + in_quotes(text_.substr(pos_, 1)) + " at position " +
                              std::to_string(pos_ + 1) +
                              "; write numbers with units, like \"1h30m\"");
  }

  Error too_large() const { return invalid(text_, "is too large"); }
  Error not_whole() const { return invalid(text_, "is not a whole number of milliseconds"); }

  std::string_view text_;
  std::size_t pos_ = 0;
};

/// r / unit as a terminating decimal ("1.25"), or nullopt when it does not terminate soon.
/// Nothing below one unit ("0.1s"): the next smaller unit reads better ("100ms").
std::optional<std::string> exact_decimal(std::uint64_t r, std::uint64_t unit) {
  if (unit == 0) return std::nullopt;
  std::string text = std::to_string(r / unit);
  std::uint64_t rest = r % unit;
  if (rest == 0) return text;
  if (r < unit) return std::nullopt;
  text += '.';
  for (int digits = 0; rest != 0 && digits < 10; ++digits) {
    rest *= 10;
    // cppcheck 2.10 takes `rest != 0` as a hint that the divisor may be 0; unit is not (above).
    // cppcheck-suppress zerodivcond
    text += static_cast<char>('0' + rest / unit);
    rest %= unit;
  }
  if (rest != 0) return std::nullopt;
  return text;
}

/// Whole parts from kUnits[top] down to kUnits[last], the last one possibly a decimal:
/// (h, s) spells 3723000 as "1h2m3s", (m, m) as "62.05m".
std::optional<std::string> spell(std::uint64_t ms, std::size_t top, std::size_t last) {
  std::string text;
  for (std::size_t i = top; i < last; ++i) {
    const auto unit = static_cast<std::uint64_t>(kUnits[i].ms);
    if (ms / unit != 0) text += std::to_string(ms / unit) + std::string(kUnits[i].suffix);
    ms %= unit;
  }
  if (ms == 0 && !text.empty()) return text;
  std::optional<std::string> tail = exact_decimal(ms, static_cast<std::uint64_t>(kUnits[last].ms));
  if (!tail) return std::nullopt;
  return text + *tail + std::string(kUnits[last].suffix);
}

std::size_t parts(const std::string& spelling) {
  std::size_t count = 0;
  for (std::size_t i = 0; i < spelling.size(); ++i) {
    const bool unit_ends = !ascii::is_digit(spelling[i]) && spelling[i] != '.' &&
                           (i + 1 == spelling.size() || ascii::is_digit(spelling[i + 1]));
    if (unit_ends) ++count;
  }
  return count;
}

/// Shorter wins; on a tie, whole numbers ("150s" over "2.5m"), then fewer parts ("3723s"
/// over "62m3s").
bool better(const std::string& candidate, const std::string& best) {
  if (candidate.size() != best.size()) return candidate.size() < best.size();
  const bool candidate_dot = candidate.find('.') != std::string::npos;
  const bool best_dot = best.find('.') != std::string::npos;
  if (candidate_dot != best_dot) return !candidate_dot;
  return parts(candidate) < parts(best);
}

}  // namespace

Result<Milliseconds> parse_duration(std::string_view text) {
  return DurationParser(text).parse();
}

Result<Milliseconds> parse_duration_between(std::string_view text, Milliseconds min,
                                            Milliseconds max) {
  Result<Milliseconds> value = parse_duration(text);
  if (value && (*value < min || *value > max)) {
    return Error{
        "invalid duration",
        in_quotes(text) + " is outside " + format_duration(min) + " to " + format_duration(max),
        ""};
  }
  return value;
}

std::string format_duration(Milliseconds duration) {
  const Count count = duration.count();
  if (count == 0) return "0s";
  // Magnitude without negating the minimum value, which has no positive counterpart.
  const std::uint64_t ms =
      count < 0 ? static_cast<std::uint64_t>(-(count + 1)) + 1 : static_cast<std::uint64_t>(count);
  std::string best;
  for (std::size_t top = 0; top < kUnits.size(); ++top) {
    for (std::size_t last = top; last < kUnits.size(); ++last) {
      std::optional<std::string> candidate = spell(ms, top, last);
      if (candidate && (best.empty() || better(*candidate, best))) best = std::move(*candidate);
    }
  }
  return count < 0 ? "-" + best : best;
}

}  // namespace devops_monitor
