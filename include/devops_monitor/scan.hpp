// `devops-monitor scan`: exposed credentials in files. Walking, matching and the output
// formats are here; the command line only picks options and prints.
//
//   devops_monitor::ScanOptions options;   // paths {"."}, 10 MiB per file
//   devops_monitor::ScanKeys keys;         // only if the keys are to be verified
//   auto result = devops_monitor::scan_paths(options, settings.providers, &keys);
//   if (result && !result->findings.empty()) { /* render_scan_text(*result) ... */ }
//
// Findings never hold a key, only its literal prefix, at most 4 more characters and its
// fingerprint. ScanKeys holds the keys themselves, for verify_findings() and nothing else.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "devops_monitor/error.hpp"
#include "devops_monitor/provider.hpp"
#include "devops_monitor/settings.hpp"

namespace devops_monitor {

inline constexpr std::uint64_t kDefaultMaxScanFileSize = 10ull * 1024 * 1024;

struct ScanOptions {
  std::vector<std::filesystem::path> paths{"."};          // files or directories
  std::uint64_t max_file_size = kDefaultMaxScanFileSize;  // larger files are skipped (warning)
  std::vector<std::string> excludes;  // fnmatch globs on the path below the root and the name
  /// Inside a git work tree, skip the files git ignores (.gitignore, .git/info/exclude, the
  /// global excludes file); tracked files are read whatever the patterns say. false: every file.
  bool git_ignores = true;
};

/// What --verify learnt about a found key.
enum class Verification {
  not_checked,  // not asked for, or not a provider's key (AWS, GitHub, Slack, private keys)
  live,         // the provider accepted it (valid, rate limited or out of quota): rotate it
  dead,         // the provider refused it (invalid or revoked)
  unknown,      // no answer that proves either (network, 5xx, no test endpoint)
};
std::string_view to_string(Verification verification);

struct ScanFinding {
  std::string file;         // as reached from the named path: "src/app.py" for ".", or "dir/x"
  std::size_t line = 0;     // 1-based
  std::size_t column = 0;   // 1-based, in bytes
  std::string kind;         // provider id ("openai") or "aws", "github", "slack", "private-key"
  std::string provider;     // display name: "OpenAI (GPT-4)", "AWS", ...
  std::string rule;         // "openai-project-key"
  std::string redacted;     // "sk-proj-AbCd…": the literal prefix and at most 4 more characters
  std::string fingerprint;  // key_fingerprint() of the key
  Verification verification = Verification::not_checked;
  std::string commit{};  // scan_git_history(): the full id of the commit that added it; else ""
};

struct ScanResult {
  std::vector<std::string> paths;  // as named
  std::string scanned_at;          // RFC 3339, UTC
  std::uint64_t files_scanned = 0;
  std::uint64_t files_skipped_binary = 0;  // a NUL byte in the first 8 KiB, whatever the size
  std::uint64_t bytes_scanned = 0;
  std::vector<ScanFinding> findings;  // in walk order (names sorted), then by position
  std::vector<std::string> warnings;  // unreadable or oversized text files, unreadable
                                      // directories, work trees git could not list
};

/// The provider keys a scan found, by fingerprint: what verify_findings() needs. Never print
/// or store it.
struct ScanKeys {
  struct Key {
    std::string provider_id;
    std::string key;
    std::string rule{};  // the KeyPattern that matched ("moonshot-api-key")
  };
  std::map<std::string, Key> by_fingerprint;
};

/// Scans `options.paths` for the key shapes of `providers` (Provider::key_patterns, enabled or
/// not) and of the other credentials the scanner knows (AWS, GitHub, Slack, private keys).
/// Fails (nothing scanned) when a named path does not exist or a pattern does not compile;
/// files and directories that cannot be read inside a tree become warnings. `keys`, when
/// given, receives the provider keys found.
Result<ScanResult> scan_paths(const ScanOptions& options, const std::vector<Provider>& providers,
                              ScanKeys* keys = nullptr);

/// Where and what scan_staged() and scan_git_history() read.
struct GitScanOptions {
  std::filesystem::path directory{"."};  // any directory inside the repository's work tree
  std::vector<std::string> revisions{};  // scan_git_history(): revisions, ranges; none: HEAD
  std::uint64_t max_file_size = kDefaultMaxScanFileSize;  // bounds one line and one hunk
  std::vector<std::string> excludes{};  // fnmatch globs on the path in the repository, the name
};

/// What `git commit` would record: the lines the index adds to HEAD (`git diff --cached`,
/// renames followed, so a moved file's old lines are not new), read by the same rules as
/// scan_paths(). Works before the first commit, and honours GIT_INDEX_FILE (hooks of
/// `git commit -a`). Binary files (as git decides) are skipped. Paths are relative to the
/// repository's top. Fails, naming the directory, when it is not in a git repository.
Result<ScanResult> scan_staged(const GitScanOptions& options,
                               const std::vector<Provider>& providers, ScanKeys* keys = nullptr);

/// The lines each commit `options.revisions` reach added, as `git log` reads them (`git log -p`,
/// merges not diffed: what a merge brings was added by the commits merged), so a key added and
/// later removed is found. A key is reported once per path, at the oldest commit that added it
/// there. git's output is read as it comes: memory holds one hunk and the findings. Fails with
/// git's reason for a range it rejects.
Result<ScanResult> scan_git_history(const GitScanOptions& options,
                                    const std::vector<Provider>& providers,
                                    ScanKeys* keys = nullptr);

/// What install_pre_commit_hook() did.
struct HookInstall {
  std::filesystem::path hook;  // the file written (or left as it was)
  bool unchanged = false;      // our hook was there already, the same text
};

/// Writes the repository's pre-commit hook (where `git rev-parse --git-path hooks` says, so
/// core.hooksPath is honoured): a shell script running `binary scan --staged`, or
/// `devops-monitor` from PATH when `binary` has gone. Refuses to replace a hook it did not
/// write; rewrites its own.
Result<HookInstall> install_pre_commit_hook(const std::filesystem::path& directory,
                                            const std::filesystem::path& binary);

inline constexpr std::size_t kDefaultVerifyLimit = 50;

struct VerifyOptions {
  /// Also verify keys of a shape several services issue (KeyPattern::ambiguous) with the
  /// provider whose pattern matched. Without it, only providers with verify_ambiguous_keys
  /// get them: sending a key to a service it may not belong to is a leak of its own.
  bool ambiguous = false;
  /// At most this many keys are verified, in the order they were found; the rest stay
  /// not_checked.
  std::size_t limit = kDefaultVerifyLimit;
};

/// Checks each found provider key once (by fingerprint) with the provider check of
/// Monitor::check_api_key_status, a few at a time, and sets every finding's verification.
/// Keys go only to their provider's configured endpoint, through the HTTP layer's rules, and
/// never to a provider that is disabled (enabled = false). Keys left unchecked (disabled
/// provider, ambiguous shape, over the limit) stay not_checked, and each reason adds one
/// warning to `result.warnings` saying how many.
void verify_findings(ScanResult& result, const ScanKeys& keys, const Settings& settings,
                     const VerifyOptions& options = {});

/// "file:line:column kind redacted fingerprint" lines, file names made printable.
std::string render_scan_text(const ScanResult& result);
/// The JSON contract `notify github --scan FILE` reads (docs/commands.md, "scan").
std::string render_scan_json(const ScanResult& result);
/// SARIF 2.1.0 for GitHub code scanning.
std::string render_scan_sarif(const ScanResult& result, const std::vector<Provider>& providers);

/// "512K", "10M", "1G" (powers of 1024) or a number of bytes.
Result<std::uint64_t> parse_size(std::string_view text);

}  // namespace devops_monitor
