// Basic auth for serve: libxcrypt's bcrypt, a constant-time comparison, a dummy hash for
// unknown users, and a small cache of successful checks so that a scrape costs a SHA-256, not
// a bcrypt (Prometheus sends the same credentials every scrape).
#include "serve/basic_auth.hpp"

#include <crypt.h>

#include <algorithm>
#include <memory>

#include "util/sha256.hpp"

namespace devops_monitor::serve {

namespace {

int base64_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

// The cost of a bcrypt hash "$2b$10$...", as crypt_gensalt takes it.
unsigned long bcrypt_cost(const std::string& hash) {
  if (hash.size() < 7) return 10;
  return static_cast<unsigned long>((hash[4] - '0') * 10 + (hash[5] - '0'));
}

}  // namespace

std::optional<std::string> decode_base64(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  std::string out;
  out.reserve(text.size() / 4 * 3);
  for (std::size_t i = 0; i < text.size(); i += 4) {
    const bool last = i + 4 == text.size();
    int values[4];
    int padding = 0;
    for (int j = 0; j < 4; ++j) {
      const char c = text[i + static_cast<std::size_t>(j)];
      if (c == '=' && last && j >= 2) {
        values[j] = 0;
        ++padding;
        continue;
      }
      if (padding > 0) return std::nullopt;  // data after '='
      values[j] = base64_value(c);
      if (values[j] < 0) return std::nullopt;
    }
    const unsigned bits =
        (static_cast<unsigned>(values[0]) << 18) | (static_cast<unsigned>(values[1]) << 12) |
        (static_cast<unsigned>(values[2]) << 6) | static_cast<unsigned>(values[3]);
    out.push_back(static_cast<char>((bits >> 16) & 0xff));
    if (padding < 2) out.push_back(static_cast<char>((bits >> 8) & 0xff));
    if (padding < 1) out.push_back(static_cast<char>(bits & 0xff));
  }
  return out;
}

std::optional<std::pair<std::string, std::string>> parse_basic_authorization(
    std::string_view header) {
  constexpr std::string_view kScheme = "basic ";
  if (header.size() < kScheme.size() || header.size() > 4096) return std::nullopt;
  for (std::size_t i = 0; i < kScheme.size(); ++i) {
    const char c = header[i];
    if ((c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c) != kScheme[i])
      return std::nullopt;
  }
  std::string_view encoded = header.substr(kScheme.size());
  while (!encoded.empty() && encoded.front() == ' ') encoded.remove_prefix(1);
  while (!encoded.empty() && encoded.back() == ' ') encoded.remove_suffix(1);
  std::optional<std::string> decoded = decode_base64(encoded);
  if (!decoded) return std::nullopt;
  const std::size_t colon = decoded->find(':');
  if (colon == std::string::npos) return std::nullopt;
  return std::make_pair(decoded->substr(0, colon), decoded->substr(colon + 1));
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  unsigned char difference = a.size() == b.size() ? 0 : 1;
  const std::size_t n = std::min(a.size(), b.size());
  for (std::size_t i = 0; i < n; ++i) {
    difference |= static_cast<unsigned char>(a[i] ^ b[i]);
  }
  return difference == 0;
}

BasicAuth::BasicAuth(std::map<std::string, std::string> users) : users_(std::move(users)) {
  unsigned long cost = 4;
  for (const auto& [user, hash] : users_) cost = std::max(cost, bcrypt_cost(hash));
  char salt[CRYPT_GENSALT_OUTPUT_SIZE];
  if (crypt_gensalt_rn("$2b$", cost, nullptr, 0, salt, sizeof salt) != nullptr) {
    auto data = std::make_unique<crypt_data>();
    const char* hash = crypt_rn("not a password of anyone", salt, data.get(), sizeof *data);
    if (hash != nullptr && hash[0] == '$') dummy_hash_ = hash;
  }
}

bool BasicAuth::bcrypt_matches(const std::string& password, const std::string& hash) {
  // crypt_data is 32 KiB: on the heap, not on a server thread's stack.
  auto data = std::make_unique<crypt_data>();
  const char* computed = crypt_rn(password.c_str(), hash.c_str(), data.get(), sizeof *data);
  // crypt_rn answers NULL (or a "*" failure token) for a hash it cannot use: never a match.
  if (computed == nullptr || computed[0] != '$') return false;
  return constant_time_equal(computed, hash);
}

std::string BasicAuth::digest_of(const std::string& user, const std::string& password,
                                 const std::string& hash) {
  std::string key = user;
  key.push_back('\0');
  key += password;
  key.push_back('\0');
  key += hash;
  std::string digest = sha256_hex_prefix(key, 32);
  std::fill(key.begin(), key.end(), '\0');
  return digest;
}

bool BasicAuth::remembered(const std::string& digest) {
  const std::lock_guard<std::mutex> lock(mutex_);
  return verified_.count(digest) != 0;
}

const std::string& BasicAuth::hash_to_check(const std::string& user) const {
  const auto found = users_.find(user);
  return found != users_.end() ? found->second : dummy_hash_;
}

BasicAuth::Quick BasicAuth::quick_check(std::string_view authorization) {
  const auto credentials = parse_basic_authorization(authorization);
  if (!credentials) return Quick::refused;
  const auto& [user, password] = *credentials;
  // The same SHA-256 for every user, known or not; only successes are ever remembered.
  if (remembered(digest_of(user, password, hash_to_check(user)))) return Quick::allowed;
  return Quick::needs_bcrypt;
}

bool BasicAuth::allows(std::string_view authorization) {
  const auto credentials = parse_basic_authorization(authorization);
  if (!credentials) return false;
  const auto& [user, password] = *credentials;
  const bool known = users_.count(user) != 0;
  const std::string& hash = hash_to_check(user);
  const std::string digest = digest_of(user, password, hash);
  if (remembered(digest)) return true;
  // bcrypt reads at most 72 bytes, and crypt(3) stops at a NUL: such a password would be
  // checked by a prefix of it, so it never matches.
  const bool checkable =
      known && password.size() <= kMaxPasswordBytes && password.find('\0') == std::string::npos;
  // One bcrypt at a time: the scrapes that arrive together with the same credentials (wrk -c 32,
  // a Prometheus restart) then pay one bcrypt and find the rest in the cache, and a flood of
  // wrong passwords takes one core, never all of them. Cached checks do not wait here.
  const std::lock_guard<std::mutex> one_at_a_time(bcrypt_mutex_);
  if (remembered(digest)) return true;
  // Every failure pays one bcrypt of the same cost, whoever the user is and whatever is wrong:
  // an unknown user is checked against the dummy hash, a password too long against the user's.
  const bool matches = bcrypt_matches(password, hash);
  if (!checkable || !matches) return false;
  const std::lock_guard<std::mutex> lock(mutex_);
  // Bounded: when full, start over (a handful of users and passwords fit many times over).
  if (verified_.size() >= kCacheEntries) verified_.clear();
  verified_.insert(digest);
  return true;
}

}  // namespace devops_monitor::serve
