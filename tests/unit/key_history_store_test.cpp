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
  // Each field as written, not the serializer compared with itself.
  ASSERT_EQ(read->size(), 2u);
  const KeyRecord& openai = read->at("openai");
  EXPECT_EQ(openai.fingerprint, "aaaa1111");
  EXPECT_EQ(openai.first_seen, "2026-11-24T17:49:03.000+00:00");
  EXPECT_EQ(openai.previous_fingerprint, std::nullopt);
  EXPECT_EQ(openai.rotated_at, std::nullopt);
  const KeyRecord& google = read->at("google");
  EXPECT_EQ(google.fingerprint, "bbbb2222");
  EXPECT_EQ(google.first_seen, "2026-11-01T00:00:00.000+00:00");
  EXPECT_EQ(google.previous_fingerprint, "cccc3333");
  EXPECT_EQ(google.rotated_at, "2026-11-01T00:00:00.000+00:00");
}

TEST(KeyHistoryStore, ReadsTheFileFormatAsDocumented) {
  // The file as another writer (an older version, a person) leaves it: fields by name.
  testing::TempDir dir;
  testing::write_text(dir / "key_history.json", R"({"keys": {
      "moonshot": {"fingerprint": "dddd4444", "first_seen": "2026-10-01T08:00:00.000+02:00",
                   "previous_fingerprint": "eeee5555", "rotated_at": "2026-10-02T08:00:00.000+02:00"}}})");
  const Result<KeyHistory> read = read_key_history(dir.path());
  ASSERT_TRUE(read.ok()) << read.error().message();
  ASSERT_EQ(read->count("moonshot"), 1u);
  EXPECT_EQ(read->at("moonshot").fingerprint, "dddd4444");
  EXPECT_EQ(read->at("moonshot").first_seen, "2026-10-01T08:00:00.000+02:00");
  EXPECT_EQ(read->at("moonshot").previous_fingerprint, "eeee5555");
  EXPECT_EQ(read->at("moonshot").rotated_at, "2026-10-02T08:00:00.000+02:00");
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
