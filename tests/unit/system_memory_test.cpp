// parse_meminfo, read_meminfo, the zoneinfo estimate for old kernels, and memory_percent.
#include "system/memory.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "support/fixtures.hpp"
#include "system/procfs.hpp"

namespace devops_monitor {
namespace {

constexpr std::uint64_t kKiB = 1024;

std::string meminfo_path(const std::string& scenario) {
  return (testing::kProcfsFixtures / scenario / "meminfo").string();
}

std::string fixture_text(const std::string& scenario, const std::string& name) {
  Result<std::string> text = read_procfs_file(testing::kProcfsFixtures / scenario, name);
  EXPECT_TRUE(text.ok()) << text.error().message();
  return text.ok() ? *text : std::string();
}

// --- parsing ---------------------------------------------------------------------------

TEST(MemoryParse, ModernKernelUsesMemAvailable) {
  Result<MemoryInfo> memory = read_meminfo(testing::kProcfsFixtures / "live-sample");
  ASSERT_TRUE(memory.ok()) << memory.error().message();
  EXPECT_EQ(memory->total_bytes, 24683620 * kKiB);
  EXPECT_EQ(memory->available_bytes, 24453220 * kKiB);
  EXPECT_EQ(memory_percent(*memory), 0.9);
}

TEST(MemoryParse, ParsesTheFieldsPsutilUses) {
  Result<MeminfoFields> f =
      parse_meminfo_fields(fixture_text("pre-memavailable", "meminfo"), "meminfo");
  ASSERT_TRUE(f.ok()) << f.error().message();
  EXPECT_EQ(f->total, 8061012 * kKiB);
  EXPECT_EQ(f->free, 412300 * kKiB);
  EXPECT_FALSE(f->available.has_value());
  EXPECT_EQ(f->cached, 5120880 * kKiB);
  EXPECT_EQ(f->active_file, 2881892 * kKiB);
  EXPECT_EQ(f->inactive_file, 2426220 * kKiB);
  EXPECT_EQ(f->slab_reclaimable, 498812 * kKiB);
  EXPECT_TRUE(wants_zoneinfo(*f));
}

TEST(MemoryParse, OldKernelWithoutMemAvailableUsesFreePlusCached) {
  // 2.6.18 has no Active(file) either, so psutil falls back to MemFree + Cached. Buffers are
  // not included (psutil's rule): with them the answer would be 22.7, not 27.8.
  Result<MemoryInfo> memory = read_meminfo(testing::kProcfsFixtures / "old-kernel");
  ASSERT_TRUE(memory.ok()) << memory.error().message();
  EXPECT_EQ(memory->total_bytes, 4046844 * kKiB);
  EXPECT_EQ(memory->available_bytes, (512380 + 2410236) * kKiB);
  EXPECT_EQ(memory_percent(*memory), 27.8);
}

TEST(MemoryParse, PreMemAvailableKernelEstimatesFromZoneWatermarks) {
  Result<MeminfoFields> f =
      parse_meminfo_fields(fixture_text("pre-memavailable", "meminfo"), "meminfo");
  ASSERT_TRUE(f.ok()) << f.error().message();
  // Low watermarks 6 + 1812 + 3345 pages of 4 KiB = 21147648 bytes (W). Page cache and
  // reclaimable slab are each more than 2W, so each loses W:
  //   (412300 KiB free - W) + (5308112 KiB page cache - W) + (498812 KiB slab - W)
  const std::uint64_t w = 5163 * 4096;
  const std::uint64_t expected = (412300 + 5308112 + 498812) * kKiB - 3 * w;
  Result<MemoryInfo> memory = memory_info_from_fields(*f, w, "meminfo");
  ASSERT_TRUE(memory.ok()) << memory.error().message();
  EXPECT_EQ(memory->available_bytes, expected);
  EXPECT_EQ(memory->available_bytes, 6305042432u);
  EXPECT_EQ(memory_percent(*memory), 23.6);
}

TEST(MemoryParse, ReadMeminfoUsesTheZoneinfoNextToIt) {
  Result<MemoryInfo> memory = read_meminfo(testing::kProcfsFixtures / "pre-memavailable");
  ASSERT_TRUE(memory.ok()) << memory.error().message();
  const auto page = static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE));
  const std::uint64_t w = 5163 * page;
  EXPECT_EQ(memory->available_bytes, (412300 + 5308112 + 498812) * kKiB - 3 * w);
}

