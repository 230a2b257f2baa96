#include "scan/findings.hpp"

#include <algorithm>

#include "devops_monitor/text.hpp"
#include "util/redact.hpp"

namespace devops_monitor::scan {
namespace {

std::string redacted(const Rule& rule, std::string_view match) {
  const std::size_t shown = std::min(match.size(), rule.prefix.size() + kShownAfterPrefix);
  // A private key's header line holds no key material; its body is never shown.
  const std::string_view visible = rule.pem_block ? match : match.substr(0, shown);
  return printable(visible) + "…";
}

}  // namespace

std::vector<ScanFinding> findings_in(const Matcher& matcher, const std::string& display,
                                     std::string_view text, std::vector<FoundKey>* keys) {
  std::vector<ScanFinding> findings;
  std::size_t line = 1;
  std::size_t line_start = 0;
  std::size_t counted_to = 0;
  for (const SecretMatch& match : matcher.find(text)) {
    // Lines are counted only up to each match: most files have none.
    for (std::size_t i = counted_to; i < match.offset; ++i) {
      if (text[i] == '\n') {
        ++line;
        line_start = i + 1;
      }
    }
    counted_to = match.offset;
    const Rule& rule = matcher.rules()[match.rule];
    ScanFinding finding{.file = display,
                        .line = line,
                        .column = match.offset - line_start + 1,
                        .kind = rule.kind,
                        .provider = rule.name,
                        .rule = rule.id,
                        .redacted = redacted(rule, text.substr(match.offset, match.length)),
                        .fingerprint = key_fingerprint(match.key)};
    if (keys != nullptr && rule.provider_key) {
      keys->push_back({finding.fingerprint, {rule.kind, std::string(match.key), rule.id}});
    }
    findings.push_back(std::move(finding));
  }
  return findings;
}

}  // namespace devops_monitor::scan
