#include "scan/matcher.hpp"

#include <algorithm>
#include <bit>
#include <cstring>

static_assert(std::endian::native == std::endian::little,
              "Matcher::quick_match reads words little-endian");

#include "scan/placeholder.hpp"
#include "util/ascii.hpp"

namespace devops_monitor::scan {
namespace {

bool is_key_alnum(char c) {
  return ascii::is_alpha(c) || ascii::is_digit(c);
}

bool is_base64(char c) {
  return is_key_alnum(c) || c == '+' || c == '/' || c == '=';
}

unsigned pair_at(std::string_view text, std::size_t at) {
  return static_cast<unsigned char>(text[at]) |
         (static_cast<unsigned>(static_cast<unsigned char>(text[at + 1])) << 8);
}

constexpr std::size_t kPemBodySample = 64;   // base64 characters judged for a real body
constexpr std::size_t kPemMinBody = 40;      // fewer: a header quoted in code or docs
constexpr std::size_t kPemMaxBlock = 16384;  // the most of a block read (RSA 4096 is ~3.3 KB)

struct PemBlock {
  std::string_view sample;  // the first base64 characters of the body, joined
  std::size_t end = 0;      // after the END line, or after the sample
};

bool is_pem_blank(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/// The body after a private key header: lines made only of base64 characters, perhaps after
/// "Proc-Type: 4,ENCRYPTED" style header lines, up to "-----END". Lines may be broken by real
/// newlines or by the two characters \n (a key inside a JSON string, as in a Google service
/// account file). Anything else ends the body: a header quoted in code is followed by code.
PemBlock pem_body(std::string_view text, std::size_t from, std::string& sample) {
  sample.clear();
  const std::size_t limit = std::min(text.size(), from + kPemMaxBlock);
  std::size_t i = from;
  bool body_seen = false;
  while (i < limit) {
    if (is_pem_blank(text[i])) {
      ++i;
      continue;
    }
    if (text[i] == '\\' && i + 1 < limit && (text[i + 1] == 'n' || text[i + 1] == 'r')) {
      i += 2;
      continue;
    }
    if (text[i] == '\\' || text.compare(i, 5, "-----") == 0) break;
    std::size_t end = i;
    while (end < limit && text[end] != '\n' && text[end] != '\r' && text[end] != '\\') ++end;
    const std::string_view line = text.substr(i, end - i);
    if (std::all_of(line.begin(), line.end(), is_base64)) {
      body_seen = true;
      if (sample.size() < kPemBodySample) {
        sample.append(line.substr(0, kPemBodySample - sample.size()));
      }
    } else if (body_seen || line.find(':') == std::string_view::npos) {
      break;  // neither body nor a "Proc-Type:" header line before it
    }
    i = end;
  }
  // The block ends with its END line when the body runs into one, else where the body ends:
  // nothing is searched for, so a file of headers or of bodies stays linear.
  std::size_t end = i;
  if (sample.size() >= kPemMinBody && text.compare(i, 8, "-----END") == 0) {
    const std::size_t dashes = text.substr(0, limit).find("-----", i + 8);
    end = dashes == std::string_view::npos ? i + 8 : dashes + 5;
  }
  return {sample, end};
}

bool line_has_allow_marker(std::string_view text, std::size_t at) {
  const std::size_t newline_before = text.rfind('\n', at);
  const std::size_t start = newline_before == std::string_view::npos ? 0 : newline_before + 1;
  const std::size_t newline_after = text.find('\n', at);
  const std::size_t end = newline_after == std::string_view::npos ? text.size() : newline_after;
  return text.substr(start, end - start).find(kAllowMarker) != std::string_view::npos;
}

}  // namespace

Matcher::Matcher(std::vector<Rule> rules) : rules_(std::move(rules)), pair_group_(65536, 0) {
  for (std::size_t r = 0; r < rules_.size(); ++r) {
    const unsigned pair = pair_at(rules_[r].prefix, 0);  // prefixes have 3 characters or more
    pair_bits_[pair >> 6] |= std::uint64_t{1} << (pair & 63);
    const unsigned next = pair_at(rules_[r].prefix, 1);
    next_pair_bits_[next >> 6] |= std::uint64_t{1} << (next & 63);
    if (pair_group_[pair] == 0) {
      groups_.emplace_back();
      pair_group_[pair] = static_cast<std::uint16_t>(groups_.size());
    }
    Quick quick;
    const std::string& prefix = rules_[r].prefix;
    for (std::size_t i = 0; i < std::min<std::size_t>(prefix.size(), 8); ++i) {
      quick.value |= std::uint64_t{static_cast<unsigned char>(prefix[i])} << (8 * i);
      quick.mask |= std::uint64_t{0xff} << (8 * i);
    }
    Group& group = groups_[pair_group_[pair] - 1];
    group.rules.push_back(r);  // rules_ is sorted longest prefix first
    group.quick.push_back(quick);
  }
}

[[gnu::always_inline]] inline bool Matcher::quick_match(const Group& group, std::string_view text,
                                                        std::size_t at) const {
  std::uint64_t word = 0;
  const std::size_t available = std::min<std::size_t>(8, text.size() - at);
  if (available == 8) {
    std::memcpy(&word, text.data() + at, 8);  // x86-64 and aarch64 Linux: little-endian
  } else {
    for (std::size_t i = 0; i < available; ++i) {
      word |= std::uint64_t{static_cast<unsigned char>(text[at + i])} << (8 * i);
    }
  }
  for (const Quick& quick : group.quick) {
    if ((word & quick.mask) == quick.value) return true;
  }
  return false;
}

/// Tries position `at`; returns where the search goes on (after a match, else at + 1).
[[gnu::always_inline]] inline std::size_t Matcher::step(std::string_view text, std::size_t at,
                                                        std::vector<SecretMatch>& out) const {
  const unsigned pair = pair_at(text, at);
  if (((pair_bits_[pair >> 6] >> (pair & 63)) & 1u) == 0) return at + 1;
  if (!quick_match(groups_[pair_group_[pair] - 1], text, at)) return at + 1;
  const std::size_t end = try_at(text, at, out);
  return end > at ? end : at + 1;
}

// Eight positions per round, without a branch per byte: one 8-byte load gives their pairs,
// a position passes when its pair starts some prefix AND the next pair continues one (so
// "task", "high" and "ASCII" stop here, "sk-", "ghp" and "ASI" go on), the eight results are
// OR-ed and branched on once. Only a round with a hit goes position by position. (A SIMD
// filter on the prefixes' first bytes was tried and was slower on source text, where about
// one byte in six starts some prefix.)
std::vector<SecretMatch> Matcher::find(std::string_view text) const {
  std::vector<SecretMatch> out;
  if (text.size() < 2) return out;
  const std::size_t last = text.size() - 1;  // a candidate needs its pair's second byte
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  auto bit = [](const std::array<std::uint64_t, 1024>& bits, unsigned pair) {
    return bits[pair >> 6] >> (pair & 63);
  };
  std::size_t i = 0;
  while (i + 10 <= text.size()) {
    std::uint64_t word = 0;
    std::memcpy(&word, bytes + i, 8);
    const unsigned tail = bytes[i + 8] | (static_cast<unsigned>(bytes[i + 9]) << 8);
    std::uint64_t any = 0;
#pragma GCC unroll 8
    for (unsigned k = 0; k < 8; ++k) {
      const auto first = static_cast<unsigned>(k < 7 ? (word >> (8 * k)) & 0xffff
                                                     : (word >> 56) | ((tail & 0xff) << 8));
      const auto second =
          static_cast<unsigned>(k < 6 ? (word >> (8 * (k + 1))) & 0xffff
                                      : (k == 6 ? (word >> 56) | ((tail & 0xff) << 8) : tail));
      any |= bit(pair_bits_, first) & bit(next_pair_bits_, second);
    }
    if ((any & 1u) == 0) {
      i += 8;
      continue;
    }
    const std::size_t stop = i + 8;
    while (i < stop) i = step(text, i, out);  // may end past stop, after a match
  }
  while (i < last) i = step(text, i, out);
  return out;
}

std::size_t Matcher::try_at(std::string_view text, std::size_t at,
                            std::vector<SecretMatch>& out) const {
  const Group& group = groups_[pair_group_[pair_at(text, at)] - 1];
  std::string pem_sample;
  for (const std::size_t r : group.rules) {
    const Rule& rule = rules_[r];
    if (text.compare(at, rule.prefix.size(), rule.prefix) != 0) continue;
    // "task-..." is not a key starting "sk-": a key starts a word.
    if (at > 0 && is_key_alnum(rule.prefix[0]) && is_key_alnum(text[at - 1])) continue;
    const char* first = text.data() + at;
    const char* window_end = text.data() + std::min(text.size(), at + kMatchWindow);
    std::cmatch match;
    if (!std::regex_search(first, window_end, match, rule.pattern,
                           std::regex_constants::match_continuous)) {
      continue;
    }
    const std::size_t length = static_cast<std::size_t>(match.length(0));
    const std::size_t end = at + length;
    // ...and ends one: "AKIA" + 16 followed by more letters is some other, longer word.
    if (end < text.size() && is_key_alnum(text[end])) continue;
    std::string_view key = text.substr(at, length);
    std::string_view body = key.substr(rule.prefix.size());
    std::size_t skip_to = end;
    if (rule.pem_block) {
      const PemBlock block = pem_body(text, end, pem_sample);
      if (block.sample.size() < kPemMinBody) return end;  // only a header: code or docs
      body = block.sample;
      key = text.substr(at, block.end - at);
      skip_to = block.end;
    }
    if (looks_like_placeholder(rule.pem_block ? body : key, body)) return skip_to;
    if (line_has_allow_marker(text, at)) return skip_to;
    out.push_back({.offset = at, .length = length, .rule = r, .key = key});
    return skip_to;
  }
  return at;
}

}  // namespace devops_monitor::scan
