// The scan's imperative shell: walks the named paths, reads each file once into a reused
// buffer and turns the matcher's positions into findings that carry no key material.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>

#include "devops_monitor/scan.hpp"
#include "scan/findings.hpp"
#include "scan/read_file.hpp"
#include "scan/walk.hpp"
#include "util/guard.hpp"
#include "util/time_format.hpp"

namespace devops_monitor {
namespace {

constexpr std::size_t kMaxScanThreads = 8;

std::string utc_now() {
  std::string stamp = format_rfc3339(std::chrono::system_clock::now(), std::chrono::seconds(0));
  if (stamp.ends_with("+00:00")) stamp.replace(stamp.size() - 6, 6, "Z");
  return stamp;
}

/// What one file contributed; filled by a worker thread, merged in walk order.
struct FileOutcome {
  std::vector<ScanFinding> findings;
  std::vector<scan::FoundKey> keys;
  std::string warning;
  bool scanned = false;
  bool binary = false;
  std::uint64_t bytes = 0;
};

void scan_file(const scan::Matcher& matcher, const scan::WalkedFile& file,
               std::uint64_t max_file_size, bool want_keys, std::string& buffer,
               FileOutcome& outcome) {
  const scan::FileRead read = scan::read_for_scan(file.path, max_file_size, buffer);
  switch (read.content) {
    case scan::FileContent::unreadable:
      outcome.warning = "cannot read " + file.display + ": " + read.error;
      return;
    case scan::FileContent::binary:
      outcome.binary = true;  // silently, whatever its size: object files, images, archives
      return;
    case scan::FileContent::too_big:
      outcome.warning = "skipped " + file.display + ": larger than " +
                        std::to_string(max_file_size) + " bytes (--max-file-size)";
      return;
    case scan::FileContent::text:
      break;
  }
  outcome.scanned = true;
  outcome.bytes = buffer.size();
  outcome.findings =
      scan::findings_in(matcher, file.display, buffer, want_keys ? &outcome.keys : nullptr);
}

/// Files are independent: a few threads read and match them (the machine's cores, at most
/// kMaxScanThreads), each with its own buffer. Results keep the walk's order.
void scan_files(const scan::Matcher& matcher, const std::vector<scan::WalkedFile>& files,
                std::uint64_t max_file_size, bool want_keys, std::vector<FileOutcome>& outcomes) {
  outcomes.resize(files.size());
  std::atomic<std::size_t> next{0};
  auto worker = [&]() {
    std::string buffer;
    for (std::size_t i = next++; i < files.size(); i = next++) {
      // An exception must not leave a thread (std::terminate): out of memory for one large
      // file becomes that file's warning, and the others are still scanned.
      try {
        scan_file(matcher, files[i], max_file_size, want_keys, buffer, outcomes[i]);
      } catch (const std::exception& e) {
        outcomes[i] = FileOutcome{};
        outcomes[i].warning = "cannot scan " + files[i].display + ": " + e.what();
        std::string().swap(buffer);
      }
    }
  };
  const std::size_t cores = std::max(1u, std::thread::hardware_concurrency());
  const std::size_t count = std::min({cores, kMaxScanThreads, files.size()});
  std::vector<std::thread> threads;
  try {
    for (std::size_t t = 1; t < count; ++t) threads.emplace_back(worker);
  } catch (const std::system_error&) {
    // Fewer threads than hoped: this one works too, so the scan still finishes.
  }
  worker();
  for (std::thread& thread : threads) thread.join();
}

}  // namespace

Result<ScanResult> scan_paths(const ScanOptions& options, const std::vector<Provider>& providers,
                              ScanKeys* keys) {
  return guarded<ScanResult>("scan failed", [&]() -> Result<ScanResult> {
    Result<std::vector<scan::Rule>> rules = scan::compile_rules(providers);
    if (!rules) return rules.error();
    const scan::Matcher matcher(std::move(*rules));
    ScanResult result;
    result.scanned_at = utc_now();
    // Every named path must exist before anything is scanned: a typo is exit 3, not "clean".
    for (const std::filesystem::path& path : options.paths) {
      std::error_code ec;
      if (!std::filesystem::exists(path, ec)) {
        return Error{"cannot scan", ec ? ec.message() : "No such file or directory", path.string()};
      }
      result.paths.push_back(path.string());
    }
    const scan::WalkOptions walk_options{.excludes = options.excludes,
                                         .git_ignores = options.git_ignores};
    std::vector<scan::WalkedFile> files;
    for (const std::filesystem::path& path : options.paths) {
      auto collect = [&files](const scan::WalkedFile& file) { files.push_back(file); };
      if (Result<void> walked = scan::walk(path, walk_options, collect, result.warnings); !walked) {
        return walked.error();
      }
    }
    std::vector<FileOutcome> outcomes;
    scan_files(matcher, files, options.max_file_size, keys != nullptr, outcomes);
    for (FileOutcome& outcome : outcomes) {
      if (!outcome.warning.empty()) result.warnings.push_back(std::move(outcome.warning));
      if (outcome.scanned) ++result.files_scanned;
      if (outcome.binary) ++result.files_skipped_binary;
      result.bytes_scanned += outcome.bytes;
      for (ScanFinding& finding : outcome.findings) result.findings.push_back(std::move(finding));
      if (keys != nullptr) {
        for (scan::FoundKey& found : outcome.keys) {
          keys->by_fingerprint[found.fingerprint] = std::move(found.key);
        }
      }
    }
    return result;
  });
}

std::string_view to_string(Verification verification) {
  switch (verification) {
    case Verification::live:
      return "live";
    case Verification::dead:
      return "dead";
    case Verification::unknown:
      return "unknown";
    case Verification::not_checked:
      break;
  }
  return "not_checked";
}

}  // namespace devops_monitor
