// Where the fixture files are, and the fixed values several test files share. Test files
// are compiled in unity batches (tests/CMakeLists.txt), so shared names live here, once.
#pragma once

#include <chrono>
#include <filesystem>

#include "devops_monitor/report.hpp"
#include "util/time_format.hpp"

namespace devops_monitor::testing {

inline const std::filesystem::path kSourceTree = DEVOPS_MONITOR_SOURCE_DIR;
inline const std::filesystem::path kFixturesRoot = kSourceTree / "tests" / "fixtures";
inline const std::filesystem::path kProcfsFixtures = kFixturesRoot / "procfs";

/// "Now" for tests of rules over time: 2026-11-24T17:49:03Z.
inline const SystemTime kFixedNow = SystemTime(std::chrono::seconds(1795542543));

/// OpenAI's key in `state`, as a check reports it: present unless missing.
inline ApiKeyStatus openai_key_in_state(KeyState state) {
  ApiKeyStatus key;
  key.provider = "OpenAI";
  key.id = "openai";
  key.state = state;
  key.key_present = state != KeyState::missing;
  return key;
}

}  // namespace devops_monitor::testing
