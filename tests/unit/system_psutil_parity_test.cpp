// Parity with psutil, which the Python script we replace used: the same procfs trees and
// statvfs numbers go through our collectors and through Debian's python3-psutil, and the
// numbers must be equal. /usr/bin/python3 is Debian's Python (the python3 on PATH may be
// another one without psutil).
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "support/fixtures.hpp"
#include "system/cpu.hpp"
#include "system/disk.hpp"
#include "system/memory.hpp"
#include "system/system_sample.hpp"

namespace devops_monitor {
namespace {

namespace fs = std::filesystem;

constexpr const char* kPython = "/usr/bin/python3";

// --- running psutil --------------------------------------------------------------------

std::string shell_quote(std::string_view text) {
  std::string quoted = "'";
  for (char c : text) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

struct PythonRun {
  bool ok = false;
  std::string output;  // stdout and stderr: the numbers, or a traceback to show
};

/// Runs `body` under /usr/bin/python3 with sys and psutil imported, psutil's warnings about
/// fields an old kernel lacks silenced, and `args` as sys.argv[1:].
PythonRun run_psutil(const std::string& body, const std::vector<std::string>& args = {}) {
  const std::string script =
      "import sys, warnings\nwarnings.simplefilter('ignore')\nimport psutil\n" + body;
  std::string command = std::string(kPython) + " -c " + shell_quote(script);
  for (const std::string& arg : args) command += " " + shell_quote(arg);
  command += " 2>&1";
  PythonRun run;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return run;
  std::array<char, 4096> buffer{};
  std::size_t n = 0;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) {
    run.output.append(buffer.data(), n);
  }
  const int status = ::pclose(pipe);
  run.ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
  return run;
}

/// The output's lines as numbers; Python prints floats with repr, which reads back exactly.
std::vector<double> numbers(const std::string& output) {
  std::vector<double> values;
  std::istringstream lines(output);
  for (std::string line; std::getline(lines, line);) {
    double value = 0;
    const auto [ptr, ec] = std::from_chars(line.data(), line.data() + line.size(), value);
    if (ec == std::errc{} && ptr == line.data() + line.size()) values.push_back(value);
  }
  return values;
}

/// psutil's answers for one script, or a test failure showing what Python printed.
std::vector<double> psutil_numbers(const std::string& body, const std::vector<std::string>& args,
                                   std::size_t expected_count) {
  const PythonRun run = run_psutil(body, args);
  std::vector<double> values = numbers(run.output);
  if (!run.ok || values.size() != expected_count) {
    ADD_FAILURE() << "psutil script failed or printed something unexpected:\n" << run.output;
    return std::vector<double>(expected_count, -1.0);
  }
  return values;
}

bool psutil_available() {
  static const bool available = run_psutil("print(psutil.__version__)").ok;
  return available;
}

// psutil's non-blocking cpu_percent compares with the reading its previous call stored. The
// first call here stores the reading of directory A; it is told to forget the reading taken
// at import time from the live /proc, which may have more counters than A (psutil asserts the
// field names match).
constexpr const char* kCpuPercentScript = R"(
psutil.PROCFS_PATH = sys.argv[1]
psutil._last_cpu_times = None
psutil.cpu_percent(None)
psutil.PROCFS_PATH = sys.argv[2]
print(repr(psutil.cpu_percent(None)))
)";

constexpr const char* kVirtualMemoryScript = R"(
psutil.PROCFS_PATH = sys.argv[1]
m = psutil.virtual_memory()
print(m.total)
print(m.available)
print(repr(m.percent))
)";

// psutil.disk_usage with os.statvfs replaced by the given numbers, so crafted cases go
// through psutil's own code.
constexpr const char* kDiskUsageScript = R"(
import os, types
blocks, bfree, bavail, frsize = (int(x) for x in sys.argv[1:5])
os.statvfs = lambda path: types.SimpleNamespace(
    f_blocks=blocks, f_bfree=bfree, f_bavail=bavail, f_frsize=frsize)
u = psutil.disk_usage("/")
print(u.total)
print(u.used)
print(u.free)
print(repr(u.percent))
)";

constexpr const char* kLiveDiskScript = R"(
u = psutil.disk_usage(sys.argv[1])
print(u.total)
print(repr(u.percent))
)";

// --- temporary procfs trees ------------------------------------------------------------

