#include "util/redact.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <string_view>
#include <unordered_set>

namespace devops_monitor {
namespace {

constexpr std::string_view kRedacted = "[REDACTED]";
// Pieces this long are specific enough to belong to the key; shorter ones would also hit
// ordinary words.
constexpr std::size_t kPieceLength = 6;
constexpr std::size_t kMinSecretLength = 4;

bool is_word_char(char c) {
  const auto u = static_cast<unsigned char>(c);
  return (u >= '0' && u <= '9') || (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || c == '-' ||
         c == '_' || c == '.' || c == '*' || c == '+' || c == '~' || u >= 0x80;
}

std::string replace_all(std::string_view text, std::string_view needle) {
  std::string out;
  std::size_t pos = 0;
  while (true) {
    const std::size_t hit = text.find(needle, pos);
    if (hit == std::string_view::npos) break;
    out.append(text.substr(pos, hit - pos)).append(kRedacted);
    pos = hit + needle.size();
  }
  out.append(text.substr(pos));
  return out;
}

bool looks_masked(std::string_view word) {
  return word.find("***") != std::string_view::npos;
}

}  // namespace

std::string redact_secret(std::string_view text, std::string_view secret) {
  // A "key" of a few characters is a typo, not a secret; hunting for it would shred
  // ordinary words ("x" is in "next").
  if (secret.size() < kMinSecretLength) return std::string(text);
  // The whole key first: it may contain characters that split words.
  std::string whole = replace_all(text, secret);
  if (secret.size() < 2 * kPieceLength) return whole;  // too short for telling pieces apart

  const std::size_t n = kPieceLength;
  std::unordered_set<std::string_view> pieces;
  for (std::size_t i = 0; i + n <= secret.size(); ++i) pieces.insert(secret.substr(i, n));

  std::string out;
  out.reserve(whole.size());
  std::string_view rest = whole;
  while (!rest.empty()) {
    if (!is_word_char(rest.front())) {
      out.push_back(rest.front());
      rest.remove_prefix(1);
      continue;
    }
    const auto end = std::find_if_not(rest.begin(), rest.end(), is_word_char);
    const std::string_view word = rest.substr(0, static_cast<std::size_t>(end - rest.begin()));
    bool leaks = looks_masked(word);
    for (std::size_t i = 0; !leaks && i + n <= word.size(); ++i) {
      leaks = pieces.count(word.substr(i, n)) > 0;
    }
    out.append(leaks ? kRedacted : word);
    rest.remove_prefix(word.size());
  }
  return out;
}

std::string redact_secrets(std::string_view text, const std::vector<std::string>& secrets) {
  std::string out(text);
  for (const std::string& secret : secrets) out = redact_secret(out, secret);
  return out;
}

std::string key_fingerprint(std::string_view key) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  EVP_Digest(key.data(), key.size(), digest.data(), &length, EVP_sha256(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (std::size_t i = 0; i < 4; ++i) {
    hex.push_back(kHex[digest[i] >> 4]);
    hex.push_back(kHex[digest[i] & 0x0f]);
  }
  return hex;
}

}  // namespace devops_monitor
