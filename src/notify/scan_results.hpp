// The JSON that `devops-monitor scan --json` writes, as notify reads it: an outside file,
// parsed defensively (unknown fields ignored, wrong types refused, sizes bounded).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "devops_monitor/error.hpp"

namespace devops_monitor::notify {

struct ScanFinding {
  std::string file;  // relative path
  std::int64_t line = 0;
  std::int64_t column = 0;
  std::string kind;      // "openai"
  std::string provider;  // "OpenAI (GPT-4)"
  std::string rule;
  std::string redacted;  // "sk-proj-AbCd…": never the whole secret
  std::string fingerprint;
  std::string verification;  // live, dead, unknown, not_checked
};

struct ScanResults {
  std::string version;
  std::string scanned_at;  // RFC 3339
  std::vector<std::string> paths;
  std::int64_t files_scanned = 0;
  std::vector<ScanFinding> findings;
};

/// Reads the scan contract: {"tool":"devops-monitor","findings":[...], ...}. `source` names
/// the input in errors.
Result<ScanResults> parse_scan_results(std::string_view json_text, const std::string& source);

}  // namespace devops_monitor::notify
