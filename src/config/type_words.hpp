// How a key's KeyType is put into words: the same words in an error ("must be a whole number of
// days from 1 to 36500") and in the reference table of docs/configuration.md.
#pragma once

#include <string>
#include <string_view>

#include "config/schema.hpp"

namespace devops_monitor {

/// The duration units, for a type error: a bare number is the commonest mistake.
inline constexpr std::string_view kDurationUnitsText = "units ms, s, m, h, d";

/// A number as a person writes it: 1000000000000, not 1e+12; 0.1, 100.
std::string plain_number(double value);

/// "a whole number of days from 1 to 36500"
std::string whole_shape(const KeyType& type);
/// "a number from 0 to 100"
std::string number_shape(const KeyType& type);
/// Whether a number is within the type's range (nan never is).
bool number_in_range(double value, const KeyType& type);
/// "thresholds.warning = 120 is outside 0 to 100"
std::string number_outside_text(std::string_view label, double value, const KeyType& type);

/// For the reference table: the type's name ("duration", "array of strings") and its accepted
/// range ("`100ms` to `10m`", "1 to 36500", "http:// or https:// URL; may be empty").
std::string key_type_name(const KeyType& type);
std::string key_range_text(const KeyType& type);

}  // namespace devops_monitor
