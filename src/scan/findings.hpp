// A buffer's matches as findings: position as line and column, the key replaced by its
// literal prefix, at most 4 more characters and its fingerprint. Pure.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "devops_monitor/scan.hpp"
#include "scan/matcher.hpp"

namespace devops_monitor::scan {

/// How much of a key a finding shows after its literal prefix.
inline constexpr std::size_t kShownAfterPrefix = 4;

struct FoundKey {
  std::string fingerprint;
  ScanKeys::Key key;
};

/// The findings in `text`, shown as from file `display`. Provider keys are added to `keys`
/// when it is given (for --verify).
std::vector<ScanFinding> findings_in(const Matcher& matcher, const std::string& display,
                                     std::string_view text, std::vector<FoundKey>* keys);

}  // namespace devops_monitor::scan
