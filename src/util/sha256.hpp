// SHA-256 as hex, for fingerprints and change signatures: short, stable, and never
// reversible into what was hashed.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace devops_monitor {

/// The first `bytes` bytes (at most 32) of SHA-256(text), as 2 * bytes lowercase hex digits.
std::string sha256_hex_prefix(std::string_view text, std::size_t bytes);

}  // namespace devops_monitor
