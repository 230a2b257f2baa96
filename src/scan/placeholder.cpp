#include "scan/placeholder.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <string>

#include "util/sha256.hpp"

namespace devops_monitor::scan {
namespace {

// Words that mark documentation, not keys. Each is looked for in lower case, Capitalized and
// UPPER case only: a random mixed-case key contains "yOuR" far more often than "your".
constexpr std::array<std::string_view, 13> kPlaceholderWords{
    "example",  "placeholder", "dummy",   "sample", "your",   "fake",  "redacted",
    "changeme", "insert",      "replace", "xxxx",   "foobar", "secret"};

// Vendors' documented example keys, never findings whatever the rules above say (AWS's also
// carry EXAMPLE). An entry cites its documentation page in docs/secret-formats.md.
constexpr std::array<std::string_view, 2> kDocumentedExamples{"AKIAIOSFODNN7EXAMPLE",
                                                              "AKIAI44QH8DHBEXAMPLE"};

// The two test-mode keys Stripe's API reference prints in every code sample (so they fill
// tutorials and sample projects), by the SHA-256 of the whole key: they authenticate against
// Stripe's demo account, and history scanners that verify keys would report this file if it
// held them.
constexpr std::size_t kStripeExampleLength = 32;
constexpr std::array<std::string_view, 2> kStripeExampleDigests{
    "2cafc0970149a84f3b9e62eaf169f36f59907a3b3e31f7b82e68c69cd27f7326",
    "f2d6ca16515033e5dce14eba840b979d27b5cbae24bb3e5bf484339667f86397"};

bool is_documented_example(std::string_view key) {
  for (const std::string_view example : kDocumentedExamples) {
    if (key == example) return true;
  }
  return matches_stripe_example(key, kStripeExampleDigests);
}

constexpr std::size_t kMaxRun = 7;

// "openssh-key-v1\0" in base64: how every OpenSSH private key's body starts. A fixed header
// follows (cipher, kdf, key count, key type: "...bm9uZQAAAAAAAAABAAAA..." for an unencrypted
// key), so the first 64 characters the matcher samples hold nothing random and the filler
// rule would call every real key a placeholder. The magic itself is the proof of a real key.
constexpr std::string_view kOpenSshKeyMagic = "b3BlbnNzaC1rZXktdjE";

std::string capitalized(std::string_view word) {
  std::string out(word);
  out[0] = static_cast<char>(out[0] - 'a' + 'A');
  return out;
}

std::string upper(std::string_view word) {
  std::string out(word);
  for (char& c : out) c = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
  return out;
}

bool has_placeholder_word(std::string_view key) {
  for (const std::string_view word : kPlaceholderWords) {
    if (key.find(word) != std::string_view::npos ||
        key.find(capitalized(word)) != std::string_view::npos ||
        key.find(upper(word)) != std::string_view::npos) {
      return true;
    }
  }
  return false;
}

/// Seven equal characters in a row, or seven that count up or down by one.
bool has_filler_run(std::string_view body) {
  std::size_t same = 1;
  std::size_t up = 1;
  std::size_t down = 1;
  for (std::size_t i = 1; i < body.size(); ++i) {
    const int step = static_cast<unsigned char>(body[i]) - static_cast<unsigned char>(body[i - 1]);
    same = step == 0 ? same + 1 : 1;
    up = step == 1 ? up + 1 : 1;
    down = step == -1 ? down + 1 : 1;
    if (same >= kMaxRun || up >= kMaxRun || down >= kMaxRun) return true;
  }
  return false;
}

}  // namespace

bool matches_stripe_example(std::string_view key, std::span<const std::string_view> digests) {
  if (key.size() != kStripeExampleLength || !key.starts_with("sk_test_")) return false;
  const std::string digest = sha256_hex_prefix(key, 32);
  return std::find(digests.begin(), digests.end(), digest) != digests.end();
}

std::span<const std::string_view> stripe_example_digests() {
  return kStripeExampleDigests;
}

double shannon_entropy(std::string_view text) {
  if (text.empty()) return 0.0;
  std::array<std::size_t, 256> counts{};
  for (const char c : text) ++counts[static_cast<unsigned char>(c)];
  const double n = static_cast<double>(text.size());
  double bits = 0.0;
  for (const std::size_t count : counts) {
    if (count == 0) continue;
    const double p = static_cast<double>(count) / n;
    bits -= p * std::log2(p);
  }
  return bits;
}

bool looks_like_placeholder(std::string_view key, std::string_view body) {
  if (is_documented_example(key)) return true;
  if (body.starts_with(kOpenSshKeyMagic)) return has_placeholder_word(body);
  return has_placeholder_word(key) || has_filler_run(body) ||
         shannon_entropy(body) < kMinKeyEntropy;
}

}  // namespace devops_monitor::scan
