// The scan's outputs: pure functions of a ScanResult. Keys are not in a ScanResult, so no
// output can show one; file names are outside text (printable() for the terminal, JSON escapes).
#include <map>
#include <nlohmann/json.hpp>

#include "devops_monitor/scan.hpp"
#include "devops_monitor/text.hpp"
#include "devops_monitor/version.hpp"
#include "scan/rules.hpp"
#include "util/sha256.hpp"

namespace devops_monitor {
namespace {

using Json = nlohmann::ordered_json;

constexpr const char* kInformationUri = "https://github.com/devops-monitor/devops-monitor";
constexpr const char* kSarifSchema = "https://json.schemastore.org/sarif-2.1.0.json";

std::string dump_scan_json(const Json& doc) {
  // File names need not be UTF-8: replace what is not, rather than fail.
  return doc.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

/// RFC 3986: everything but unreserved characters and '/' percent-encoded.
std::string uri_path(const std::string& path) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char ch : path) {
    const auto c = static_cast<unsigned char>(ch);
    const bool plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                       c == '-' || c == '.' || c == '_' || c == '~' || c == '/';
    if (plain) {
      out += ch;
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

Json artifact_location(const std::string& file) {
  if (file.starts_with("/")) return {{"uri", "file://" + uri_path(file)}};
  const std::string relative = file.starts_with("./") ? file.substr(2) : file;
  return {{"uri", uri_path(relative)}, {"uriBaseId", "%SRCROOT%"}};
}

/// partialFingerprints for each finding, in order: what code scanning matches alerts by across
/// runs. Built from the rule, the file's URI and the key's fingerprint only, so a key keeps its
/// alert when lines above it move and whatever the run's time or file order; the same key in
/// two files is two alerts, a rotated key a new one. A key repeated in one file numbers its
/// occurrences in position order (":1", ":2"), as GitHub's own line hashes do.
std::vector<std::string> sarif_fingerprints(const std::vector<ScanFinding>& findings,
                                            const std::vector<std::string>& uris) {
  std::vector<std::string> values;
  std::map<std::string, std::size_t> occurrences;
  for (std::size_t i = 0; i < findings.size(); ++i) {
    const ScanFinding& finding = findings[i];
    std::string identity;
    identity.append(finding.rule).push_back('\0');
    identity.append(uris[i]).push_back('\0');
    identity.append(finding.fingerprint);
    const std::string hash = sha256_hex_prefix(identity, 16);
    values.push_back(hash + ":" + std::to_string(++occurrences[hash]));
  }
  return values;
}

struct SarifRule {
  std::string id;
  std::string name;
  std::string description;
};

/// One SARIF rule per rule id, in first-seen order (several table rows share an id).
std::vector<SarifRule> sarif_rules(const std::vector<Provider>& providers) {
  std::vector<SarifRule> rules;
  auto add = [&rules](const std::string& id, const std::string& name, const std::string& text) {
    for (const SarifRule& rule : rules) {
      if (rule.id == id) return;
    }
    rules.push_back({id, name, text});
  };
  for (const Provider& provider : providers) {
    for (const KeyPattern& shape : provider.key_patterns) {
      add(shape.rule, provider.name, provider.name + " API key");
    }
  }
  for (const scan::OtherRule& other : scan::other_rules()) {
    add(other.id, other.name, other.description);
  }
  return rules;
}

}  // namespace

std::string render_scan_text(const ScanResult& result) {
  std::string out;
  for (const ScanFinding& finding : result.findings) {
    // A history finding starts with its commit, as `git grep PATTERN REV` names a revision.
    if (!finding.commit.empty()) out += printable(finding.commit) + ":";
    out += printable(finding.file) + ":" + std::to_string(finding.line) + ":" +
           std::to_string(finding.column) + " " + printable(finding.kind) + " " +
           printable(finding.redacted) + " " + finding.fingerprint;
    if (finding.verification != Verification::not_checked) {
      out += " " + std::string(to_string(finding.verification));
    }
    out += "\n";
  }
  return out;
}

std::string render_scan_json(const ScanResult& result) {
  Json findings = Json::array();
  for (const ScanFinding& finding : result.findings) {
    Json one = {{"file", finding.file},
                {"line", finding.line},
                {"column", finding.column},
                {"kind", finding.kind},
                {"provider", finding.provider},
                {"rule", finding.rule},
                {"redacted", finding.redacted},
                {"fingerprint", finding.fingerprint},
                {"verification", std::string(to_string(finding.verification))}};
    if (!finding.commit.empty()) one["commit"] = finding.commit;
    findings.push_back(std::move(one));
  }
  const Json doc = {{"tool", "devops-monitor"},
                    {"version", kVersion},
                    {"scanned_at", result.scanned_at},
                    {"paths", result.paths},
                    {"files_scanned", result.files_scanned},
                    {"files_skipped_binary", result.files_skipped_binary},
                    {"bytes_scanned", result.bytes_scanned},
                    {"findings", std::move(findings)},
                    {"warnings", result.warnings}};
  return dump_scan_json(doc);
}

std::string render_scan_sarif(const ScanResult& result, const std::vector<Provider>& providers) {
  const std::vector<SarifRule> rules = sarif_rules(providers);
  Json rule_list = Json::array();
  for (const SarifRule& rule : rules) {
    rule_list.push_back(
        {{"id", rule.id},
         {"name", rule.id},
         {"shortDescription", {{"text", "Exposed credential: " + rule.description}}},
         {"fullDescription",
          {{"text", rule.description + " found in a file. Revoke or rotate it, then remove it "
                                       "from the file and its history."}}},
         {"help",
          {{"text",
            "Revoke or rotate the credential first: once pushed, it is exposed. "
            "Then move it to a secret store or environment variable. A value "
            "that is not a real key can be marked with devops-monitor:allow "
            "on its line."}}},
         {"defaultConfiguration", {{"level", "error"}}},
         {"properties", {{"tags", {"security", "secret"}}, {"provider", rule.name}}}});
  }
  std::vector<Json> locations;
  std::vector<std::string> uris;
  for (const ScanFinding& finding : result.findings) {
    locations.push_back(artifact_location(finding.file));
    uris.push_back(locations.back()["uri"].get<std::string>());
  }
  const std::vector<std::string> fingerprints = sarif_fingerprints(result.findings, uris);
  Json results = Json::array();
  for (std::size_t at = 0; at < result.findings.size(); ++at) {
    const ScanFinding& finding = result.findings[at];
    std::size_t index = 0;
    while (index < rules.size() && rules[index].id != finding.rule) ++index;
    Json one = {
        {"ruleId", finding.rule},
        {"level", "error"},
        {"message",
         {{"text", finding.provider + " credential exposed: " + finding.redacted +
                       " (fingerprint " + finding.fingerprint + ")"}}},
        {"locations",
         {{{"physicalLocation",
            {{"artifactLocation", std::move(locations[at])},
             {"region", {{"startLine", finding.line}, {"startColumn", finding.column}}}}}}}},
        // v1 was rule and key only: the same key in two files became one alert.
        {"partialFingerprints", {{"secretFingerprint/v2", fingerprints[at]}}},
        {"properties",
         {{"kind", finding.kind}, {"verification", std::string(to_string(finding.verification))}}}};
    if (index < rules.size()) one["ruleIndex"] = index;
    if (!finding.commit.empty()) {
      // History: the file at that commit, which the checkout may no longer hold.
      one["properties"]["commit"] = finding.commit;
      one["locations"][0]["message"] = {{"text", "added in commit " + finding.commit}};
      one["message"]["text"] =
          one["message"]["text"].get<std::string>() + " in commit " + finding.commit;
    }
    results.push_back(std::move(one));
  }
  const Json doc = {{"$schema", kSarifSchema},
                    {"version", "2.1.0"},
                    {"runs",
                     {{{"tool",
                        {{"driver",
                          {{"name", "devops-monitor"},
                           {"version", kVersion},
                           {"informationUri", kInformationUri},
                           {"rules", std::move(rule_list)}}}}},
                       {"results", std::move(results)}}}}};
  return dump_scan_json(doc);
}

}  // namespace devops_monitor
