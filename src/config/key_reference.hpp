// The reference table of every config key, rendered from the schema. docs/configuration.md
// holds a copy between two marker lines, and a unit test keeps the copy equal to this.
#pragma once

#include <string>
#include <string_view>

namespace devops_monitor {

inline constexpr std::string_view kKeyReferenceBegin =
    "<!-- BEGIN generated key reference: edit src/config/schema.cpp, not this table -->";
inline constexpr std::string_view kKeyReferenceEnd = "<!-- END generated key reference -->";

/// The Markdown table (header, separator, one line per key, each ending in '\n').
std::string config_key_reference();

}  // namespace devops_monitor
