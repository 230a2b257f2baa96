// Scanning what git adds: the index against HEAD (a commit about to be made) and each commit
// of a history. git's diff is read as it streams (scan/git_diff.hpp); each hunk's added lines
// are consecutive lines of the new file, so they go through the file scanner's own findings
// with line numbers shifted to the hunk's start.
#include <chrono>
#include <map>

#include "devops_monitor/scan.hpp"
#include "scan/findings.hpp"
#include "scan/git_command.hpp"
#include "scan/git_diff.hpp"
#include "scan/git_errors.hpp"
#include "scan/walk.hpp"
#include "util/guard.hpp"
#include "util/time_format.hpp"

namespace devops_monitor {
namespace {

constexpr std::size_t kGitDirAnswerMax = 64 * 1024;

/// The options both diffs share. Ones a user's config could change are given explicitly: no
/// colour, no external diff or textconv program (a repository must not run one), "a/" and
/// "b/" prefixes, the whole repository whatever the directory (diff.relative would hide the
/// files outside it), no context lines, and deleted files left out (they add nothing).
const std::vector<std::string>& diff_options() {
  static const std::vector<std::string> options = {"-U0",
                                                   "--no-color",
                                                   "--no-ext-diff",
                                                   "--no-textconv",
                                                   "--no-relative",
                                                   "--find-renames",
                                                   "--src-prefix=a/",
                                                   "--dst-prefix=b/",
                                                   "--diff-filter=ACMRT",
                                                   "--submodule=short"};
  return options;
}

/// Turns hunks into findings. With `once_per_path`, a key already found in a path replaces
/// that finding (history comes newest first: the last one seen is the commit that added it).
class HunkScanner {
 public:
  HunkScanner(const scan::Matcher& matcher, const GitScanOptions& options, ScanResult& result,
              ScanKeys* keys, bool once_per_path)
      : matcher_(matcher),
        options_(options),
        result_(result),
        keys_(keys),
        once_per_path_(once_per_path) {}

  void scan(const scan::DiffHunk& hunk) {
    const std::string path(hunk.path);
    if (!options_.excludes.empty() && scan::is_excluded(path, options_.excludes)) return;
    if (path != last_path_ || hunk.commit != last_commit_) {
      ++result_.files_scanned;
      last_path_ = path;
      last_commit_ = std::string(hunk.commit);
    }
    result_.bytes_scanned += hunk.added.size();
    std::vector<scan::FoundKey> found;
    std::vector<ScanFinding> findings =
        scan::findings_in(matcher_, path, hunk.added, keys_ != nullptr ? &found : nullptr);
    for (ScanFinding& finding : findings) {
      finding.line += hunk.first_line - 1;
      finding.commit = std::string(hunk.commit);
      add(std::move(finding));
    }
    if (keys_ != nullptr) {
      for (scan::FoundKey& key : found) keys_->by_fingerprint[key.fingerprint] = std::move(key.key);
    }
  }

 private:
  void add(ScanFinding finding) {
    if (!once_per_path_) {
      result_.findings.push_back(std::move(finding));
      return;
    }
    const std::string key = finding.fingerprint + '\n' + finding.file;
    const auto [at, inserted] = seen_.try_emplace(key, result_.findings.size());
    if (inserted) {
      result_.findings.push_back(std::move(finding));
    } else if (result_.findings[at->second].commit != finding.commit) {
      // An older commit (the walk goes back in time); twice in one commit keeps the first.
      result_.findings[at->second] = std::move(finding);
    }
  }

  const scan::Matcher& matcher_;
  const GitScanOptions& options_;
  ScanResult& result_;
  ScanKeys* keys_;
  bool once_per_path_;
  std::map<std::string, std::size_t> seen_;
  std::string last_path_;
  std::string last_commit_;
};

/// Why git failed in `directory`: not a repository at all (named, absolute), or `failure`,
/// git's own reason. Asked only after a failure, so a scan that works runs git once.
Error diagnosed(const std::filesystem::path& directory, Error failure) {
  Result<std::string> git_dir =
      scan::git_output(directory, {"rev-parse", "--git-dir"}, kGitDirAnswerMax);
  if (!git_dir) return scan::git_failure(git_dir.error(), "cannot scan", directory);
  return failure;
}

/// Runs git with `args`, every byte of stdout through a DiffReader into `scanner`.
Result<void> scan_diff_output(const GitScanOptions& options, const std::vector<std::string>& args,
                              HunkScanner& scanner, ScanResult& result) {
  scan::DiffReader reader(
      options.max_file_size, [&scanner](const scan::DiffHunk& hunk) { scanner.scan(hunk); },
      result.warnings);
  Result<scan::GitRun> run =
      scan::run_git(options.directory, args, [&reader](std::string_view data) {
        reader.feed(data);
        return true;
      });
  if (!run) return run.error();
  reader.finish();
  if (run->exit_code != 0) {
    return Error{"git " + args.front() + " failed",
                 run->error.empty() ? "exit status " + std::to_string(run->exit_code) : run->error,
                 options.directory.string()};
  }
  return {};
}

Result<ScanResult> scan_git(const GitScanOptions& options, const std::vector<Provider>& providers,
                            ScanKeys* keys, bool history) {
  std::error_code ec;
  if (!std::filesystem::is_directory(options.directory, ec)) {
    return Error{"cannot scan", "not a directory", options.directory.string()};
  }
  Result<std::vector<scan::Rule>> rules = scan::compile_rules(providers);
  if (!rules) return rules.error();
  const scan::Matcher matcher(std::move(*rules));
  ScanResult result;
  result.scanned_at = format_rfc3339_utc(std::chrono::system_clock::now());
  std::vector<std::string> args;
  if (history) {
    result.paths = options.revisions;
    if (result.paths.empty()) result.paths.emplace_back("HEAD");
    // --no-show-signature: log.showSignature would run gpg (gpg.program) for every commit.
    args = {"log", "-p", "--no-show-signature",
            "--format=" + std::string(scan::kDiffCommitMarker) + "%H"};
    args.insert(args.end(), diff_options().begin(), diff_options().end());
    // --end-of-options: a range that starts with '-' is a revision git rejects, not an option.
    args.emplace_back("--end-of-options");
    args.insert(args.end(), result.paths.begin(), result.paths.end());
    args.emplace_back("--");
  } else {
    result.paths.push_back(options.directory.string());
    args = {"diff", "--cached"};
    args.insert(args.end(), diff_options().begin(), diff_options().end());
  }
  HunkScanner scanner(matcher, options, result, keys, history);
  if (Result<void> scanned = scan_diff_output(options, args, scanner, result); !scanned) {
    return diagnosed(options.directory, scanned.error());
  }
  return result;
}

}  // namespace

Result<ScanResult> scan_staged(const GitScanOptions& options,
                               const std::vector<Provider>& providers, ScanKeys* keys) {
  return guarded<ScanResult>("scan failed",
                             [&]() { return scan_git(options, providers, keys, false); });
}

Result<ScanResult> scan_git_history(const GitScanOptions& options,
                                    const std::vector<Provider>& providers, ScanKeys* keys) {
  return guarded<ScanResult>("scan failed",
                             [&]() { return scan_git(options, providers, keys, true); });
}

}  // namespace devops_monitor