class ProcfsScratch {
 public:
  ProcfsScratch() {
    std::string pattern = (fs::temp_directory_path() / "devops-monitor-parity-XXXXXX").string();
    if (::mkdtemp(pattern.data()) != nullptr) path_ = pattern;
  }
  ProcfsScratch(const ProcfsScratch&) = delete;
  ProcfsScratch& operator=(const ProcfsScratch&) = delete;
  ~ProcfsScratch() {
    std::error_code ignored;
    if (!path_.empty()) fs::remove_all(path_, ignored);
  }
  [[nodiscard]] const fs::path& path() const { return path_; }

  /// Writes <this>/<dir>/<name> and returns <this>/<dir>.
  fs::path write(const std::string& dir, const std::string& name, const std::string& text) const {
    fs::create_directories(path_ / dir);
    std::ofstream(path_ / dir / name) << text;
    return path_ / dir;
  }

 private:
  fs::path path_;
};

std::string stat_text(const std::array<std::uint64_t, 10>& counters) {
  std::string line;
  for (std::uint64_t c : counters) line += " " + std::to_string(c);
  return "cpu " + line + "\ncpu0" + line + "\n";
}

void report(const std::string& what, double ours, double psutil) {
  std::cout << "[ parity   ] " << what << ": ours " << ours << ", psutil " << psutil << "\n";
}

class SystemPsutilParity : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!psutil_available()) {
      FAIL() << kPython
             << " cannot import psutil: install the Debian package python3-psutil (make test does)";
    }
  }

  static double our_cpu_percent(const fs::path& a, const fs::path& b) {
    Result<CpuStat> before = read_cpu_stat(a);
    Result<CpuStat> after = read_cpu_stat(b);
    EXPECT_TRUE(before.ok() && after.ok());
    if (!before.ok() || !after.ok()) return -1;
    Result<double> percent = cpu_busy_percent(before->total, after->total, (b / "stat").string());
    EXPECT_TRUE(percent.ok()) << percent.error().message();
    return percent.ok() ? *percent : -1;
  }

  static double psutil_cpu_percent(const fs::path& a, const fs::path& b) {
    return psutil_numbers(kCpuPercentScript, {a.string(), b.string()}, 1)[0];
  }

  static void expect_same_memory(const fs::path& procfs) {
    Result<MemoryInfo> memory = read_meminfo(procfs);
    ASSERT_TRUE(memory.ok()) << memory.error().message();
    const std::vector<double> ps = psutil_numbers(kVirtualMemoryScript, {procfs.string()}, 3);
    const double ours = memory_percent(*memory);
    report("memory " + procfs.filename().string(), ours, ps[2]);
    EXPECT_EQ(static_cast<double>(memory->total_bytes), ps[0]) << procfs;
    EXPECT_EQ(static_cast<double>(memory->available_bytes), ps[1]) << procfs;
    EXPECT_EQ(ours, ps[2]) << procfs;
  }
};

// --- CPU -------------------------------------------------------------------------------

TEST_F(SystemPsutilParity, CpuPercentOfEveryFixturePair) {
  for (const char* scenario :
       {"live-sample", "busy", "guest-heavy", "old-kernel", "pre-memavailable"}) {
    const fs::path a = testing::kProcfsFixtures / scenario;
    const fs::path b = testing::kProcfsFixtures / (std::string(scenario) + "-later");
    const double ours = our_cpu_percent(a, b);
    const double psutil = psutil_cpu_percent(a, b);
    report(std::string("cpu ") + scenario, ours, psutil);
    EXPECT_EQ(ours, psutil) << scenario;
  }
}

