#include "scan/matcher.hpp"

#include <algorithm>

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

namespace {

std::vector<std::string> prefixes_of(const std::vector<Rule>& rules) {
  std::vector<std::string> prefixes;
  for (const Rule& rule : rules) prefixes.push_back(rule.prefix);
  return prefixes;
}

}  // namespace

Matcher::Matcher(std::vector<Rule> rules, PrefixSearch search)
    : rules_(std::move(rules)), prefixes_(prefixes_of(rules_), search), pair_group_(65536, 0) {
  for (std::size_t r = 0; r < rules_.size(); ++r) {
    const unsigned pair = pair_at(rules_[r].prefix, 0);  // prefixes have 3 characters or more
    if (pair_group_[pair] == 0) {
      groups_.emplace_back();
      pair_group_[pair] = static_cast<std::uint16_t>(groups_.size());
    }
    groups_[pair_group_[pair] - 1].push_back(r);  // rules_ is sorted longest prefix first
  }
}

// Only where some rule's whole prefix starts is a rule tried; after a match (or a placeholder)
// the search goes on behind it, so nothing inside a key is taken for another.
std::vector<SecretMatch> Matcher::find(std::string_view text) const {
  std::vector<SecretMatch> out;
  prefixes_.for_each_start(text, [&](std::size_t at) {
    const std::size_t end = try_at(text, at, out);
    return end > at ? end : at + 1;
  });
  return out;
}

std::size_t Matcher::try_at(std::string_view text, std::size_t at,
                            std::vector<SecretMatch>& out) const {
  if (at + 1 >= text.size()) return at;  // every prefix has 3 characters or more
  const std::uint16_t group = pair_group_[pair_at(text, at)];
  if (group == 0) return at;
  std::string pem_sample;
  for (const std::size_t r : groups_[group - 1]) {
    const Rule& rule = rules_[r];
    if (text.compare(at, rule.prefix.size(), rule.prefix) != 0) continue;
    // "task-..." is not a key starting "sk-": a key starts a word.
    if (at > 0 && is_key_alnum(rule.prefix[0]) && is_key_alnum(text[at - 1])) continue;
    const char* first = text.data() + at;
    const char* window_end = text.data() + std::min(text.size(), at + kMatchWindow);
    std::cmatch match;
    if (!std::regex_search(first, window_end, match, rule.pattern.get(),
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
