// Finding keys in a buffer: a prefilter on the rules' literal prefixes (PrefixSet), then each
// rule's pattern on a bounded window, then the boundary, placeholder and allow-marker rules. Pure:
// bytes in, positions out.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "scan/prefix_set.hpp"
#include "scan/rules.hpp"

namespace devops_monitor::scan {

/// Where a line says its keys are known and fine (a test value, a revoked key kept on purpose).
inline constexpr std::string_view kAllowMarker = "devops-monitor:allow";
/// A pattern is verified on at most this many bytes from its prefix: no built-in key is longer
/// than about 260 characters, and std::regex's cost stays bounded on any input.
inline constexpr std::size_t kMatchWindow = 320;

struct SecretMatch {
  std::size_t offset = 0;  // of the match in the buffer
  std::size_t length = 0;  // of the match (a private key: its header line)
  std::size_t rule = 0;    // index into Matcher::rules()
  std::string_view key;    // what identifies the key (a private key: the whole block)
};

class Matcher {
 public:
  explicit Matcher(std::vector<Rule> rules, PrefixSearch search = PrefixSearch::vectorscan);

  /// Every key in `text`, in order; placeholders and lines with the allow marker left out.
  [[nodiscard]] std::vector<SecretMatch> find(std::string_view text) const;
  [[nodiscard]] const std::vector<Rule>& rules() const { return rules_; }
  [[nodiscard]] const PrefixSet& prefixes() const { return prefixes_; }

 private:
  /// Tries the rules whose prefix starts with the pair at `at`; returns the end of a match
  /// (found or a placeholder, to skip past it) or `at` when none matched.
  std::size_t try_at(std::string_view text, std::size_t at, std::vector<SecretMatch>& out) const;

  std::vector<Rule> rules_;
  PrefixSet prefixes_;
  std::vector<std::uint16_t> pair_group_;         // first two bytes -> index + 1 into groups_
  std::vector<std::vector<std::size_t>> groups_;  // indexes into rules_, longest prefix first
};

}  // namespace devops_monitor::scan
