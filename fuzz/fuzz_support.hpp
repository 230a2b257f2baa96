// Shared by the fuzz targets: how a target declares itself (FUZZ_TARGET), a check that stops
// the run with a message (libFuzzer then saves the input), and an independent test of "safe
// to print" that does not reuse printable(), which is one of the things under test.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace devops_monitor::fuzz {

using TargetFunction = int (*)(const std::uint8_t* data, std::size_t size);

/// Adds a target to the one fuzzer binary (fuzz/dispatch.cpp); called by FUZZ_TARGET.
bool register_target(const char* name, TargetFunction function);

/// `FUZZ_TARGET(config) { ... }` defines the target `config`: its body sees `data` and
/// `size`, as libFuzzer's LLVMFuzzerTestOneInput would, and the binary runs it when started
/// as fuzz_config.
#define FUZZ_TARGET(name)                                                    \
  static int fuzz_target_##name(const std::uint8_t* data, std::size_t size); \
  [[maybe_unused]] static const bool fuzz_target_registered_##name =         \
      ::devops_monitor::fuzz::register_target(#name, fuzz_target_##name);    \
  static int fuzz_target_##name(const std::uint8_t* data, std::size_t size)

[[noreturn]] inline void check_failed(const char* condition, std::string_view detail) {
  std::fprintf(stderr, "fuzz check failed: %s\n  %.*s\n", condition,
               static_cast<int>(detail.size()), detail.data());
  std::abort();
}

#define FUZZ_CHECK(condition, detail)                                           \
  do {                                                                          \
    if (!(condition)) ::devops_monitor::fuzz::check_failed(#condition, detail); \
  } while (false)

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

/// Whether the UTF-8 sequence at `text` (well-formed, `length` bytes) is a character that
/// reorders or breaks a line where it is shown: a bidirectional control (U+202A to U+202E,
/// U+2066 to U+2069, U+200E, U+200F, U+061C) or a line or paragraph separator (U+2028, U+2029).
inline bool is_bidi_or_separator(std::string_view text, std::size_t length) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  if (length == 2) return byte(0) == 0xD8 && byte(1) == 0x9C;  // U+061C
  if (length != 3 || byte(0) != 0xE2) return false;
  const unsigned low = byte(2);
  if (byte(1) == 0x80) return low == 0x8E || low == 0x8F || (low >= 0xA8 && low <= 0xAE);
  return byte(1) == 0x81 && low >= 0xA6 && low <= 0xA9;  // U+2066 to U+2069
}

/// Where the first byte is that a terminal could act on: a C0 control (newline allowed on
/// request), DEL, a C1 control in UTF-8, a bidirectional control or line separator, or a byte
/// that is not part of well-formed UTF-8 (Unicode table 3-7). npos when there is none.
inline std::size_t first_unsafe_byte(std::string_view text, bool newline_allowed = false) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto b = static_cast<unsigned char>(text[i]);
    if (b < 0x80) {
      if ((b < 0x20 && !(newline_allowed && b == '\n')) || b == 0x7F) return i;
      ++i;
      continue;
    }
    std::size_t length = 0;
    unsigned char low = 0x80;
    unsigned char high = 0xBF;
    if (b >= 0xC2 && b <= 0xDF) {
      length = 2;
    } else if (b >= 0xE0 && b <= 0xEF) {
      length = 3;
      low = b == 0xE0 ? 0xA0 : 0x80;
      high = b == 0xED ? 0x9F : 0xBF;
    } else if (b >= 0xF0 && b <= 0xF4) {
      length = 4;
      low = b == 0xF0 ? 0x90 : 0x80;
      high = b == 0xF4 ? 0x8F : 0xBF;
    } else {
      return i;
    }
    if (i + length > text.size()) return i;
    for (std::size_t k = 1; k < length; ++k) {
      const auto t = static_cast<unsigned char>(text[i + k]);
      if (t < (k == 1 ? low : 0x80) || t > (k == 1 ? high : 0xBF)) return i;
    }
    if (b == 0xC2 && static_cast<unsigned char>(text[i + 1]) <= 0x9F) return i;  // C1
    if (is_bidi_or_separator(text.substr(i), length)) return i;
    i += length;
  }
  return std::string_view::npos;
}

inline bool is_printable_line(std::string_view text) {
  return first_unsafe_byte(text) == std::string_view::npos;
}

}  // namespace devops_monitor::fuzz
