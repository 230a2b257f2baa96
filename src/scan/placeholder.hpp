// Telling a key from a placeholder that has its shape: "sk-proj-xxxx...", "AKIA...EXAMPLE",
// fillers like "0123456789abcdef...". The rules and their threshold are explained in
// docs/secret-formats.md ("Placeholders").
#pragma once

#include <span>
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

/// True when `key` is a Stripe test-mode key of the documented samples' length (`sk_test_` +
/// 24) whose SHA-256 (hex) is one of `digests`. The samples are known by digest only, so no
/// file here holds a key of that shape (tests pass digests of obviously fake keys).
bool matches_stripe_example(std::string_view key, std::span<const std::string_view> digests);

/// The digests of the two test-mode keys Stripe's API reference prints in its code samples
/// (docs/secret-formats.md, Placeholders): looks_like_placeholder matches against these.
std::span<const std::string_view> stripe_example_digests();

}  // namespace devops_monitor::scan
