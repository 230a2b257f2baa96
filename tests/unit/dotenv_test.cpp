#include "keys/dotenv.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "support/process.hpp"

namespace devops_monitor {
namespace {

const std::string kDotenvCanary = "CANARY-not-a-real-key-123";
const std::filesystem::path kDotenvFixtures =
    std::filesystem::path(DEVOPS_MONITOR_SOURCE_DIR) / "tests/fixtures/dotenv";

DotenvFile parse(const std::string& text, std::map<std::string, std::string> env = {}) {
  return parse_dotenv(text, "test.env", environment_from(std::move(env)));
}

/// The value of `name` in `text`, which must parse without warnings.
std::string value_of(const std::string& text, const std::string& name,
                     std::map<std::string, std::string> env = {}) {
  const DotenvFile file = parse(text, std::move(env));
  for (const Error& warning : file.warnings) ADD_FAILURE() << warning.message();
  const std::optional<std::string> value = file.get(name);
  EXPECT_TRUE(value.has_value()) << name << " missing from: " << text;
  return value.value_or("<unset>");
}

/// The one warning `text` produces; fails the test unless there is exactly one.
Error only_warning(const std::string& text) {
  const DotenvFile file = parse(text);
  EXPECT_EQ(file.warnings.size(), 1u) << text;
  if (file.warnings.empty()) return {};
  EXPECT_EQ(file.warnings[0].what, "ignoring malformed line");
  return file.warnings[0];
}

// ---- accepted syntax ------------------------------------------------------------------------

TEST(Dotenv, PlainAssignment) {
  EXPECT_EQ(value_of("KEY=value\n", "KEY"), "value");
}

TEST(Dotenv, ExportPrefix) {
  EXPECT_EQ(value_of("export KEY=value\n", "KEY"), "value");
  EXPECT_EQ(value_of("export\t  KEY=value\n", "KEY"), "value");
  EXPECT_EQ(value_of("exportKEY=value\n", "exportKEY"), "value") << "export needs a blank after it";
  EXPECT_EQ(value_of("export=value\n", "export"), "value");
}

TEST(Dotenv, BlankLinesAndCommentsAreSkipped) {
  const DotenvFile file = parse("\n# comment\n   # indented comment\n\n\t\nKEY=value\n#OTHER=x\n");
  EXPECT_TRUE(file.warnings.empty());
  ASSERT_EQ(file.entries.size(), 1u);
  EXPECT_EQ(file.entries[0].name, "KEY");
  EXPECT_EQ(file.entries[0].line, 6);
}

TEST(Dotenv, SpacesAroundEqualsAndIndentation) {
  EXPECT_EQ(value_of("KEY = value\n", "KEY"), "value");
  EXPECT_EQ(value_of("KEY\t=\tvalue\n", "KEY"), "value");
  EXPECT_EQ(value_of("   KEY=value\n", "KEY"), "value");
}

TEST(Dotenv, UnquotedValuesLoseTrailingCommentsAndBlanks) {
  EXPECT_EQ(value_of("KEY=value # comment\n", "KEY"), "value");
  EXPECT_EQ(value_of("KEY=value\t# comment\n", "KEY"), "value");
  EXPECT_EQ(value_of("KEY=value   \n", "KEY"), "value");
  EXPECT_EQ(value_of("KEY=two words  \n", "KEY"), "two words");
  EXPECT_EQ(value_of("KEY=a#b\n", "KEY"), "a#b") << "# not after a blank is part of the value";
  EXPECT_EQ(value_of("KEY=#value\n", "KEY"), "#value");
  EXPECT_EQ(value_of("KEY= # only a comment\n", "KEY"), "") << "python-dotenv >= 1.1";
  EXPECT_EQ(value_of("KEY=a # b # c\n", "KEY"), "a");
  EXPECT_EQ(value_of("KEY=it's \"fine\"\n", "KEY"), "it's \"fine\"") << "quotes inside stay";
}

TEST(Dotenv, EmptyValues) {
  EXPECT_EQ(value_of("KEY=\n", "KEY"), "");
  EXPECT_EQ(value_of("KEY=", "KEY"), "");
  EXPECT_EQ(value_of("KEY=   \n", "KEY"), "");
  EXPECT_EQ(value_of("KEY=''\n", "KEY"), "");
  EXPECT_EQ(value_of("KEY=\"\"\n", "KEY"), "");
}

TEST(Dotenv, SingleQuotesAreLiteral) {
  EXPECT_EQ(value_of("KEY='a b # c'\n", "KEY"), "a b # c");
  EXPECT_EQ(value_of("KEY='${HOME} \\n \\t'\n", "KEY", {{"HOME", "/root"}}), "${HOME} \\n \\t");
  EXPECT_EQ(value_of("KEY='  padded  '\n", "KEY"), "  padded  ");
  EXPECT_EQ(value_of("KEY='say \"hi\"'\n", "KEY"), "say \"hi\"");
}

TEST(Dotenv, SingleQuotesDecodeOnlyQuoteAndBackslash) {
  // As python-dotenv (and its `dotenv set`, which writes \' inside single quotes).
  EXPECT_EQ(value_of("KEY='it\\'s'\n", "KEY"), "it's");
  EXPECT_EQ(value_of("KEY='back\\\\slash'\n", "KEY"), "back\\slash");
  EXPECT_EQ(value_of("KEY='ends with \\\\'\n", "KEY"), "ends with \\");
}

TEST(Dotenv, DoubleQuoteEscapes) {
  EXPECT_EQ(value_of(R"(KEY="a\nb")", "KEY"), "a\nb");
  EXPECT_EQ(value_of(R"(KEY="a\tb")", "KEY"), "a\tb");
  EXPECT_EQ(value_of(R"(KEY="say \"hi\"")", "KEY"), "say \"hi\"");
  EXPECT_EQ(value_of(R"(KEY="back\\slash")", "KEY"), "back\\slash");
  EXPECT_EQ(value_of(R"(KEY="it\'s")", "KEY"), "it's");
  EXPECT_EQ(value_of(R"(KEY="\r\a\b\f\v")", "KEY"), "\r\a\b\f\v");
  EXPECT_EQ(value_of(R"(KEY="C:\dir\x")", "KEY"), "C:\\dir\\x")
      << "unknown escapes stay as written";
  EXPECT_EQ(value_of(R"(KEY="ends with \\")", "KEY"), "ends with \\");
  EXPECT_EQ(value_of(R"(KEY="a # not a comment")", "KEY"), "a # not a comment");
}

TEST(Dotenv, QuotedValueMayBeFollowedByAComment) {
  EXPECT_EQ(value_of("KEY=\"value\" # comment\n", "KEY"), "value");
  EXPECT_EQ(value_of("KEY='value'# comment\n", "KEY"), "value");
  EXPECT_EQ(value_of("KEY=\"value\"   \n", "KEY"), "value");
}

TEST(Dotenv, QuotedValuesMaySpanLines) {
  const DotenvFile file = parse("A=\"first\nsecond\"\nB='x\ny'\nC=after\n");
  EXPECT_TRUE(file.warnings.empty());
  EXPECT_EQ(file.get("A"), "first\nsecond");
  EXPECT_EQ(file.get("B"), "x\ny");
  ASSERT_EQ(file.entries.size(), 3u);
  EXPECT_EQ(file.entries[2].line, 5) << "line numbers keep counting inside values";
}

TEST(Dotenv, ExpansionInDoubleQuotedAndUnquotedValues) {
  const std::map<std::string, std::string> env{{"USER_API_KEY", "alice"}};
  EXPECT_EQ(value_of("KEY=\"hi ${USER_API_KEY}\"\n", "KEY", env), "hi alice");
  EXPECT_EQ(value_of("KEY=hi-${USER_API_KEY}\n", "KEY", env), "hi-alice");
  EXPECT_EQ(value_of("KEY=${MISSING_API_KEY}\n", "KEY", env), "");
  EXPECT_EQ(value_of("KEY=${MISSING_API_KEY:-fallback}\n", "KEY", env), "fallback");
  EXPECT_EQ(value_of("KEY=${USER_API_KEY:-fallback}\n", "KEY", env), "alice");
  EXPECT_EQ(value_of("KEY=${MISSING_API_KEY:-}\n", "KEY", env), "");
  EXPECT_EQ(value_of("KEY=\"${MISSING_API_KEY:-a b}\"\n", "KEY", env), "a b");
  EXPECT_EQ(value_of("KEY=${OPENAI_API_KEY}\n", "KEY", {{"OPENAI_API_KEY", "sk"}}), "sk")
      << "built-in providers' variables";
}

TEST(Dotenv, WhatIsNotAReferenceStaysAsWritten) {
  const std::map<std::string, std::string> env{{"USER_API_KEY", "alice"}};
  EXPECT_EQ(value_of("KEY=$USER_API_KEY\n", "KEY", env), "$USER_API_KEY") << "no braces";
  EXPECT_EQ(value_of("KEY=${USER_API_KEY\n", "KEY", env), "${USER_API_KEY");
  EXPECT_EQ(value_of("KEY=${USER_API_KEY:x}\n", "KEY", env), "${USER_API_KEY:x}");
  EXPECT_EQ(value_of("KEY=a$b${USER_API_KEY}$\n", "KEY", env), "a$balice$");
  EXPECT_EQ(value_of("KEY=${X_API_KEY:-${USER_API_KEY}}\n", "KEY", env), "${USER_API_KEY}")
      << "the default is literal up to }";
}

TEST(Dotenv, SetButEmptyVariableIsNotReplacedByTheDefault) {
  // python-dotenv uses the default only when the variable is unset (the shell's ${X-d}).
  EXPECT_EQ(value_of("KEY=${EMPTY_API_KEY:-fallback}\n", "KEY", {{"EMPTY_API_KEY", ""}}), "");
}

TEST(Dotenv, ExpansionLooksAtTheEnvironmentThenEarlierEntries) {
  const DotenvFile file = parse(
      "BASE=from-file\nSHARED_API_KEY=file-value\nA=${BASE}/x\nB=${SHARED_API_KEY}\n"
      "C=${LATER_API_KEY}\nLATER_API_KEY=late\n",
      {{"SHARED_API_KEY", "env-value"}, {"BASE", "from-env"}});
  EXPECT_TRUE(file.warnings.empty());
  EXPECT_EQ(file.get("A"), "from-file/x") << "any name may come from an earlier entry";
  EXPECT_EQ(file.get("B"), "env-value") << "environment wins (override=False)";
  EXPECT_EQ(file.get("C"), "") << "only earlier entries are visible";
}

TEST(Dotenv, OnlyApiKeyVariablesAreTakenFromTheEnvironment) {
  // A .env someone else wrote must not be able to send another secret of the environment to
  // a provider: OPENAI_API_KEY=${AWS_SECRET_ACCESS_KEY} sends nothing.
  const std::map<std::string, std::string> env{{"AWS_SECRET_ACCESS_KEY", kDotenvCanary},
                                               {"HOME", "/root"}};
  const DotenvFile file = parse(
      "OPENAI_API_KEY=${AWS_SECRET_ACCESS_KEY}\nGOOGLE_API_KEY=\"${AWS_SECRET_ACCESS_KEY:-none}\"\n"
      "DIR=${HOME}/x${HOME}\nLITERAL='${HOME}'\n",
      env);
  EXPECT_EQ(file.get("OPENAI_API_KEY"), "");
  EXPECT_EQ(file.get("GOOGLE_API_KEY"), "none") << "the default, as if unset";
  EXPECT_EQ(file.get("DIR"), "/x");
  EXPECT_EQ(file.get("LITERAL"), "${HOME}") << "single quotes never expand, never warn";
  ASSERT_EQ(file.warnings.size(), 3u) << "one per line and name";
  EXPECT_EQ(file.warnings[0].message(),
            "not expanding ${AWS_SECRET_ACCESS_KEY} from the environment: only API key variables "
            "(a built-in provider's, or *_API_KEY) and earlier entries of this file are; it gets "
            "its :-default or nothing (test.env:1)");
  EXPECT_EQ(file.warnings[1].where, "test.env:2");
  EXPECT_EQ(file.warnings[2].what, "not expanding ${HOME} from the environment");
  EXPECT_EQ(file.warnings[2].where, "test.env:3");
  for (const Error& warning : file.warnings) {
    EXPECT_EQ(warning.message().find("CANARY"), std::string::npos) << warning.message();
  }
}

TEST(Dotenv, ReferencesThatAreNotUpperCaseNamesAreNeverQuoted) {
  // Anything can stand between ${ and }, a pasted key too. Only a name the environment has is
  // refused (and warned about); the others are simply unset.
  const std::vector<std::pair<std::string, std::size_t>> cases = {
      {"KEY=${" + kDotenvCanary + "}\n", 1u},
      {"KEY=\"${sk_" + kDotenvCanary + ":-x}\"\n", 0u},
      {"KEY=${lower_canary_CANARY}\n", 0u}};
  for (const auto& [text, warnings] : cases) {
    const DotenvFile file = parse(text, {{kDotenvCanary, "value"}});
    EXPECT_EQ(file.get("KEY").value_or("?").find("value"), std::string::npos) << text;
    ASSERT_EQ(file.warnings.size(), warnings) << text;
    for (const Error& warning : file.warnings) {
      EXPECT_EQ(warning.message().find("CANARY"), std::string::npos) << warning.message();
      EXPECT_EQ(warning.what, "not expanding ${...} from the environment");
    }
  }
}

TEST(Dotenv, ExpansionUsesTheLatestEarlierDuplicate) {
  const DotenvFile file = parse("X=1\nX=2\nY=${X}\n");
  EXPECT_EQ(file.get("Y"), "2");
}

TEST(Dotenv, ExpandedValuesAreNotExpandedAgain) {
  EXPECT_EQ(
      value_of("KEY=${A_API_KEY}\n", "KEY", {{"A_API_KEY", "${B_API_KEY}"}, {"B_API_KEY", "no"}}),
      "${B_API_KEY}");
}

TEST(Dotenv, NamesMayHaveDotsAndDashes) {
  EXPECT_EQ(value_of("my.app-key=v\n", "my.app-key"), "v");
  EXPECT_EQ(value_of("_PRIVATE=v\n", "_PRIVATE"), "v");
  EXPECT_EQ(value_of("'QUOTED'=v\n", "QUOTED"), "v");
}

TEST(Dotenv, LaterDuplicateWins) {
  const DotenvFile file = parse("KEY=first\nKEY=second\n");
  EXPECT_EQ(file.get("KEY"), "second");
  EXPECT_EQ(file.entries.size(), 2u);
  EXPECT_EQ(file.get("OTHER"), std::nullopt);
}

TEST(Dotenv, LineEndingsAndByteOrderMark) {
  const DotenvFile crlf = parse("A=1\r\nB=\"x\"\r\n\r\nC=3\r\n");
  EXPECT_TRUE(crlf.warnings.empty());
  EXPECT_EQ(crlf.get("A"), "1");
  EXPECT_EQ(crlf.get("B"), "x");
  ASSERT_EQ(crlf.entries.size(), 3u);
  EXPECT_EQ(crlf.entries[2].line, 4);

  const DotenvFile cr = parse("A=1\rB=2\r");
  EXPECT_EQ(cr.get("B"), "2");
  EXPECT_EQ(cr.entries.at(1).line, 2);

  EXPECT_EQ(value_of("\xEF\xBB\xBFKEY=v\n", "KEY"), "v");
  EXPECT_EQ(value_of("KEY=v", "KEY"), "v") << "no final newline";
}

TEST(Dotenv, NothingIsExecuted) {
  EXPECT_EQ(value_of("KEY=$(touch /tmp/x)\n", "KEY"), "$(touch /tmp/x)");
  EXPECT_EQ(value_of("KEY=`id`\n", "KEY"), "`id`");
  EXPECT_EQ(value_of("KEY=\"$(id)\"\n", "KEY"), "$(id)");
}

TEST(Dotenv, FixtureWithEveryForm) {
  Result<DotenvFile> file = load_dotenv(kDotenvFixtures / "valid.env", environment_from({}));
  ASSERT_TRUE(file.ok()) << file.error().message();
  for (const Error& warning : file->warnings) ADD_FAILURE() << warning.message();
  const std::map<std::string, std::string> expected{
      {"PLAIN", "overridden-later"},
      {"EXPORTED", "exported-value"},
      {"INDENTED", "indented-value"},
      {"SPACED", "spaced-value"},
      {"UNQUOTED_COMMENT", "value-before-comment"},
      {"HASH_INSIDE", "value#not-a-comment"},
      {"EMPTY", ""},
      {"EMPTY_WITH_COMMENT", ""},
      {"STARTS_WITH_HASH", "#hash-value"},
      {"SINGLE", "single ${PLAIN} \\n kept"},
      {"SINGLE_ESCAPES", "it's a back\\slash"},
      {"DOUBLE", "tab\there\nnew \"quoted\" back\\slash 'single'"},
      {"DOUBLE_EXPANDED", "plain-value-and-fallback"},
      {"UNQUOTED_EXPANDED", "plain-value/suffix"},
      {"QUOTED_COMMENT", "quoted value"},
      {"MULTI_LINE", "first line\nsecond line"},
      {"dotted.name-with-dash", "ok"},
      {"QUOTED_NAME", "quoted-name-value"},
  };
  for (const auto& [name, value] : expected) EXPECT_EQ(file->get(name), value) << name;
  EXPECT_EQ(file->entries.size(), expected.size() + 1) << "PLAIN appears twice";
}

// ---- malformed lines ------------------------------------------------------------------------

TEST(Dotenv, LineWithoutEqualsIsWarnedAndSkipped) {
  const Error warning = only_warning("A=1\nJUST_A_NAME\nB=2\n");
  EXPECT_EQ(warning.detail, "expected NAME=value but found no '='");
  EXPECT_EQ(warning.where, "test.env:2");
  EXPECT_EQ(parse("A=1\nJUST_A_NAME\nB=2\n").get("B"), "2");
  EXPECT_EQ(only_warning("this is not an assignment\n").detail,
            "expected NAME=value but found no '='");
  EXPECT_EQ(only_warning("export KEY\n").detail, "expected NAME=value but found no '='");
}

TEST(Dotenv, MissingNameIsWarned) {
  EXPECT_EQ(only_warning("=value\n").detail, "the line has no variable name");
  EXPECT_EQ(only_warning("export =value\n").detail, "the line has no variable name");
  EXPECT_EQ(only_warning("'UNCLOSED=value\n").detail, "the variable name has no closing quote");
}

TEST(Dotenv, InvalidNameIsWarned) {
  const std::string why =
      "invalid variable name; names are letters, digits, '_', '.' and '-', not starting with a "
      "digit";
  EXPECT_EQ(only_warning("1KEY=value\n").detail, why);
  EXPECT_EQ(only_warning("KEY$=value\n").detail, why);
  EXPECT_EQ(only_warning("-KEY=value\n").detail, why);
  EXPECT_EQ(only_warning("K\xC3\xA9Y=value\n").detail, why);
}

TEST(Dotenv, InvalidNameWithAMultiLineValueSkipsTheWholeValue) {
  const DotenvFile file = parse("1BAD=\"one\ntwo\"\nGOOD=yes\n");
  ASSERT_EQ(file.warnings.size(), 1u);
  EXPECT_EQ(file.warnings[0].where, "test.env:1");
  EXPECT_EQ(file.get("GOOD"), "yes");
}

TEST(Dotenv, UnterminatedQuoteSkipsOnlyItsLine) {
  const DotenvFile file = parse("A='unterminated\nB=2\nC=\"also\nD=4\n");
  ASSERT_EQ(file.warnings.size(), 2u);
  EXPECT_EQ(file.warnings[0].detail, "the value of A has no closing quote");
  EXPECT_EQ(file.warnings[0].where, "test.env:1");
  EXPECT_EQ(file.warnings[1].detail, "the value of C has no closing quote");
  EXPECT_EQ(file.warnings[1].where, "test.env:3");
  EXPECT_EQ(file.get("B"), "2");
  EXPECT_EQ(file.get("D"), "4");
  EXPECT_EQ(file.get("A"), std::nullopt);
}

TEST(Dotenv, GarbageAfterTheClosingQuoteIsWarned) {
  const Error warning = only_warning("X=1\nKEY=\"value\" trailing\n");
  EXPECT_EQ(warning.detail, "unexpected text after the closing quote of KEY");
  EXPECT_EQ(warning.where, "test.env:2");
  EXPECT_EQ(only_warning("KEY='value'x\n").detail,
            "unexpected text after the closing quote of KEY");
  // The rest of the line with the closing quote is skipped, not the following line.
  const DotenvFile file = parse("A=\"one\ntwo\" junk\nB=ok\n");
  ASSERT_EQ(file.warnings.size(), 1u);
  EXPECT_EQ(file.warnings[0].where, "test.env:1");
  EXPECT_EQ(file.get("B"), "ok");
}

TEST(Dotenv, EscapedQuotesDoNotCloseTheValue) {
  const DotenvFile file = parse("A=\"x\\\"\nB=1\n");
  ASSERT_EQ(file.warnings.size(), 1u) << "\\\" does not close, so the value never closes";
  EXPECT_EQ(file.get("B"), "1");
}

TEST(Dotenv, WarningsNameTheFileAndLine) {
  Result<DotenvFile> file = load_dotenv(kDotenvFixtures / "malformed.env", environment_from({}));
  ASSERT_TRUE(file.ok()) << file.error().message();
  const std::string name = (kDotenvFixtures / "malformed.env").string();
  std::vector<std::string> where;
  for (const Error& warning : file->warnings) where.push_back(warning.where);
  EXPECT_EQ(where, (std::vector<std::string>{name + ":2", name + ":3", name + ":4", name + ":5",
                                             name + ":6", name + ":7", name + ":8"}));
  EXPECT_EQ(file->get("GOOD_BEFORE"), "good-before");
  EXPECT_EQ(file->get("GOOD_AFTER"), "good-after");
  EXPECT_EQ(file->entries.size(), 2u);
}

TEST(Dotenv, NamesAreQuotedOnlyWhenValidatedAndUpperCase) {
  // A key pasted at the start of a line looks like a name: sk-live-...=' must not print it.
  for (const std::string& text :
       {"sk-live-" + kDotenvCanary + "='\n", "sk-live-" + kDotenvCanary + "=\"unclosed\n",
        "sk_live_" + kDotenvCanary + "='\n", "sk-live-" + kDotenvCanary + "=\"x\" trailing\n",
        "sk-live-" + kDotenvCanary + " = 'x' y\n", "1sk-" + kDotenvCanary + "='\n",
        "sk." + kDotenvCanary + "='\n", "export sk-" + kDotenvCanary + "='\n",
        "'sk-" + kDotenvCanary + "'='\n"}) {
    const DotenvFile file = parse(text);
    ASSERT_EQ(file.warnings.size(), 1u) << text;
    EXPECT_EQ(file.warnings[0].message().find("CANARY"), std::string::npos)
        << file.warnings[0].message();
    EXPECT_EQ(file.warnings[0].message().find("sk"), std::string::npos)
        << file.warnings[0].message();
  }
  EXPECT_EQ(only_warning("sk-live-" + kDotenvCanary + "='\n").detail,
            "the value of the variable has no closing quote");
  EXPECT_EQ(only_warning("sk_live_" + kDotenvCanary + "=\"x\" trailing\n").detail,
            "unexpected text after the closing quote of the variable");
  EXPECT_EQ(only_warning("1sk-" + kDotenvCanary + "='\n").detail,
            "invalid variable name; names are letters, digits, '_', '.' and '-', not starting "
            "with a digit")
      << "an invalid name is reported as such, before anything about its value";
  EXPECT_EQ(only_warning("OPENAI_API_KEY='\n").detail,
            "the value of OPENAI_API_KEY has no closing quote");
  // Still parsed as entries when well formed; only the warnings keep quiet about them.
  EXPECT_EQ(value_of("sk-live-abc=v\n", "sk-live-abc"), "v");
}

TEST(Dotenv, WarningsNeverContainTheLineValue) {
  Result<DotenvFile> file = load_dotenv(kDotenvFixtures / "malformed.env", environment_from({}));
  ASSERT_TRUE(file.ok());
  ASSERT_EQ(file->warnings.size(), 7u);
  for (const Error& warning : file->warnings) {
    EXPECT_EQ(warning.message().find("CANARY"), std::string::npos) << warning.message();
  }
  // The same for every kind of malformed line given inline, the canary as value or alone.
  for (const std::string& text :
       {kDotenvCanary + "\n", "KEY='" + kDotenvCanary + "\n",
        "KEY=\"" + kDotenvCanary + "\" " + kDotenvCanary + "\n", "=" + kDotenvCanary + "\n",
        "1KEY=" + kDotenvCanary + "\n", "KEY " + kDotenvCanary + "\n",
        "export =" + kDotenvCanary + "\n", "'" + kDotenvCanary + "\n",
        "BAD$NAME=\"" + kDotenvCanary + "\"\n"}) {
    const DotenvFile parsed = parse(text);
    ASSERT_EQ(parsed.warnings.size(), 1u) << text;
    EXPECT_EQ(parsed.warnings[0].message().find("CANARY"), std::string::npos)
        << parsed.warnings[0].message();
  }
}

// ---- reading files --------------------------------------------------------------------------

TEST(Dotenv, MissingFileIsAnErrorNamingIt) {
  Result<DotenvFile> file = load_dotenv("/nonexistent/dir/keys.env", environment_from({}));
  ASSERT_FALSE(file.ok());
  EXPECT_EQ(file.error().what, "cannot read env file");
  EXPECT_EQ(file.error().detail, "No such file or directory");
  EXPECT_EQ(file.error().where, "/nonexistent/dir/keys.env");
}

TEST(Dotenv, DirectoryIsAnErrorNamingIt) {
  testing::TempDir dir;
  Result<DotenvFile> file = load_dotenv(dir.path(), environment_from({}));
  ASSERT_FALSE(file.ok());
  EXPECT_EQ(file.error().detail, "it is a directory, not a regular file");
  EXPECT_EQ(file.error().where, dir.path().string());
}

TEST(Dotenv, NamedDevNullReadsAsEmptyFoundDevNullIsRefused) {
  Result<DotenvFile> named = load_dotenv("/dev/null", environment_from({}), DotenvOrigin::named);
  ASSERT_TRUE(named.ok()) << named.error().message();
  EXPECT_TRUE(named->entries.empty());
  Result<DotenvFile> found = load_dotenv("/dev/null", environment_from({}), DotenvOrigin::found);
  ASSERT_FALSE(found.ok());
  EXPECT_EQ(found.error().detail, "it is a character device, not a regular file");
}

TEST(Dotenv, AFifoOrADeviceIsRefusedAtOnceNamedOrNot) {
  testing::TempDir dir;
  ASSERT_EQ(::mkfifo((dir / "fifo.env").c_str(), 0600), 0);
  std::filesystem::create_symlink("/dev/zero", dir / "zero.env");
  for (const DotenvOrigin origin : {DotenvOrigin::named, DotenvOrigin::found}) {
    // A blocking open would hang here; the reader opens with O_NONBLOCK.
    Result<DotenvFile> fifo = load_dotenv(dir / "fifo.env", environment_from({}), origin);
    ASSERT_FALSE(fifo.ok());
    EXPECT_EQ(fifo.error().message(), "cannot read env file: it is a FIFO, not a regular file (" +
                                          (dir / "fifo.env").string() + ")");
  }
  Result<DotenvFile> named = load_dotenv(dir / "zero.env", environment_from({}));
  ASSERT_FALSE(named.ok());
  EXPECT_EQ(named.error().detail, "it is a character device, not a regular file");
  Result<DotenvFile> found =
      load_dotenv(dir / "zero.env", environment_from({}), DotenvOrigin::found);
  ASSERT_FALSE(found.ok());
  EXPECT_EQ(found.error().detail, "it is a symbolic link, which is not followed here");
}

TEST(Dotenv, ASymlinkIsFollowedOnlyWhenNamed) {
  testing::TempDir dir;
  testing::write_text(dir / "real.env", "OPENAI_API_KEY=from-the-target\n");
  std::filesystem::create_symlink(dir / "real.env", dir / ".env");
  Result<DotenvFile> named = load_dotenv(dir / ".env", environment_from({}));
  ASSERT_TRUE(named.ok()) << named.error().message();
  EXPECT_EQ(named->get("OPENAI_API_KEY"), "from-the-target");
  Result<DotenvFile> found = load_dotenv(dir / ".env", environment_from({}), DotenvOrigin::found);
  ASSERT_FALSE(found.ok());
  EXPECT_EQ(found.error().where, (dir / ".env").string());
}

TEST(Dotenv, AFileOverOneMiBIsRefused) {
  testing::TempDir dir;
  std::string text = "OPENAI_API_KEY=x\n";
  text += std::string(1024 * 1024 + 1 - text.size(), '#');
  testing::write_text(dir / "big.env", text);
  Result<DotenvFile> big = load_dotenv(dir / "big.env", environment_from({}));
  ASSERT_FALSE(big.ok());
  EXPECT_EQ(big.error().detail, "it is larger than 1 MiB, the cap for a .env file");
  text.pop_back();
  testing::write_text(dir / "big.env", text);
  EXPECT_TRUE(load_dotenv(dir / "big.env", environment_from({})).ok()) << "exactly 1 MiB is fine";
}

TEST(Dotenv, AFoundFileExpandsOnlyItsOwnEarlierEntries) {
  // A ./.env nobody named must not hand one provider's key to another:
  // OPENAI_API_KEY=${SENDGRID_API_KEY} would send the SendGrid key to OpenAI.
  const std::map<std::string, std::string> env{{"SENDGRID_API_KEY", kDotenvCanary},
                                               {"OPENAI_API_KEY", kDotenvCanary + "-openai"}};
  const std::string text =
      "OPENAI_API_KEY=${SENDGRID_API_KEY}\nBASE=own\nGOOGLE_API_KEY=\"${BASE}-${OPENAI_API_KEY}\"\n"
      "X=${SENDGRID_API_KEY:-fallback}\nY=${UNSET_API_KEY:-unset}\n";
  const DotenvFile found = parse_dotenv(text, ".env", environment_from(env), DotenvOrigin::found);
  EXPECT_EQ(found.get("OPENAI_API_KEY"), "");
  EXPECT_EQ(found.get("GOOGLE_API_KEY"), "own-") << "earlier entries, never the environment";
  EXPECT_EQ(found.get("X"), "fallback");
  EXPECT_EQ(found.get("Y"), "unset");
  ASSERT_EQ(found.warnings.size(), 2u);
  EXPECT_EQ(found.warnings[0].message(),
            "not expanding ${SENDGRID_API_KEY} from the environment: a .env file that was not "
            "named (--env-file or env_file) sees only its own earlier entries; it gets its "
            ":-default or nothing (.env:1)");
  EXPECT_EQ(found.warnings[1].where, ".env:4");
  for (const DotenvEntry& entry : found.entries) {
    EXPECT_EQ(entry.value.find("CANARY"), std::string::npos) << entry.name;
  }
  for (const Error& warning : found.warnings) {
    EXPECT_EQ(warning.message().find("CANARY"), std::string::npos) << warning.message();
  }
  // A file the user named keeps the API key variables of the environment.
  const DotenvFile named = parse_dotenv(text, "keys.env", environment_from(env));
  EXPECT_EQ(named.get("OPENAI_API_KEY"), kDotenvCanary);
  EXPECT_TRUE(named.warnings.empty());
}

TEST(Dotenv, LoadUsesTheEnvironmentForExpansion) {
  testing::TempDir dir;
  testing::write_text(dir / "x.env", "KEY=${PREFIX_API_KEY}-key\n");
  Result<DotenvFile> file = load_dotenv(dir / "x.env", environment_from({{"PREFIX_API_KEY", "p"}}));
  ASSERT_TRUE(file.ok());
  EXPECT_EQ(file->get("KEY"), "p-key");
}

TEST(Dotenv, ExpansionCannotBlowUp) {
  // 30 lines of doubling would be 8 GiB; expanded values stop at 64 KiB.
  std::string text = "A0=xxxxxxxx\n";
  for (int i = 1; i < 30; ++i) {
    text += "A" + std::to_string(i) + "=${A" + std::to_string(i - 1) + "}${A" +
            std::to_string(i - 1) + "}\n";
  }
  const DotenvFile file = parse(text);
  EXPECT_EQ(file.get("A13").value_or("").size(), 64u * 1024);  // exactly the limit: kept
  EXPECT_FALSE(file.get("A14").has_value());
  ASSERT_EQ(file.warnings.size(), 1u);
  EXPECT_EQ(file.warnings[0].where, "test.env:15");
  EXPECT_NE(file.warnings[0].detail.find("A14 is longer than 64 KiB"), std::string::npos);
  EXPECT_EQ(file.get("A29"), "") << "A14 is unset, so what refers to it is empty";
  // Variables from the environment count too.
  const DotenvFile from_env =
      parse("K=${BIG_API_KEY}${BIG_API_KEY}\n", {{"BIG_API_KEY", std::string(40 * 1024, 'b')}});
  EXPECT_FALSE(from_env.get("K").has_value());
  EXPECT_EQ(from_env.warnings.size(), 1u);
}

}  // namespace
}  // namespace devops_monitor
