// `devops-monitor scan`: flags into the library's ScanOptions, one output on stdout, warnings on
// stderr, the exit status. The scanning itself is src/scan (devops_monitor/scan.hpp).
#include <cstdio>
#include <string>

#include "cli.hpp"
#include "devops_monitor/scan.hpp"
#include "devops_monitor/text.hpp"

namespace devops_monitor::cli {
namespace {

constexpr int kScanFound = 1;
constexpr int kScanCannotRun = 3;

int scan_failed(const Error& error) {
  std::fprintf(stderr, "devops-monitor: %s\n", printable(error.message()).c_str());
  return kScanCannotRun;
}

void write_stdout(const std::string& text) {
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fflush(stdout);
}

}  // namespace

int run_scan(const CliOptions& options, const Settings& settings) {
  const cli::ScanOptions& flags = options.scan;
  if (flags.sarif && options.json) {
    return scan_failed({"invalid command line", "--json and --sarif exclude each other", "scan"});
  }
  devops_monitor::ScanOptions scan_options;
  if (!flags.paths.empty()) scan_options.paths.assign(flags.paths.begin(), flags.paths.end());
  scan_options.excludes = flags.excludes;
  if (flags.max_file_size) {
    Result<std::uint64_t> size = parse_size(*flags.max_file_size);
    if (!size) return scan_failed({size.error().what, size.error().detail, "--max-file-size"});
    scan_options.max_file_size = *size;
  }
  ScanKeys keys;
  Result<ScanResult> result =
      scan_paths(scan_options, settings.providers, flags.verify ? &keys : nullptr);
  if (!result) return scan_failed(result.error());
  if (flags.verify) verify_findings(*result, keys, settings);
  for (const std::string& warning : result->warnings) {
    std::fprintf(stderr, "devops-monitor: warning: %s\n", printable(warning).c_str());
  }
  if (options.json) {
    write_stdout(render_scan_json(*result));
  } else if (flags.sarif) {
    write_stdout(render_scan_sarif(*result, settings.providers));
  } else {
    write_stdout(render_scan_text(*result));
  }
  return result->findings.empty() ? 0 : kScanFound;
}

}  // namespace devops_monitor::cli
