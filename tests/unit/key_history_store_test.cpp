#include "store/key_history_store.hpp"

#include <gtest/gtest.h>

#include "support/process.hpp"

namespace devops_monitor {
namespace {

TEST(KeyHistoryStore, RoundTripsThroughTheFile) {
  testing::TempDir dir;
  const KeyHistory history = {
      {"openai", {.fingerprint = "aaaa1111", .first_seen = "2026-11-24T17:49:03.000+00:00"}},
      {"google",
       {.fingerprint = "bbbb2222",
        .first_seen = "2026-11-01T00:00:00.000+00:00",
        .previous_fingerprint = "cccc3333",
        .rotated_at = "2026-11-01T00:00:00.000+00:00"}}};
  ASSERT_TRUE(write_key_history(dir.path(), history).ok());
  const Result<KeyHistory> read = read_key_history(dir.path());
  ASSERT_TRUE(read.ok()) << read.error().message();
  EXPECT_EQ(key_history_json(*read), key_history_json(history));
}

TEST(KeyHistoryStore, NoFileIsAnEmptyHistory) {
  testing::TempDir dir;
  const Result<KeyHistory> read = read_key_history(dir.path());
  ASSERT_TRUE(read.ok());
  EXPECT_TRUE(read->empty());
}

TEST(KeyHistoryStore, BrokenFileIsAnErrorNamingIt) {
  testing::TempDir dir;
  testing::write_text(dir / "key_history.json", "{\"keys\": {\"openai\": {\"fingerprint\": 5}}}");
  const Result<KeyHistory> read = read_key_history(dir.path());
  ASSERT_FALSE(read.ok());
  EXPECT_NE(read.error().where.find("key_history.json"), std::string::npos);
  testing::write_text(dir / "key_history.json", "{truncated");
  EXPECT_FALSE(read_key_history(dir.path()).ok());
}

}  // namespace
}  // namespace devops_monitor
