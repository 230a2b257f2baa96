#include "notify/scan_results.hpp"

#include <nlohmann/json.hpp>

namespace devops_monitor::notify {
namespace {

using ScanJson = nlohmann::json;

// More findings than this is not a scan a person reads in an issue; refusing keeps a hostile
// file from costing unbounded memory twice over.
constexpr std::size_t kMaxFindings = 100000;

std::string scan_string(const ScanJson& object, const char* name) {
  const auto it = object.find(name);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::int64_t scan_number(const ScanJson& object, const char* name) {
  const auto it = object.find(name);
  return it != object.end() && it->is_number_integer() ? it->get<std::int64_t>() : 0;
}

}  // namespace

Result<ScanResults> parse_scan_results(std::string_view json_text, const std::string& source) {
  const ScanJson doc = ScanJson::parse(json_text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) {
    return Error{"cannot read scan results", "not a JSON object", source};
  }
  if (doc.contains("tool") && doc["tool"] != "devops-monitor") {
    return Error{"cannot read scan results", "not written by devops-monitor scan --json", source};
  }
  const auto findings = doc.find("findings");
  if (findings == doc.end() || !findings->is_array()) {
    return Error{"cannot read scan results", "no \"findings\" array", source};
  }
  if (findings->size() > kMaxFindings) {
    return Error{"cannot read scan results", "more than 100000 findings", source};
  }
  ScanResults results;
  results.version = scan_string(doc, "version");
  results.scanned_at = scan_string(doc, "scanned_at");
  results.files_scanned = scan_number(doc, "files_scanned");
  if (const auto paths = doc.find("paths"); paths != doc.end() && paths->is_array()) {
    for (const ScanJson& path : *paths) {
      if (path.is_string()) results.paths.push_back(path.get<std::string>());
    }
  }
  for (const ScanJson& item : *findings) {
    if (!item.is_object()) {
      return Error{"cannot read scan results", "a finding is not an object", source};
    }
    results.findings.push_back({.file = scan_string(item, "file"),
                                .line = scan_number(item, "line"),
                                .column = scan_number(item, "column"),
                                .kind = scan_string(item, "kind"),
                                .provider = scan_string(item, "provider"),
                                .rule = scan_string(item, "rule"),
                                .redacted = scan_string(item, "redacted"),
                                .fingerprint = scan_string(item, "fingerprint"),
                                .verification = scan_string(item, "verification")});
  }
  return results;
}

}  // namespace devops_monitor::notify