TEST(MemoryParse, WithoutZoneinfoTheEstimateFallsBackToFreePlusCached) {
  // parse_meminfo sees no zoneinfo: psutil's answer when /proc/zoneinfo cannot be opened.
  Result<MemoryInfo> memory =
      parse_meminfo(fixture_text("pre-memavailable", "meminfo"), meminfo_path("x"));
  ASSERT_TRUE(memory.ok()) << memory.error().message();
  EXPECT_EQ(memory->available_bytes, (412300 + 5120880) * kKiB);
}

TEST(MemoryParse, NegativeEstimateIsZero) {
  MeminfoFields f;
  f.total = 1000 * kKiB;
  f.free = 10 * kKiB;
  f.active_file = 0;
  f.inactive_file = 0;
  f.slab_reclaimable = 0;
  Result<MemoryInfo> memory = memory_info_from_fields(f, 500 * kKiB, "meminfo");
  ASSERT_TRUE(memory.ok()) << memory.error().message();
  EXPECT_EQ(memory->available_bytes, 0u);
  EXPECT_EQ(memory_percent(*memory), 100.0);
}

TEST(MemoryParse, AvailableAboveTotalFallsBackToMemFree) {
  // Some containers report the host's MemAvailable against their own MemTotal.
  Result<MemoryInfo> memory =
      parse_meminfo("MemTotal: 1000 kB\nMemFree: 250 kB\nMemAvailable: 5000 kB\n", "/proc/meminfo");
  ASSERT_TRUE(memory.ok()) << memory.error().message();
  EXPECT_EQ(memory->available_bytes, 250 * kKiB);
  EXPECT_EQ(memory_percent(*memory), 75.0);
}

TEST(MemoryParse, FreeAboveTotalTooIsAnError) {
  Result<MemoryInfo> memory = parse_meminfo(
      "MemTotal: 1000 kB\nMemFree: 2000 kB\nMemAvailable: 5000 kB\n", "/proc/meminfo");
  ASSERT_FALSE(memory.ok());
  EXPECT_EQ(memory.error().what, "meminfo reports more available memory than total memory");
  EXPECT_EQ(memory.error().where, "/proc/meminfo");
}

TEST(MemoryParse, IgnoresLinesItDoesNotUse) {
  Result<MemoryInfo> memory = parse_meminfo(
      "MemTotal: 1000 kB\nHugePages_Total:       0\nFutureThing: ??? MB\nMemAvailable: 600 kB\n",
      "/proc/meminfo");
  ASSERT_TRUE(memory.ok()) << memory.error().message();
  EXPECT_EQ(memory_percent(*memory), 40.0);
}

TEST(MemoryParse, MissingMemTotalIsAnErrorNamingTheFile) {
  Result<MemoryInfo> memory = read_meminfo(testing::kProcfsFixtures / "truncated");
  ASSERT_FALSE(memory.ok());
  EXPECT_EQ(memory.error().what, "meminfo has no MemTotal: line");
  EXPECT_EQ(memory.error().where, meminfo_path("truncated"));
}

TEST(MemoryParse, ZeroMemTotalIsAnError) {
  Result<MemoryInfo> memory = parse_meminfo("MemTotal: 0 kB\nMemAvailable: 0 kB\n", "/m");
  ASSERT_FALSE(memory.ok());
  EXPECT_EQ(memory.error().what, "meminfo reports MemTotal of 0");
  EXPECT_EQ(memory.error().where, "/m");
}

TEST(MemoryParse, MalformedMemTotalIsAnErrorNamingTheLine) {
  Result<MemoryInfo> memory = parse_meminfo("MemFree: 1 kB\nMemTotal: 12x kB\n", "/m");
  ASSERT_FALSE(memory.ok());
  EXPECT_EQ(memory.error().what, "invalid meminfo value");
  EXPECT_EQ(memory.error().detail, "MemTotal: '12x' is not a non-negative integer");
  EXPECT_EQ(memory.error().where, "/m:2");
}

TEST(MemoryParse, UnexpectedUnitIsAnError) {
  Result<MemoryInfo> memory = parse_meminfo("MemTotal: 12 MB\n", "/m");
  ASSERT_FALSE(memory.ok());
  EXPECT_EQ(memory.error().what, "invalid meminfo line");
  EXPECT_EQ(memory.error().where, "/m:1");
}

TEST(MemoryParse, ValueTooLargeForBytesIsAnError) {
  Result<MemoryInfo> memory = parse_meminfo("MemTotal: 18446744073709551615 kB\n", "/m");
  ASSERT_FALSE(memory.ok());
  EXPECT_EQ(memory.error().detail, "MemTotal: is too large to count in bytes");
}

