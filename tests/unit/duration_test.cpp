#include "devops_monitor/duration.hpp"

#include <gtest/gtest.h>

#include <string>

namespace devops_monitor {
namespace {

using std::chrono::milliseconds;

milliseconds parsed(const std::string& text) {
  Result<Milliseconds> value = parse_duration(text);
  EXPECT_TRUE(value.ok()) << text << ": " << value.error().message();
  return value.ok() ? *value : milliseconds(-1);
}

/// The refusal for `text`; fails the test when `text` is accepted.
Error refused_duration(const std::string& text) {
  Result<Milliseconds> value = parse_duration(text);
  EXPECT_FALSE(value.ok()) << text << " was accepted as " << (value.ok() ? value->count() : 0)
                           << "ms";
  return value.ok() ? Error{} : value.error();
}

TEST(Duration, SingleUnits) {
  EXPECT_EQ(parsed("500ms"), milliseconds(500));
  EXPECT_EQ(parsed("1s"), milliseconds(1000));
  EXPECT_EQ(parsed("5m"), milliseconds(300000));
  EXPECT_EQ(parsed("2h"), milliseconds(7200000));
  EXPECT_EQ(parsed("7d"), milliseconds(7LL * 86400000));
  EXPECT_EQ(parsed("0s"), milliseconds(0));
  EXPECT_EQ(parsed("007s"), milliseconds(7000));
}

TEST(Duration, CompoundPartsAddUpLargestFirst) {
  EXPECT_EQ(parsed("1h30m"), milliseconds(5400000));
  EXPECT_EQ(parsed("1m30s"), milliseconds(90000));
  EXPECT_EQ(parsed("1s500ms"), milliseconds(1500));
  EXPECT_EQ(parsed("1h2m3s4ms"), milliseconds(3723004));
  EXPECT_EQ(parsed("1d12h"), milliseconds(36LL * 3600000));
  EXPECT_EQ(parsed("1d2h3m4s5ms"), milliseconds(93784005));
  EXPECT_EQ(refused_duration("30s1m").detail,
            "\"30s1m\" has its units out of order; write the largest first, like \"1h30m\"");
  EXPECT_EQ(refused_duration("1h1h").detail,
            "\"1h1h\" has its units out of order; write the largest first, like \"1h30m\"");
}

TEST(Duration, DecimalsAreExact) {
  EXPECT_EQ(parsed("1.5s"), milliseconds(1500));
  EXPECT_EQ(parsed("0.1s"), milliseconds(100));
  EXPECT_EQ(parsed("0.25m"), milliseconds(15000));
  EXPECT_EQ(parsed("1.5h"), milliseconds(5400000));
  EXPECT_EQ(parsed("0.5d"), milliseconds(43200000));
  EXPECT_EQ(parsed("1.000s"), milliseconds(1000));
  EXPECT_EQ(parsed("2.0ms"), milliseconds(2));
  EXPECT_EQ(parsed("0.0000025h"), milliseconds(9)) << "seven decimals of an hour can be whole";
  EXPECT_EQ(parsed("1.500000000000000000000s"), milliseconds(1500))
      << "trailing zeros are not sub-millisecond precision";
}

constexpr const char* kHowToWrite =
    "write a number and a unit (ms, s, m, h, d), like \"10s\" or \"1h30m\"";

TEST(Duration, EmptyIsRefused) {
  const Error error = refused_duration("");
  EXPECT_EQ(error.what, "invalid duration");
  EXPECT_EQ(error.detail, std::string("\"\" is empty; ") + kHowToWrite);
  EXPECT_EQ(error.where, "") << "the caller names the flag or file position";
}

TEST(Duration, BareNumberIsRefusedNamingTheUnits) {
  EXPECT_EQ(refused_duration("10").detail, std::string("\"10\" has no unit; ") + kHowToWrite);
  EXPECT_EQ(refused_duration("0").detail, std::string("\"0\" has no unit; ") + kHowToWrite);
  EXPECT_EQ(refused_duration("1.5").detail, std::string("\"1.5\" has no unit; ") + kHowToWrite);
  EXPECT_EQ(refused_duration("1h30").detail, "\"1h30\" has no unit after \"30\"");
}

TEST(Duration, NegativeIsRefused) {
  EXPECT_EQ(refused_duration("-5s").detail, "\"-5s\" is negative");
  EXPECT_EQ(refused_duration("-0s").detail, "\"-0s\" is negative");
}

TEST(Duration, UnknownUnitsAreRefused) {
  EXPECT_EQ(refused_duration("5x").detail, "\"5x\" has unknown unit \"x\"; use ms, s, m, h or d");
  EXPECT_EQ(refused_duration("5sec").detail,
            "\"5sec\" has unknown unit \"sec\"; use ms, s, m, h or d");
  EXPECT_EQ(refused_duration("5S").detail, "\"5S\" has unknown unit \"S\"; use ms, s, m, h or d");
  EXPECT_EQ(refused_duration("1w").detail, "\"1w\" has unknown unit \"w\"; use ms, s, m, h or d");
  EXPECT_EQ(refused_duration("5us").detail,
            "\"5us\" has unknown unit \"us\"; use ms, s, m, h or d");
  EXPECT_EQ(refused_duration("5\xC2\xB5s").detail,
            "\"5\xC2\xB5s\" has unknown unit \"\xC2\xB5s\"; use ms, s, m, h or d");
  EXPECT_EQ(refused_duration("1hx").detail,
            "\"1hx\" has unknown unit \"hx\"; use ms, s, m, h or d");
}

TEST(Duration, OverflowIsRefused) {
  EXPECT_EQ(refused_duration("9223372036854775808ms").detail,
            "\"9223372036854775808ms\" is too large");
  EXPECT_EQ(refused_duration("9999999999999999h").detail, "\"9999999999999999h\" is too large");
  EXPECT_EQ(refused_duration("99999999999999999999999999s").detail,
            "\"99999999999999999999999999s\" is too large");
  EXPECT_EQ(refused_duration("106751991167d7h12m55s808ms").detail,
            "\"106751991167d7h12m55s808ms\" is too large");
  EXPECT_EQ(parsed("106751991167d7h12m55s807ms"), milliseconds::max());
  EXPECT_EQ(refused_duration("2562047788015.5h").detail, "\"2562047788015.5h\" is too large");
  EXPECT_EQ(parsed("9223372036854775807ms"), milliseconds::max());
}

TEST(Duration, SubMillisecondRemaindersAreRefused) {
  EXPECT_EQ(refused_duration("0.5ms").detail, "\"0.5ms\" is not a whole number of milliseconds");
  EXPECT_EQ(refused_duration("1.0005s").detail,
            "\"1.0005s\" is not a whole number of milliseconds");
  EXPECT_EQ(refused_duration("0.0000001h").detail,
            "\"0.0000001h\" is not a whole number of milliseconds");
  EXPECT_EQ(refused_duration("1.000000000000000000001s").detail,
            "\"1.000000000000000000001s\" is not a whole number of milliseconds");
  EXPECT_EQ(refused_duration("0.0000005h").detail,
            "\"0.0000005h\" is not a whole number of milliseconds");
}

TEST(Duration, MalformedTextIsRefused) {
  const std::string not_one = std::string(" is not a duration; ") + kHowToWrite;
  for (const char* text : {"1h 30m", " 5s", "5s ", "+5s", "1.5.5s", "abc", "s", ".5s", "1h-5m"}) {
    EXPECT_EQ(refused_duration(text).detail, "\"" + std::string(text) + "\"" + not_one) << text;
  }
  EXPECT_EQ(refused_duration("1.s").detail, "\"1.s\" needs digits after the decimal point");
}

TEST(Duration, ErrorsStayOnOneLine) {
  const Error error = refused_duration("5s\n10s");
  EXPECT_EQ(error.message().find('\n'), std::string::npos) << error.message();
  EXPECT_NE(error.detail.find("\"5s\\n10s\""), std::string::npos) << error.detail;
}

TEST(Duration, FormatSpellsWholePartsFromDaysDown) {
  EXPECT_EQ(format_duration(milliseconds(1500)), "1s500ms");
  EXPECT_EQ(format_duration(milliseconds(60000)), "1m");
  EXPECT_EQ(format_duration(milliseconds(250)), "250ms");
  EXPECT_EQ(format_duration(milliseconds(90000)), "1m30s");
  EXPECT_EQ(format_duration(milliseconds(3723000)), "1h2m3s");
  EXPECT_EQ(format_duration(milliseconds(1000)), "1s");
  EXPECT_EQ(format_duration(milliseconds(300000)), "5m");
  EXPECT_EQ(format_duration(milliseconds(3600000)), "1h");
  EXPECT_EQ(format_duration(milliseconds(5400000)), "1h30m");
  EXPECT_EQ(format_duration(milliseconds(7LL * 86400000)), "7d");
  EXPECT_EQ(format_duration(milliseconds(1)), "1ms");
  EXPECT_EQ(format_duration(milliseconds(0)), "0s");
  EXPECT_EQ(format_duration(milliseconds(-1500)), "-1s500ms");
  EXPECT_EQ(format_duration(milliseconds::min()), "-106751991167d7h12m55s808ms");
}

TEST(Duration, FormatRoundTripsThroughParse) {
  for (const long long ms :
       {1LL, 7LL, 99LL, 100LL, 999LL, 1001LL, 1500LL, 59999LL, 61000LL, 90000LL, 3599999LL,
        3723004LL, 5400000LL, 86400000LL, 123456789LL, 9223372036854775807LL}) {
    const std::string text = format_duration(milliseconds(ms));
    Result<Milliseconds> back = parse_duration(text);
    ASSERT_TRUE(back.ok()) << ms << " -> " << text << ": " << back.error().message();
    EXPECT_EQ(back->count(), ms) << text;
  }
}

}  // namespace
}  // namespace devops_monitor

namespace devops_monitor {
namespace {

TEST(DurationBetween, AcceptsTheRangeInclusiveAndNamesItOtherwise) {
  EXPECT_EQ(parse_duration_between("100ms", Milliseconds(100), Milliseconds(300000)).value(),
            Milliseconds(100));
  EXPECT_EQ(parse_duration_between("5m", Milliseconds(100), Milliseconds(300000)).value(),
            Milliseconds(300000));
  const Result<Milliseconds> long_one =
      parse_duration_between("10m", Milliseconds(100), Milliseconds(300000));
  ASSERT_FALSE(long_one.ok());
  EXPECT_EQ(long_one.error().what, "invalid duration");
  EXPECT_EQ(long_one.error().detail, "\"10m\" is outside 100ms to 5m");
  const Result<Milliseconds> bare =
      parse_duration_between("10", Milliseconds(100), Milliseconds(300000));
  ASSERT_FALSE(bare.ok());
  EXPECT_EQ(bare.error().detail, parse_duration("10").error().detail)
      << "syntax errors pass through";
}

}  // namespace
}  // namespace devops_monitor