TEST_F(SystemPsutilParity, CpuPercentRoundingTies) {
  // Windows whose exact busy share ends in 5 in the second decimal, so the last bits of the
  // floating-point computation decide the rounding. Exact integer arithmetic disagrees with
  // psutil on some of them; we must agree with psutil on all.
  struct Pair {
    std::array<std::uint64_t, 10> before, after;
  };
  const Pair pairs[] = {
      {{1679888, 3483195, 5325362, 664716, 457389, 176263, 4958503, 5372924, 0, 0},
       {1679990, 3483195, 5325362, 664774, 457389, 176263, 4958503, 5372924, 0, 0}},
      {{8629499, 4923936, 2118959, 3468530, 2377006, 9151853, 532843, 5302752, 0, 0},
       {8629805, 4923936, 2118959, 3469024, 2377006, 9151853, 532843, 5302752, 0, 0}},
      {{6356039, 9384740, 67259, 3184964, 8864462, 7361390, 9715394, 352903, 0, 0},
       {6356462, 9384740, 67259, 3186541, 8864462, 7361390, 9715394, 352903, 0, 0}},
      {{3955006, 4758714, 7760734, 9177464, 9729656, 6536294, 3555209, 7578216, 0, 0},
       {3955081, 4758714, 7760734, 9177469, 9729656, 6536294, 3555209, 7578216, 0, 0}},
      {{100, 0, 100, 1000, 0, 0, 0, 0, 0, 0}, {101, 0, 100, 2999, 0, 0, 0, 0, 0, 0}},
      {{7156, 0, 4966, 520831, 521, 0, 157, 0, 0, 0},
       {7157, 0, 4967, 521029, 521, 0, 157, 0, 0, 0}},
  };
  ProcfsScratch tmp;
  ASSERT_FALSE(tmp.path().empty());
  int disagreements_with_exact_arithmetic = 0;
  for (std::size_t i = 0; i < std::size(pairs); ++i) {
    const fs::path a = tmp.write("a" + std::to_string(i), "stat", stat_text(pairs[i].before));
    const fs::path b = tmp.write("b" + std::to_string(i), "stat", stat_text(pairs[i].after));
    const double ours = our_cpu_percent(a, b);
    const double psutil = psutil_cpu_percent(a, b);
    report("cpu tie " + std::to_string(i), ours, psutil);
    EXPECT_EQ(ours, psutil) << "pair " << i;

    std::uint64_t busy = 0;
    std::uint64_t total = 0;
    for (std::size_t f = 0; f < 8; ++f) {
      const std::uint64_t delta = pairs[i].after[f] - pairs[i].before[f];
      total += delta;
      if (f != 3 && f != 4) busy += delta;
    }
    const double exact =
        round_to_tenth(static_cast<double>(busy) / static_cast<double>(total) * 100);
    if (exact != psutil) ++disagreements_with_exact_arithmetic;
  }
  EXPECT_GT(disagreements_with_exact_arithmetic, 0) << "the cases no longer test the rounding";
}

// --- memory ----------------------------------------------------------------------------

TEST_F(SystemPsutilParity, VirtualMemoryOfEveryFixture) {
  for (const char* scenario : {"live-sample", "live-sample-later", "busy", "busy-later",
                               "guest-heavy", "guest-heavy-later", "old-kernel", "old-kernel-later",
                               "pre-memavailable", "pre-memavailable-later"}) {
    expect_same_memory(testing::kProcfsFixtures / scenario);
  }
}

TEST_F(SystemPsutilParity, VirtualMemoryEdgeCases) {
  ProcfsScratch tmp;
  ASSERT_FALSE(tmp.path().empty());
  const std::string zoneinfo =
      "Node 0, zone   Normal\n  pages free     100\n        min      80\n"
      "        low      100\n        high     120\n";
  // A container's meminfo with the host's MemAvailable: psutil falls back to MemFree.
  expect_same_memory(tmp.write("container", "meminfo",
                               "MemTotal: 2097152 kB\nMemFree: 1048000 kB\n"
                               "MemAvailable: 31457280 kB\nBuffers: 0 kB\nCached: 4000 kB\n"));
  // Pre-3.14 fields but no zoneinfo: MemFree + Cached.
  expect_same_memory(tmp.write("no-zoneinfo", "meminfo",
                               "MemTotal: 1000000 kB\nMemFree: 123457 kB\nBuffers: 1 kB\n"
                               "Cached: 333333 kB\nActive(file): 2000 kB\nInactive(file): 3000 kB\n"
                               "SReclaimable: 5000 kB\n"));
  // Page cache and slab smaller than twice the watermark: each keeps half, odd sizes.
  tmp.write("small-cache", "zoneinfo", zoneinfo);
  expect_same_memory(tmp.write("small-cache", "meminfo",
                               "MemTotal: 1000003 kB\nMemFree: 700001 kB\nBuffers: 1 kB\n"
                               "Cached: 333333 kB\nActive(file): 101 kB\nInactive(file): 37 kB\n"
                               "SReclaimable: 77 kB\n"));
  // Watermark above free memory with nothing reclaimable: the estimate is negative, so 0.
  tmp.write("starved", "zoneinfo", zoneinfo);
  expect_same_memory(tmp.write("starved", "meminfo",
                               "MemTotal: 1000000 kB\nMemFree: 100 kB\nBuffers: 1 kB\n"
                               "Cached: 0 kB\nActive(file): 0 kB\nInactive(file): 0 kB\n"
                               "SReclaimable: 0 kB\n"));
  // Ratios whose one-decimal rounding is a near tie.
  for (const std::string available : {"1 kB", "3 kB", "7 kB", "9 kB", "1999 kB", "1001 kB"}) {
    expect_same_memory(
        tmp.write("tie-" + available.substr(0, available.find(' ')), "meminfo",
                  "MemTotal: 2000 kB\nMemFree: 1 kB\nMemAvailable: " + available + "\n"));
  }
}

