// Which config files may be trusted with the user's keys: the rules over plain values, then
// the stat walk over real files (the tests run as root, so ownership can be set at will).
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "config/file_trust.hpp"
#include "config/key_variables.hpp"
#include "support/must_run.hpp"
#include "support/process.hpp"

namespace devops_monitor {
namespace {

constexpr uid_t kRoot = 0;
constexpr uid_t kMe = 1000;
constexpr uid_t kOther = 4242;
constexpr uid_t kNobody = 65534;

PathFacts file(mode_t permissions, uid_t owner) {
  return {.mode = static_cast<mode_t>(S_IFREG | permissions), .owner = owner};
}
PathFacts directory(mode_t permissions, uid_t owner) {
  return {.mode = static_cast<mode_t>(S_IFDIR | permissions), .owner = owner};
}

// ---- the rules, over values -----------------------------------------------------------------

TEST(ConfigTrustRules, FileOwnedByTheCallerOrRootAndWritableByNoOneElseIsTrusted) {
  EXPECT_EQ(untrusted_file_reason(file(0644, kMe), kMe), std::nullopt);
  EXPECT_EQ(untrusted_file_reason(file(0600, kMe), kMe), std::nullopt);
  EXPECT_EQ(untrusted_file_reason(file(0444, kMe), kMe), std::nullopt);
  EXPECT_EQ(untrusted_file_reason(file(0644, kRoot), kMe), std::nullopt) << "root may write it";
  EXPECT_EQ(untrusted_file_reason(file(0644, kRoot), kNobody), std::nullopt);
  EXPECT_EQ(untrusted_file_reason(file(0644, kRoot), kRoot), std::nullopt);
}

TEST(ConfigTrustRules, FileOwnedBySomeoneElseIsRefused) {
  EXPECT_EQ(untrusted_file_reason(file(0644, kOther), kMe),
            "is owned by uid 4242, not by you (uid 1000) or root");
  EXPECT_EQ(untrusted_file_reason(file(0600, kOther), kRoot),
            "is owned by uid 4242, not by you (uid 0) or root")
      << "root trusts no one else's file either (git's safe.directory)";
  EXPECT_EQ(untrusted_file_reason(file(0644, kMe), kNobody),
            "is owned by uid 1000, not by you (uid 65534) or root");
}

TEST(ConfigTrustRules, GroupOrWorldWritableFileIsRefused) {
  EXPECT_EQ(untrusted_file_reason(file(0664, kMe), kMe), "is group-writable (mode 0664)");
  EXPECT_EQ(untrusted_file_reason(file(0620, kMe), kMe), "is group-writable (mode 0620)");
  EXPECT_EQ(untrusted_file_reason(file(0666, kMe), kMe), "is world-writable (mode 0666)");
  EXPECT_EQ(untrusted_file_reason(file(0602, kRoot), kMe), "is world-writable (mode 0602)");
  EXPECT_EQ(untrusted_file_reason(file(01666, kRoot), kRoot), "is world-writable (mode 1666)")
      << "the sticky bit means nothing on a file";
}

TEST(ConfigTrustRules, OnlyRegularFilesAreConfigFiles) {
  const PathFacts dir = directory(0755, kMe);
  EXPECT_EQ(untrusted_file_reason(dir, kMe), "is a directory, not a regular file");
  EXPECT_EQ(untrusted_file_reason({.mode = S_IFIFO | 0644, .owner = kMe}, kMe),
            "is a FIFO, not a regular file");
  EXPECT_EQ(untrusted_file_reason({.mode = S_IFCHR | 0644, .owner = kRoot}, kMe),
            "is a device, not a regular file");
  EXPECT_EQ(untrusted_file_reason({.mode = S_IFSOCK | 0644, .owner = kMe}, kMe),
            "is a socket, not a regular file");
}

TEST(ConfigTrustRules, DirectoriesWritableOnlyByTheCallerOrRootAreTrusted) {
  EXPECT_EQ(untrusted_directory_reason(directory(0755, kRoot), kMe), std::nullopt);
  EXPECT_EQ(untrusted_directory_reason(directory(0700, kMe), kMe), std::nullopt);
  EXPECT_EQ(untrusted_directory_reason(directory(0555, kRoot), kNobody), std::nullopt);
}

TEST(ConfigTrustRules, StickyDirectoriesMayBeWritableByOthers) {
  // /tmp: others may add entries there but not rename or remove ours.
  EXPECT_EQ(untrusted_directory_reason(directory(01777, kRoot), kMe), std::nullopt);
  EXPECT_EQ(untrusted_directory_reason(directory(01775, kMe), kMe), std::nullopt);
  EXPECT_EQ(untrusted_directory_reason(directory(01777, kOther), kMe),
            "is owned by uid 4242, not by you (uid 1000) or root")
      << "the owner of a sticky directory may still remove anything in it";
}

TEST(ConfigTrustRules, WritableDirectoriesWithoutTheStickyBitAreRefused) {
  EXPECT_EQ(untrusted_directory_reason(directory(0777, kRoot), kMe),
            "is world-writable without the sticky bit (mode 0777)");
  EXPECT_EQ(untrusted_directory_reason(directory(0775, kMe), kMe),
            "is group-writable without the sticky bit (mode 0775)");
  EXPECT_EQ(untrusted_directory_reason(directory(0757, kRoot), kRoot),
            "is world-writable without the sticky bit (mode 0757)");
}

TEST(ConfigTrustRules, DirectoriesOwnedBySomeoneElseAreRefused) {
  EXPECT_EQ(untrusted_directory_reason(directory(0755, kOther), kMe),
            "is owned by uid 4242, not by you (uid 1000) or root");
  EXPECT_EQ(untrusted_directory_reason(directory(0755, kMe), kRoot),
            "is owned by uid 1000, not by you (uid 0) or root");
  EXPECT_EQ(untrusted_directory_reason(file(0644, kRoot), kMe),
            "is a regular file, not a directory");
}

// ---- which variables may hold a key ---------------------------------------------------------

TEST(ConfigKeyVariables, BuiltInVariablesAndApiKeyNamesAreKeyVariables) {
  for (const char* name : {"OPENAI_API_KEY", "ANTHROPIC_API_KEY", "GOOGLE_API_KEY",
                           "TOGETHER_API_KEY", "OPENROUTER_API_KEY", "MOONSHOT_API_KEY",
                           "CUSTOM_API_KEY", "A_API_KEY", "X2_API_KEY", "MY__GATEWAY_API_KEY"}) {
    EXPECT_TRUE(is_key_variable(name)) << name;
  }
}

TEST(ConfigKeyVariables, OtherSecretsAreNot) {
  for (const char* name :
       {"AWS_SECRET_ACCESS_KEY", "GITHUB_TOKEN", "HOME", "PATH", "_API_KEY", "API_KEY",
        "2X_API_KEY", "_X_API_KEY", "custom_api_key", "Custom_API_KEY", "X_API_KEY_2", "X_API_KEYS",
        "X-Y_API_KEY", "X_API_KEY ", "LOCAL_GATEWAY_KEY", ""}) {
    EXPECT_FALSE(is_key_variable(name)) << name;
  }
}

// ---- the stat walk, over real files ---------------------------------------------------------

class ConfigTrustWalk : public ::testing::Test {
 protected:
  void SetUp() override {
    if (::geteuid() != 0) DEVOPS_MONITOR_SKIP_OR_FAIL("needs root to chown test files");
    std::filesystem::create_directories(dir);
    ::chmod(dir.c_str(), 0755);
    testing::write_text(config, "timeout = \"5s\"\n");
    ::chmod(config.c_str(), 0644);
  }
  Result<std::string> read(uid_t caller = kRoot) { return read_trusted_file(config, caller); }
  /// The detail of the refusal; fails the test if the file was read.
  std::string refusal(uid_t caller = kRoot) {
    Result<std::string> text = read(caller);
    EXPECT_FALSE(text.ok()) << config;
    if (text.ok()) return "";
    EXPECT_EQ(text.error().what, "untrusted config file");
    EXPECT_EQ(text.error().where, config.string());
    EXPECT_EQ(text.error().message().find('\n'), std::string::npos);
    return text.error().detail;
  }

