// A guard in front of toml++ for the one input it does not refuse cleanly.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace devops_monitor {

/// A line that starts a table header whose name begins with a character no key can begin
/// with ("[:x]", "[[=", "[[[a]]]").
struct UnsafeTableHeader {
  std::size_t line_start = 0;  // byte offset of the line
  std::size_t line = 0;        // 1-based
  std::size_t column = 0;      // 1-based, in bytes, of the offending character
};

/// The first line that toml++ 3.3 (Debian 12) would parse as such a table header. It checks
/// that a header name starts with a key character only with an assertion: abort() in debug
/// builds, __builtin_assume (undefined behaviour) in optimised clang builds; fixed upstream in
/// marzer/tomlplusplus#301. Found by fuzz/config_fuzz.cpp. Lines inside multi-line values are
/// reported too; the caller tells them apart by parsing what comes before (see config_file.cpp).
std::optional<UnsafeTableHeader> find_unsafe_table_header(std::string_view toml_text);

}  // namespace devops_monitor
