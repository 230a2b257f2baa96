#include <gtest/gtest.h>

#include "devops_monitor/text.hpp"

namespace devops_monitor {
namespace {

const std::vector<std::string> kCommands = {"check", "providers", "serve", "watch", "scan"};
const std::vector<std::string> kFlags = {"--json", "--since", "--report-dir", "--timeout"};

TEST(ClosestWord, OneEditPerThreeCharactersAtMostTwo) {
  EXPECT_EQ(closest_word("chek", kCommands), "check");
  EXPECT_EQ(closest_word("wacth", kCommands), "watch");
  EXPECT_EQ(closest_word("--jsn", kFlags), "--json");
  EXPECT_EQ(closest_word("--timout", kFlags), "--timeout");
  EXPECT_EQ(closest_word("--tmiout", kFlags), "--timeout") << "two edits in eight characters";
  EXPECT_EQ(closest_word("frobnicate", kCommands), std::nullopt);
  EXPECT_EQ(closest_word("xy", kCommands), std::nullopt) << "a short word is no typo of these";
  EXPECT_EQ(closest_word("", kCommands), std::nullopt);
  EXPECT_EQ(closest_word("check", {}), std::nullopt);
}

TEST(ClosestWord, AnAbbreviationOfThreeOrMoreCharacters) {
  EXPECT_EQ(closest_word("--rep", kFlags), "--report-dir");
  EXPECT_EQ(closest_word("prov", kCommands), "providers");
  EXPECT_EQ(closest_word("pr", kCommands), std::nullopt);
}

TEST(ClosestWord, TheNearestWins) {
  EXPECT_EQ(closest_word("scam", {"scan", "scandium"}), "scan");
  EXPECT_EQ(closest_word("serve", {"server", "serve"}), "serve");
}

}  // namespace
}  // namespace devops_monitor
