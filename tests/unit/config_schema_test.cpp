// The config schema (src/config/schema.cpp) as documentation: docs/configuration.md carries
// the key reference rendered from it, and its complete example writes every key.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "config/key_reference.hpp"
#include "support/process.hpp"

namespace devops_monitor {
namespace {

const std::filesystem::path kDocs = std::filesystem::path(DEVOPS_MONITOR_SOURCE_DIR) / "docs";
const std::filesystem::path kFullExample =
    std::filesystem::path(DEVOPS_MONITOR_SOURCE_DIR) / "tests/fixtures/config/full.toml";
constexpr const char* kRegenerate =
    "DEVOPS_MONITOR_UPDATE_DOCS=1 build/tests/unit_tests "
    "--gtest_filter=ConfigSchema.ReferenceInTheDocsIsRenderedFromTheSchema";

/// What docs/configuration.md holds between the markers: the table, with a blank line on
/// either side so Markdown sees a table and not part of the comment.
std::string between_markers(const std::string& table) {
  return "\n\n" + table + "\n";
}

TEST(ConfigSchema, ReferenceInTheDocsIsRenderedFromTheSchema) {
  const std::filesystem::path file = kDocs / "configuration.md";
  std::string doc = testing::read_text(file);
  const std::size_t begin = doc.find(kKeyReferenceBegin);
  const std::size_t end = doc.find(kKeyReferenceEnd);
  ASSERT_NE(begin, std::string::npos) << "no line " << kKeyReferenceBegin << " in " << file;
  ASSERT_NE(end, std::string::npos) << "no line " << kKeyReferenceEnd << " in " << file;
  ASSERT_LT(begin, end);
  const std::size_t from = begin + kKeyReferenceBegin.size();
  const std::string written = doc.substr(from, end - from);
  const std::string rendered = between_markers(config_key_reference());
  if (written != rendered && std::getenv("DEVOPS_MONITOR_UPDATE_DOCS") != nullptr) {
    doc.replace(from, end - from, rendered);
    testing::write_text(file, doc);
    GTEST_SKIP() << "rewrote the key reference in " << file;
  }
  EXPECT_EQ(written, rendered)
      << "the key reference in docs/configuration.md differs from the schema in "
         "src/config/schema.cpp; regenerate it (from the source directory, after building) with\n  "
      << kRegenerate;
}

/// The keys of the reference table: the first cell of each row, without its backticks.
std::vector<std::string> reference_keys() {
  std::vector<std::string> keys;
  std::istringstream table(config_key_reference());
  std::string line;
  while (std::getline(table, line)) {
    if (!line.starts_with("| `")) continue;
    keys.push_back(line.substr(3, line.find('`', 3) - 3));
  }
  return keys;
}

/// The key's own name, as written in its table: "webhooks[].url" -> "url".
std::string last_name(const std::string& key) {
  const std::size_t cut = key.find_last_of(".]");
  return cut == std::string::npos ? key : key.substr(cut + 1);
}

TEST(ConfigSchema, EveryKeyHasARowWithAMeaning) {
  const std::vector<std::string> keys = reference_keys();
  EXPECT_GT(keys.size(), 40u);
  for (std::size_t i = 0; i < keys.size(); ++i) {
    EXPECT_EQ(std::count(keys.begin(), keys.end(), keys[i]), 1) << keys[i] << " is declared twice";
  }
  for (const std::string key : {"report_dir", "thresholds.cpu_warning", "providers.<id>.env_var",
                                "webhooks[].url", "actions.timeout", "serve.key_interval"}) {
    EXPECT_NE(std::find(keys.begin(), keys.end(), key), keys.end()) << key;
  }
  std::istringstream table(config_key_reference());
  std::string line;
  while (std::getline(table, line)) {
    EXPECT_FALSE(line.ends_with("|  |")) << "a key without a meaning: " << line;
  }
}

TEST(ConfigSchema, TheCompleteExampleWritesEveryKey) {
  // "Every key, as tested" (docs/configuration.md): each key appears as `name =` or as its
  // table's header in tests/fixtures/config/full.toml, the example the docs carry.
  const std::string example = testing::read_text(kFullExample);
  for (const std::string& key : reference_keys()) {
    if (key.ends_with("<id>")) continue;  // the table of each provider: its id is any
    const std::string name = last_name(key);
    const std::regex assignment("(^|\\n|\\{ *|, *)" + name + " *=");
    const bool header = example.find("[" + key + "]") != std::string::npos ||
                        example.find("[" + key + ".") != std::string::npos;
    EXPECT_TRUE(header || std::regex_search(example, assignment))
        << key << " is not written in " << kFullExample;
  }
}

TEST(ConfigSchema, TheFuzzDictionaryHoldsEveryKeyName) {
  // The config fuzz target mutates with these words; a key missing here is rarely reached.
  const std::string dict = testing::read_text(std::filesystem::path(DEVOPS_MONITOR_SOURCE_DIR) /
                                              "fuzz/dict/config.dict");
  for (const std::string& key : reference_keys()) {
    if (key.ends_with("<id>")) continue;
    const std::string name = last_name(key);
    EXPECT_NE(dict.find("\n\"" + name + "\"\n"), std::string::npos)
        << name << " is not in fuzz/dict/config.dict";
  }
}

}  // namespace
}  // namespace devops_monitor
