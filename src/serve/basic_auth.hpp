// HTTP basic auth against bcrypt hashes (node_exporter's basic_auth_users), in about the same
// time whether the user or the password is wrong, and without paying bcrypt on every scrape.
#pragma once

#include <cstddef>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>

namespace devops_monitor::serve {

/// The user and password of an `Authorization: Basic <base64>` header value; nullopt when it is
/// not one (other scheme, bad base64, no ':').
std::optional<std::pair<std::string, std::string>> parse_basic_authorization(
    std::string_view header);

/// Base64 (RFC 4648, padded) decoding; nullopt on any character or length outside it.
std::optional<std::string> decode_base64(std::string_view text);

/// Equal strings, in a time that depends on their lengths only.
bool constant_time_equal(std::string_view a, std::string_view b);

class BasicAuth {
 public:
  /// `users`: user -> bcrypt hash, as checked by parse_web_config (cost 10 or more, the same for
  /// all). Makes one bcrypt hash (of the highest cost among the users') for unknown users to be
  /// checked against, so that every failed login costs one bcrypt of the same cost.
  explicit BasicAuth(std::map<std::string, std::string> users);

  /// Whether the Authorization header value (empty when absent) names a user and the right
  /// password (at most 72 bytes, no NUL: bcrypt would check only a prefix). Thread-safe. Costs
  /// a bcrypt unless `quick_check` says allowed or refused.
  [[nodiscard]] bool allows(std::string_view authorization);

  enum class Quick { allowed, refused, needs_bcrypt };
  /// What can be told without a bcrypt, at once: allowed (these credentials passed allows()
  /// before and are remembered), refused (not Basic credentials at all), or needs_bcrypt
  /// (allows() decides). Thread-safe; never waits for a bcrypt in progress.
  [[nodiscard]] Quick quick_check(std::string_view authorization);

  /// Successful checks remembered (bounded; failures are never remembered).
  static constexpr std::size_t kCacheEntries = 64;
  /// bcrypt reads no further: a longer password never matches.
  static constexpr std::size_t kMaxPasswordBytes = 72;

 private:
  [[nodiscard]] static bool bcrypt_matches(const std::string& password, const std::string& hash);
  /// The key of verified_ for a user's password and hash (a SHA-256 prefix, never the password).
  [[nodiscard]] static std::string digest_of(const std::string& user, const std::string& password,
                                             const std::string& hash);
  [[nodiscard]] bool remembered(const std::string& digest);
  /// The user's hash, or the dummy hash (of the same cost) for a user not in the file.
  [[nodiscard]] const std::string& hash_to_check(const std::string& user) const;

  std::map<std::string, std::string> users_;
  std::string dummy_hash_;
  std::mutex bcrypt_mutex_;                   // one bcrypt at a time
  std::mutex mutex_;                          // verified_
  std::unordered_set<std::string> verified_;  // SHA-256 of user NUL password NUL hash
};

}  // namespace devops_monitor::serve
