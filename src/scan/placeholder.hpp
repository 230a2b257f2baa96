// Telling a key from a placeholder that has its shape: "sk-proj-xxxx...", "AKIA...EXAMPLE",
// fillers like "0123456789abcdef...". The rules and their threshold are explained in
// docs/secret-formats.md ("Placeholders").
#pragma once

#include <string_view>

namespace devops_monitor::scan {

/// Below this many bits per character the random part of a key is a filler: random keys of
/// every built-in shape stay far above it (16 base32 characters of an AWS key id: 2.5 is
/// below the lowest of 100,000 random ones; longer bodies are higher still).
inline constexpr double kMinKeyEntropy = 2.5;

/// Shannon entropy of `text` in bits per character (over bytes).
double shannon_entropy(std::string_view text);

/// True when `key` (whole match) with random part `body` (after the literal prefix) is a
/// placeholder: a word like EXAMPLE/example/Example, placeholder, dummy, sample, your, fake,
/// redacted, changeme; a vendor's documented example key; a run of 7 equal characters or 7
/// consecutive ones ("1234567", "abcdefg"); or a body with less than kMinKeyEntropy bits per
/// character. A body that starts with OpenSSH's private key magic is judged by its words only:
/// its first characters are the format's fixed header, not random.
bool looks_like_placeholder(std::string_view key, std::string_view body);

}  // namespace devops_monitor::scan
