// The scanner on arbitrary bytes (a file's contents): it never crashes, and every finding is
// text of the input: its line and column point at the rule's literal prefix, the shown part
// is the input's own bytes there, and the output never holds a whole key. One custom pattern
// rides along, so std::regex verification of config patterns is fuzzed too.
#include <nlohmann/json.hpp>

#include "devops_monitor/scan.hpp"
#include "fuzz_support.hpp"
#include "scan/findings.hpp"

using namespace devops_monitor;

namespace {

const scan::Matcher& fuzz_matcher() {
  static const scan::Matcher matcher = [] {
    std::vector<Provider> providers = builtin_providers();
    providers.push_back({.id = "acme",
                         .name = "Acme",
                         .key_patterns = {{"acme-key", "acme_(live|test)_[a-z0-9]{8,40}"}}});
    Result<std::vector<scan::Rule>> rules = scan::compile_rules(providers);
    FUZZ_CHECK(rules.ok(), rules.ok() ? "" : rules.error().message());
    return scan::Matcher(std::move(*rules));
  }();
  return matcher;
}

/// The byte offset of 1-based line and column in `text`.
std::size_t offset_of(std::string_view text, std::size_t line, std::size_t column) {
  std::size_t offset = 0;
  for (std::size_t l = 1; l < line; ++l) {
    const std::size_t newline = text.find('\n', offset);
    FUZZ_CHECK(newline != std::string_view::npos, "line past the end");
    offset = newline + 1;
  }
  return offset + column - 1;
}

}  // namespace

FUZZ_TARGET(scan) {
  const std::string_view text = fuzz::as_text(data, size);
  const scan::Matcher& matcher = fuzz_matcher();
  for (const scan::SecretMatch& match : matcher.find(text)) {
    FUZZ_CHECK(match.offset + match.length <= text.size(), "match past the end");
    FUZZ_CHECK(match.key.data() >= text.data() &&
                   match.key.data() + match.key.size() <= text.data() + text.size(),
               "key not inside the input");
    const scan::Rule& rule = matcher.rules()[match.rule];
    FUZZ_CHECK(text.substr(match.offset).starts_with(rule.prefix), "no prefix at the match");
  }
  std::vector<scan::FoundKey> keys;
  ScanResult result;
  result.findings = scan::findings_in(matcher, "fuzz", text, &keys);
  for (const ScanFinding& finding : result.findings) {
    FUZZ_CHECK(finding.line >= 1 && finding.column >= 1, finding.redacted);
    const std::size_t at = offset_of(text, finding.line, finding.column);
    FUZZ_CHECK(finding.redacted.ends_with("…"), finding.redacted);
    const std::string shown = finding.redacted.substr(0, finding.redacted.size() - 3);
    FUZZ_CHECK(text.substr(at).starts_with(shown), "shown text is not the input's: " + shown);
  }
  const std::string outputs[] = {render_scan_text(result), render_scan_json(result),
                                 render_scan_sarif(result, {})};
  for (const scan::FoundKey& found : keys) {
    const std::string& key = found.key.key;
    if (key.size() <= 12) continue;  // a short custom key could be shown whole as prefix + 4
    for (const std::string& out : outputs) {
      FUZZ_CHECK(out.find(key) == std::string::npos, "a found key in the output");
    }
  }
  return 0;
}