TEST(MemoryParse, MalformedFixtureIsAnErrorNamingTheFileAndLine) {
  Result<MemoryInfo> memory = read_meminfo(testing::kProcfsFixtures / "malformed");
  ASSERT_FALSE(memory.ok());
  EXPECT_EQ(memory.error().detail, "MemAvailable: 'unknown' is not a non-negative integer");
  EXPECT_EQ(memory.error().where, meminfo_path("malformed") + ":3");
}

TEST(MemoryParse, EmptyAndCutFilesAreErrors) {
  EXPECT_EQ(parse_meminfo("", "/m").error().what, "procfs file is empty");
  Result<MemoryInfo> cut = parse_meminfo("MemTotal: 1000 kB\nMemAvailable: 12", "/m");
  ASSERT_FALSE(cut.ok());
  EXPECT_EQ(cut.error().what, "procfs file is truncated");
  EXPECT_EQ(cut.error().where, "/m");
}

TEST(MemoryParse, FallbackWithoutMemFreeIsAnError) {
  Result<MemoryInfo> memory = parse_meminfo("MemTotal: 1000 kB\nCached: 10 kB\n", "/m");
  ASSERT_FALSE(memory.ok());
  EXPECT_EQ(memory.error().what, "meminfo has no MemFree: line");
  EXPECT_EQ(memory.error().where, "/m");
}

TEST(MemoryParse, MissingProcfsIsAReadError) {
  Result<MemoryInfo> memory = read_meminfo(testing::kProcfsFixtures / "no-such-scenario");
  ASSERT_FALSE(memory.ok());
  EXPECT_EQ(memory.error().what, "cannot read procfs file");
  EXPECT_EQ(memory.error().where, meminfo_path("no-such-scenario"));
}

TEST(MemoryParse, ReadsTheLiveMeminfo) {
  Result<MemoryInfo> memory = read_meminfo("/proc");
  ASSERT_TRUE(memory.ok()) << memory.error().message();
  EXPECT_GT(memory->total_bytes, 0u);
  EXPECT_LE(memory->available_bytes, memory->total_bytes);
}

// --- zoneinfo --------------------------------------------------------------------------

TEST(MemoryZoneinfo, SumsTheLowWatermarksOfAllZones) {
  Result<std::uint64_t> pages =
      parse_zoneinfo_low_pages(fixture_text("pre-memavailable", "zoneinfo"), "zoneinfo");
  ASSERT_TRUE(pages.ok()) << pages.error().message();
  EXPECT_EQ(*pages, 6u + 1812u + 3345u);
}

TEST(MemoryZoneinfo, MalformedWatermarkIsAnErrorNamingTheLine) {
  Result<std::uint64_t> pages =
      parse_zoneinfo_low_pages("Node 0, zone DMA\n        low      x\n", "/proc/zoneinfo");
  ASSERT_FALSE(pages.ok());
  EXPECT_EQ(pages.error().what, "invalid zoneinfo watermark");
  EXPECT_EQ(pages.error().where, "/proc/zoneinfo:2");
}

TEST(MemoryZoneinfo, NoWatermarksIsAnError) {
  Result<std::uint64_t> pages = parse_zoneinfo_low_pages("Node 0, zone DMA\n", "/proc/zoneinfo");
  ASSERT_FALSE(pages.ok());
  EXPECT_EQ(pages.error().where, "/proc/zoneinfo");
}

TEST(MemoryZoneinfo, OnlyWantedWithoutMemAvailable) {
  MeminfoFields f;
  f.active_file = f.inactive_file = f.slab_reclaimable = 1;
  EXPECT_TRUE(wants_zoneinfo(f));
  f.available = 1;
  EXPECT_FALSE(wants_zoneinfo(f));
  f.available.reset();
  f.slab_reclaimable.reset();
  EXPECT_FALSE(wants_zoneinfo(f));
}

// --- memory_percent --------------------------------------------------------------------

TEST(MemoryPercent, UsedShareOfTotalWithOneDecimal) {
  EXPECT_EQ(memory_percent({.total_bytes = 3000, .available_bytes = 2000}), 33.3);
  EXPECT_EQ(memory_percent({.total_bytes = 3000, .available_bytes = 1000}), 66.7);
  EXPECT_EQ(memory_percent({.total_bytes = 3000, .available_bytes = 3000}), 0.0);
  EXPECT_EQ(memory_percent({.total_bytes = 3000, .available_bytes = 0}), 100.0);
}

TEST(MemoryPercent, ZeroTotalIsZeroAsInPsutil) {
  EXPECT_EQ(memory_percent({.total_bytes = 0, .available_bytes = 0}), 0.0);
}

}  // namespace
}  // namespace devops_monitor