  testing::TempDir temp;
  std::filesystem::path dir = temp / "conf";
  std::filesystem::path config = dir / "config.toml";
};

TEST_F(ConfigTrustWalk, TrustedFileIsRead) {
  Result<std::string> text = read();
  ASSERT_TRUE(text.ok()) << text.error().message();
  EXPECT_EQ(*text, "timeout = \"5s\"\n");
}

TEST_F(ConfigTrustWalk, RootOwnedFileIsTrustedByEveryone) {
  EXPECT_TRUE(read(kNobody).ok());
  EXPECT_TRUE(read(kOther).ok());
}

TEST_F(ConfigTrustWalk, WorldAndGroupWritableFilesAreRefused) {
  ::chmod(config.c_str(), 0666);
  EXPECT_EQ(refusal(), "it is world-writable (mode 0666)");
  ::chmod(config.c_str(), 0664);
  EXPECT_EQ(refusal(), "it is group-writable (mode 0664)");
}

TEST_F(ConfigTrustWalk, FileOfAnotherUserIsRefused) {
  ASSERT_EQ(::chown(config.c_str(), kOther, kOther), 0);
  EXPECT_EQ(refusal(kRoot), "it is owned by uid 4242, not by you (uid 0) or root");
  EXPECT_TRUE(read(kOther).ok()) << "its owner trusts it";
}

TEST_F(ConfigTrustWalk, WritableDirectoryOnThePathIsRefused) {
  ::chmod(dir.c_str(), 0777);
  EXPECT_EQ(refusal(), "its directory " + dir.string() +
                           " is world-writable without the sticky bit (mode 0777)");
  ::chmod(dir.c_str(), 0775);
  EXPECT_EQ(refusal(), "its directory " + dir.string() +
                           " is group-writable without the sticky bit (mode 0775)");
}

TEST_F(ConfigTrustWalk, EveryDirectoryUpToTheRootIsChecked) {
  const std::filesystem::path deep = dir / "a" / "b";
  std::filesystem::create_directories(deep);
  ::chmod((dir / "a").c_str(), 0755);
  ::chmod(deep.c_str(), 0755);
  testing::write_text(deep / "config.toml", "");
  ::chmod((deep / "config.toml").c_str(), 0644);
  ASSERT_TRUE(read_trusted_file(deep / "config.toml", kRoot).ok());
  ::chmod(dir.c_str(), 0777);  // two levels up
  const Result<std::string> text = read_trusted_file(deep / "config.toml", kRoot);
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.error().detail, "its directory " + dir.string() +
                                     " is world-writable without the sticky bit (mode 0777)");
}

TEST_F(ConfigTrustWalk, DirectoryOfAnotherUserIsRefused) {
  ASSERT_EQ(::chown(dir.c_str(), kOther, kOther), 0);
  EXPECT_EQ(refusal(kRoot),
            "its directory " + dir.string() + " is owned by uid 4242, not by you (uid 0) or root");
}

TEST_F(ConfigTrustWalk, StickyWorldWritableDirectoryIsAccepted) {
  ::chmod(dir.c_str(), 01777);  // a /tmp of its own
  const Result<std::string> text = read();
  EXPECT_TRUE(text.ok()) << text.error().message();
}

TEST_F(ConfigTrustWalk, SymlinksAreJudgedByWhatTheyPointAt) {
  // A link in a trusted place to a file others may write: the file is what counts.
  const std::filesystem::path open_dir = temp / "open";
  std::filesystem::create_directories(open_dir);
  ::chmod(open_dir.c_str(), 0777);
  testing::write_text(open_dir / "evil.toml", "");
  ::chmod((open_dir / "evil.toml").c_str(), 0644);
  const std::filesystem::path link = dir / "link.toml";
  std::filesystem::create_symlink(open_dir / "evil.toml", link);
  const Result<std::string> refused = read_trusted_file(link, kRoot);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().where, link.string());
  EXPECT_EQ(refused.error().detail, "its directory " + open_dir.string() +
                                        " is world-writable without the sticky bit (mode 0777)");