// --- disk ------------------------------------------------------------------------------

TEST_F(SystemPsutilParity, DiskUsageOfCraftedStatvfsNumbers) {
  const std::array<std::uint64_t, 4> cases[] = {
      {1000, 400, 350, 4096},                      // 5 % reserved
      {1000, 50, 0, 4096},                         // only reserved blocks left
      {1000, 1000, 1000, 4096},                    // empty
      {0, 0, 0, 4096},                             // pseudo file system
      {244190646, 120331211, 107922317, 4096},     // 1 TB ext4
      {52403200, 1207750, 1207750, 4096},          // xfs, no reserve, nearly full
      {2000, 1999, 1999, 512},                     // 0.05 %
      {2000, 1, 0, 1024},                          // 99.95 %
      {3906469376, 2912345678, 2717042206, 4096},  // 16 TB
  };
  for (const auto& c : cases) {
    const DiskSample disk = disk_sample_from_statvfs("/", c[0], c[1], c[2], c[3]);
    const std::vector<double> ps = psutil_numbers(
        kDiskUsageScript,
        {std::to_string(c[0]), std::to_string(c[1]), std::to_string(c[2]), std::to_string(c[3])},
        4);
    report("disk statvfs " + std::to_string(c[0]) + "/" + std::to_string(c[1]) + "/" +
               std::to_string(c[2]),
           disk_percent(disk), ps[3]);
    EXPECT_EQ(static_cast<double>(disk.total_bytes), ps[0]);
    EXPECT_EQ(static_cast<double>(disk.used_bytes), ps[1]);
    EXPECT_EQ(static_cast<double>(disk.available_bytes), ps[2]);
    EXPECT_EQ(disk_percent(disk), ps[3]);
  }
}

TEST_F(SystemPsutilParity, DiskUsageOfLivePaths) {
  const fs::path build_dir = fs::read_symlink("/proc/self/exe").parent_path();
  for (const fs::path& path : {fs::path("/"), build_dir}) {
    Result<DiskSample> disk = measure_disk(path, Milliseconds(5000));
    ASSERT_TRUE(disk.ok()) << disk.error().message();
    const std::vector<double> ps = psutil_numbers(kLiveDiskScript, {path.string()}, 2);
    report("disk " + path.string(), disk_percent(*disk), ps[1]);
    EXPECT_EQ(static_cast<double>(disk->total_bytes), ps[0]) << path;
    // Live: files may be written between the two measurements.
    EXPECT_NEAR(disk_percent(*disk), ps[1], 0.1) << path;
  }
}

// --- rounding --------------------------------------------------------------------------

TEST_F(SystemPsutilParity, RoundToTenthIsPythonsRound) {
  // Every share busy/total for the tick counts of common windows and CPU counts, plus
  // multiples of 1/8 (exact binary ties) and of 0.05 (inexact near ties).
  std::vector<double> values;
  for (int total : {160, 200, 400, 800, 1000, 2000}) {
    for (int busy = 0; busy <= total; ++busy) {
      values.push_back(static_cast<double>(busy) / total * 100);
    }
  }
  for (int i = 0; i <= 800; ++i) values.push_back(i / 8.0);
  for (int i = 0; i <= 2000; ++i) values.push_back(i * 0.05);
  ProcfsScratch tmp;
  ASSERT_FALSE(tmp.path().empty());
  {
    std::ofstream out(tmp.path() / "values");
    for (double v : values) out << std::hexfloat << v << "\n";
  }
  const PythonRun run = run_psutil(
      "for line in open(sys.argv[1]):\n    print(repr(round(float.fromhex(line.strip()), 1)))\n",
      {(tmp.path() / "values").string()});
  ASSERT_TRUE(run.ok) << run.output;
  const std::vector<double> python = numbers(run.output);
  ASSERT_EQ(python.size(), values.size());
  int mismatches = 0;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (round_to_tenth(values[i]) != python[i] && ++mismatches <= 10) {
      ADD_FAILURE() << std::hexfloat << values[i] << std::defaultfloat << ": ours "
                    << round_to_tenth(values[i]) << ", Python " << python[i];
    }
  }
  std::cout << "[ parity   ] round_to_tenth: " << values.size() << " values, " << mismatches
            << " mismatches with Python's round(x, 1)\n";
  EXPECT_EQ(mismatches, 0);
}

}  // namespace
}  // namespace devops_monitor
