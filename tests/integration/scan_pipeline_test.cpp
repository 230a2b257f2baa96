// `devops-monitor scan` on a tree of more files than the scan keeps in flight (1024), of mixed
// sizes so the workers finish out of order: every key is found once, findings and warnings
// come out in the walk's name order, and two runs print the same.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <random>

#include "support/monitor_world.hpp"
#include "support/process.hpp"
#include "support/scan_keys.hpp"

namespace devops_monitor::testing {
namespace {

namespace fs = std::filesystem;

struct PlantedKey {
  std::string file;  // as shown: "d03/f0123.txt"
  std::size_t line = 0;
};

struct ManyFilesTree {
  TempDir dir;
  std::vector<PlantedKey> planted;   // in name order
  std::vector<std::string> too_big;  // in name order
  static constexpr int kFiles = 2600;

  ManyFilesTree() {
    std::mt19937 rng(2112);
    const std::string filler = "    const auto value = compute(task, mask); // high light\n";
    for (int i = 0; i < kFiles; ++i) {
      char buffer[32];
      std::snprintf(buffer, sizeof buffer, "d%02d/f%04d.txt", i / 100, i);
      const std::string name = buffer;
      fs::create_directories(dir / name.substr(0, 3));
      // Every 50th file is 200 KB (slow next to its neighbours), three are over the size cap.
      const std::size_t lines = i % 50 == 7 ? 3600 : i % 900 == 450 ? 8000 : 1 + i % 13;
      std::string text;
      for (std::size_t l = 0; l < lines; ++l) text += filler;
      if (i % 900 == 450) {
        too_big.push_back(name);
      } else if (i % 7 == 3 || i % 50 == 7) {
        text += "TOKEN = \"" + std::string("gh") + "p_" + random_chars(rng, kAlnum, 36) + "\"\n";
        planted.push_back({name, lines + 1});
      }
      write_text(dir / name, text);
    }
  }
};

RunResult run_scan_json(const fs::path& cwd) {
  RunOptions options;
  options.args = {"scan", "--json", "--max-file-size", "300K", "."};
  options.cwd = cwd;
  return run_process(monitor_binary(), options);
}

TEST(ScanPipeline, ManyFilesInWalkOrderEveryKeyOnce) {
  const ManyFilesTree tree;
  const RunResult run = run_scan_json(tree.dir.path());
  ASSERT_EQ(run.exit_code, 1) << run.err;
  const nlohmann::json doc = nlohmann::json::parse(run.out, nullptr, false);
  ASSERT_FALSE(doc.is_discarded()) << run.out;
  EXPECT_EQ(doc["files_scanned"], ManyFilesTree::kFiles - tree.too_big.size());
  ASSERT_EQ(doc["findings"].size(), tree.planted.size());
  for (std::size_t i = 0; i < tree.planted.size(); ++i) {
    const nlohmann::json& finding = doc["findings"][i];
    EXPECT_EQ(finding["file"], tree.planted[i].file) << "finding " << i;
    EXPECT_EQ(finding["line"], tree.planted[i].line) << tree.planted[i].file;
    EXPECT_EQ(finding["rule"], "github-token");
  }
  ASSERT_EQ(doc["warnings"].size(), tree.too_big.size()) << doc["warnings"];
  for (std::size_t i = 0; i < tree.too_big.size(); ++i) {
    EXPECT_EQ(doc["warnings"][i],
              "skipped " + tree.too_big[i] + ": larger than 307200 bytes (--max-file-size)");
  }
  // The same bytes again: threads change when each file is done, never what is printed.
  nlohmann::json again = nlohmann::json::parse(run_scan_json(tree.dir.path()).out, nullptr, false);
  ASSERT_FALSE(again.is_discarded());
  again.erase("scanned_at");
  nlohmann::json first = doc;
  first.erase("scanned_at");
  EXPECT_EQ(again, first);
}

}  // namespace
}  // namespace devops_monitor::testing