  // The target's own mode is named with the path it resolves to.
  ::chmod((open_dir / "evil.toml").c_str(), 0666);
  ::chmod(open_dir.c_str(), 0755);
  const Result<std::string> writable = read_trusted_file(link, kRoot);
  ASSERT_FALSE(writable.ok());
  EXPECT_EQ(writable.error().detail, "it resolves to " + (open_dir / "evil.toml").string() +
                                         ", which is world-writable (mode 0666)");
}

TEST_F(ConfigTrustWalk, DirectoryAndFifoAreNotConfigFiles) {
  const Result<std::string> directory = read_trusted_file(dir, kRoot);
  ASSERT_FALSE(directory.ok());
  EXPECT_EQ(directory.error().detail, "it is a directory, not a regular file");
  ASSERT_EQ(::mkfifo((dir / "fifo").c_str(), 0644), 0);
  const Result<std::string> fifo = read_trusted_file(dir / "fifo", kRoot);  // must not block
  ASSERT_FALSE(fifo.ok());
  EXPECT_EQ(fifo.error().detail, "it is a FIFO, not a regular file");
}

TEST_F(ConfigTrustWalk, MissingFileIsACannotRead) {
  const Result<std::string> missing = read_trusted_file(dir / "nope.toml", kRoot);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().what, "cannot read config file");
  EXPECT_EQ(missing.error().detail, "No such file or directory");
  EXPECT_EQ(missing.error().where, (dir / "nope.toml").string());
}

}  // namespace
}  // namespace devops_monitor
