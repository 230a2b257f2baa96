#include "keys/key_source.hpp"

#include <gtest/gtest.h>

#include <map>
#include <string>

namespace devops_monitor {
namespace {

KeySource source(std::map<std::string, std::string> env, const std::string& dotenv_text) {
  return KeySource(environment_from(std::move(env)),
                   parse_dotenv(dotenv_text, "test.env", environment_from({})));
}

TEST(KeySource, EnvironmentWinsOverTheFile) {
  const KeySource keys = source({{"OPENAI_API_KEY", "from-env"}}, "OPENAI_API_KEY=from-file\n");
  EXPECT_EQ(keys.key_for("OPENAI_API_KEY"), "from-env");
}

TEST(KeySource, FileFillsInWhatTheEnvironmentLacks) {
  const KeySource keys = source({{"OTHER", "x"}}, "OPENAI_API_KEY=from-file\n");
  EXPECT_EQ(keys.key_for("OPENAI_API_KEY"), "from-file");
}

TEST(KeySource, UnsetEverywhereIsNullopt) {
  const KeySource keys = source({}, "OTHER=x\n");
  EXPECT_EQ(keys.key_for("OPENAI_API_KEY"), std::nullopt);
}

TEST(KeySource, EmptyOrBlankValuesCountAsUnset) {
  EXPECT_EQ(source({{"K", ""}}, "").key_for("K"), std::nullopt);
  EXPECT_EQ(source({{"K", " \t\r\n"}}, "").key_for("K"), std::nullopt);
  EXPECT_EQ(source({}, "K=\n").key_for("K"), std::nullopt);
  EXPECT_EQ(source({}, "K=\"   \"\n").key_for("K"), std::nullopt);
}

TEST(KeySource, SetButEmptyEnvironmentValueHidesTheFile) {
  // python-dotenv's load_dotenv() keeps a variable that is in os.environ, even an empty one.
  EXPECT_EQ(source({{"K", ""}}, "K=from-file\n").key_for("K"), std::nullopt);
  EXPECT_EQ(source({{"K", "  "}}, "K=from-file\n").key_for("K"), std::nullopt);
  const FoundKey empty = source({{"K", ""}}, "K=from-file\n").find("K");
  EXPECT_EQ(empty.key, std::nullopt);
  EXPECT_TRUE(empty.set_but_empty);
}

TEST(KeySource, SetButEmptyIsToldApartFromUnset) {
  EXPECT_TRUE(source({{"K", "\t"}}, "").find("K").set_but_empty);
  EXPECT_TRUE(source({}, "K=\n").find("K").set_but_empty) << "set, empty, in the file";
  EXPECT_FALSE(source({}, "").find("K").set_but_empty);
  EXPECT_FALSE(source({{"K", "v"}}, "").find("K").set_but_empty);
  EXPECT_EQ(source({{"K", "v"}}, "").find("K").key, "v");
}

TEST(KeySource, SurroundingWhitespaceIsTrimmed) {
  EXPECT_EQ(source({{"K", "  sk-key\n"}}, "").key_for("K"), "sk-key");
  EXPECT_EQ(source({}, "K=\"\tsk-key \"\n").key_for("K"), "sk-key");
  EXPECT_EQ(source({{"K", " a b "}}, "").key_for("K"), "a b") << "inner blanks stay";
}

TEST(KeySource, LaterDuplicateInTheFileWins) {
  EXPECT_EQ(source({}, "K=first\nK=second\n").key_for("K"), "second");
}

TEST(KeySource, MalformedLinesProvideNoKey) {
  EXPECT_EQ(source({}, "K='unterminated\n").key_for("K"), std::nullopt);
}

TEST(KeySource, WorksWithAnEmptyDotenv) {
  const KeySource keys(environment_from({{"K", "v"}}), DotenvFile{});
  EXPECT_EQ(keys.key_for("K"), "v");
  EXPECT_EQ(keys.key_for("J"), std::nullopt);
}

}  // namespace
}  // namespace devops_monitor
