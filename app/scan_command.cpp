// `devops-monitor scan`: flags into the library's ScanOptions, one output on stdout, warnings on
// stderr, the exit status. The scanning itself is src/scan (devops_monitor/scan.hpp).
#include <CLI/CLI.hpp>
#include <charconv>
#include <cstdio>
#include <memory>
#include <string>

#include "command.hpp"
#include "devops_monitor/scan.hpp"
#include "devops_monitor/text.hpp"
#include "flags.hpp"
#include "output.hpp"

namespace devops_monitor::cli {
namespace {

constexpr const char* kScanFooter =
    "Finds the keys of the six built-in providers, of Groq, Hugging Face, xAI, Perplexity,\n"
    "Replicate and DeepSeek (found; no check yet), custom providers' key_pattern, AWS\n"
    "access key ids, GitHub, GitLab, npm and Slack tokens, Stripe and SendGrid keys and\n"
    "private key blocks (docs/secret-formats.md). Prints one line per finding\n"
    "(file:line:column kind redacted-key+fingerprint); never the key itself.\n"
    "Skipped: .git directories, binary files (a NUL byte in the first 8 KiB, whatever their\n"
    "size; counted, not warned about), text files over --max-file-size (a warning),\n"
    "--exclude matches, FIFOs and devices. Symlinks inside a tree are not\n"
    "followed (a path you name is). Inside a git work tree, files git ignores (.gitignore,\n"
    ".git/info/exclude, the global excludes file) are not read: git itself lists the files\n"
    "(git ls-files), once per work tree. Tracked files are read even when an ignore pattern\n"
    "matches them; submodules and nested repositories are read with their own ignore rules;\n"
    "a file you name is read even when ignored. --no-ignore reads every file. Without git in\n"
    "PATH, or when git cannot list a work tree, a warning says so and every file is read.\n"
    "Placeholders and example keys are not findings; a line containing devops-monitor:allow\n"
    "is skipped.\n"
    "Exit status: 0 nothing found, 1 credentials found, 3 the scan could not run (a named\n"
    "path missing, bad flag or config). Unreadable files are warnings on stderr and do not\n"
    "change the status.\n"
    "--verify sends each provider key found (one read-only request) to its provider's\n"
    "endpoint, never to a disabled provider (enabled = false). A shape several services\n"
    "issue (sk- + 48 characters, Moonshot's and others') is sent only with\n"
    "--verify-ambiguous or the provider's verify_ambiguous_keys = true. At most\n"
    "--verify-limit keys are sent per run; a warning says how many were not.\n"
    "Examples:\n"
    "  devops-monitor scan\n"
    "  devops-monitor scan src config --exclude 'vendor/*' --exclude '*.min.js'\n"
    "  devops-monitor scan --no-ignore build\n"
    "  devops-monitor scan --sarif > scan.sarif\n"
    "  devops-monitor scan --json --verify > scan.json\n"
    "Git:\n"
    "--staged scans what git commit would record: the lines the index adds to HEAD (git diff\n"
    "--cached; renames followed, binary files as git decides skipped), also before the first\n"
    "commit and under GIT_INDEX_FILE. --git scans the lines each commit the named revisions\n"
    "or ranges reach added (git log -p; HEAD when none; merges are not diffed; a key is\n"
    "reported once per path, at the oldest commit that added it there), so keys since\n"
    "removed are found; such findings start with the commit id (COMMIT:file:line:column ...).\n"
    "--install-hook writes the repository's pre-commit hook (git rev-parse --git-path hooks)\n"
    "running this binary's scan --staged; it refuses to replace a hook it did not write.\n"
    "Not a repository, or a range git rejects: exit status 3.\n"
    "  devops-monitor scan --staged\n"
    "  devops-monitor scan --git origin/main..HEAD\n"
    "  devops-monitor scan --install-hook";

constexpr int kScanFound = 1;
constexpr std::size_t kMaxVerifyLimit = 10000;

struct ScanFlags {
  SettingsFlags settings;
  std::vector<std::string> paths;
  std::optional<std::string> max_file_size;
  std::vector<std::string> excludes;
  bool no_ignore = false;
  bool sarif = false;
  bool json = false;
  bool verify = false;
  bool verify_ambiguous = false;
  std::optional<std::string> verify_limit;
  bool staged = false;
  bool git = false;
  bool install_hook = false;
};

/// The running binary by absolute path, for the hook to call: /proc/self/exe, else plain
/// "devops-monitor" (the hook then finds it in PATH).
std::filesystem::path running_binary() {
  std::error_code ec;
  std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::filesystem::path("devops-monitor") : self;
}

/// The one repository directory --staged and --install-hook take, from the positional
/// arguments.
Result<std::string> git_argument(const ScanFlags& flags, const char* flag, const char* fallback) {
  if (flags.paths.size() > 1) {
    return Error{"invalid command line", std::string(flag) + " takes at most one argument", "scan"};
  }
  return flags.paths.empty() ? std::string(fallback) : flags.paths.front();
}

/// An error when more than one of --staged, --git and --install-hook was given, or one of them
/// with flags it would ignore.
Result<void> check_git_modes(const ScanFlags& flags) {
  if (int{flags.staged} + int{flags.git} + int{flags.install_hook} > 1) {
    return Error{"invalid command line", "--staged, --git and --install-hook exclude each other",
                 "scan"};
  }
  if ((flags.staged || flags.git) && flags.no_ignore) {
    return Error{"invalid command line",
                 "--no-ignore is for file scans: --staged and --git read what git records", "scan"};
  }
  if (flags.install_hook && (flags.json || flags.sarif || flags.verify || flags.max_file_size ||
                             !flags.excludes.empty())) {
    return Error{"invalid command line", "--install-hook takes no other scan flag", "scan"};
  }
  if (flags.install_hook && flags.no_ignore) {
    return Error{"invalid command line", "--install-hook takes no other scan flag", "scan"};
  }
  return {};
}

/// The scan the flags ask for: files (the default), the index or history.
Result<ScanResult> chosen_scan(const ScanFlags& flags, const ScanOptions& options,
                               const Settings& settings, ScanKeys* keys) {
  if (!flags.staged && !flags.git) return scan_paths(options, settings.providers, keys);
  GitScanOptions git_options;
  git_options.max_file_size = options.max_file_size;
  git_options.excludes = options.excludes;
  if (flags.git) {
    git_options.revisions = flags.paths;
    return scan_git_history(git_options, settings.providers, keys);
  }
  Result<std::string> directory = git_argument(flags, "--staged", ".");
  if (!directory) return directory.error();
  git_options.directory = *directory;
  return scan_staged(git_options, settings.providers, keys);
}

int run_install_hook(const ScanFlags& flags) {
  Result<std::string> directory = git_argument(flags, "--install-hook", ".");
  if (!directory) return fail(directory.error());
  Result<HookInstall> installed = install_pre_commit_hook(*directory, running_binary());
  if (!installed) return fail(installed.error());
  print((installed->unchanged ? "already installed: " : "installed: ") +
        printable(installed->hook.string()) + "\n");
  return 0;
}

/// --verify-ambiguous and --verify-limit as VerifyOptions; they mean nothing without --verify.
Result<VerifyOptions> verify_options(const ScanFlags& flags) {
  VerifyOptions options{.ambiguous = flags.verify_ambiguous};
  if ((flags.verify_ambiguous || flags.verify_limit) && !flags.verify) {
    const char* flag = flags.verify_ambiguous ? "--verify-ambiguous" : "--verify-limit";
    return Error{"invalid command line", std::string(flag) + " needs --verify", "scan"};
  }
  if (!flags.verify_limit) return options;
  const std::string& text = *flags.verify_limit;
  std::size_t limit = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), limit);
  if (error != std::errc() || end != text.data() + text.size() || limit < 1 ||
      limit > kMaxVerifyLimit) {
    return Error{"invalid command line",
                 "must be a whole number from 1 to " + std::to_string(kMaxVerifyLimit),
                 "--verify-limit"};
  }
  options.limit = limit;
  return options;
}

int run_scan(const ScanFlags& flags) {
  if (flags.sarif && flags.json) {
    return fail({"invalid command line", "--json and --sarif exclude each other", "scan"});
  }
  Result<VerifyOptions> verify = verify_options(flags);
  if (!verify) return fail(verify.error());
  if (Result<void> modes = check_git_modes(flags); !modes) return fail(modes.error());
  if (flags.install_hook) return run_install_hook(flags);
  devops_monitor::ScanOptions options;
  if (!flags.paths.empty()) options.paths.assign(flags.paths.begin(), flags.paths.end());
  options.excludes = flags.excludes;
  options.git_ignores = !flags.no_ignore;
  if (flags.max_file_size) {
    Result<std::uint64_t> size = parse_size(*flags.max_file_size);
    if (!size) return fail({size.error().what, size.error().detail, "--max-file-size"});
    options.max_file_size = *size;
  }
  Result<Settings> settings = settings_from_flags(flags.settings);
  if (!settings) return fail(settings.error());
  ScanKeys keys;
  Result<ScanResult> result =
      chosen_scan(flags, options, *settings, flags.verify ? &keys : nullptr);
  if (!result) return fail(result.error());
  if (flags.verify) verify_findings(*result, keys, *settings, *verify);
  for (const std::string& warning : result->warnings) {
    std::fprintf(stderr, "devops-monitor: warning: %s\n", printable(warning).c_str());
  }
  if (flags.json) {
    print(render_scan_json(*result));
  } else if (flags.sarif) {
    print(render_scan_sarif(*result, providers_for_scan(settings->providers)));
  } else {
    print(render_scan_text(*result));
  }
  return result->findings.empty() ? 0 : kScanFound;
}

}  // namespace

Command scan_command() {
  return {
      "scan", "Look for exposed credentials (API keys, tokens) in files", [](CLI::App& app) -> Run {
        auto flags = std::make_shared<ScanFlags>();
        app.footer(kScanFooter);
        app.add_option(
               "paths", flags->paths,
               "Files or directories to scan; with --staged or --install-hook a "
               "directory in the repository, with --git revisions or ranges (HEAD) [default: .]")
            ->type_name("PATH");
        value_flag(app, "--max-file-size", flags->max_file_size, "SIZE",
                   "Skip larger text files, with a warning (512K, 10M, 1G or bytes)", "10M");
        list_flag(app, "--exclude", flags->excludes, "GLOB",
                  "Skip paths matching GLOB (fnmatch on the path below the scanned directory "
                  "and on the name); repeatable",
                  "none");
        switch_flag(app, "--no-ignore", flags->no_ignore,
                    "Read the files git ignores too (.gitignore, .git/info/exclude, global "
                    "excludes)");
        switch_flag(app, "--sarif", flags->sarif, "SARIF 2.1.0 on stdout (GitHub code scanning)");
        switch_flag(app, "--json", flags->json, "The findings as JSON on stdout");
        switch_flag(app, "--verify", flags->verify,
                    "Check each provider key found with its provider (one read-only request)");
        switch_flag(app, "--verify-ambiguous", flags->verify_ambiguous,
                    "With --verify: also send keys of a shape several services issue (sk- + 48) "
                    "to the provider whose pattern they match");
        value_flag(app, "--verify-limit", flags->verify_limit, "N",
                   "With --verify: check at most N keys (1 to 10000); a warning says how many "
                   "were not",
                   std::to_string(kDefaultVerifyLimit));
        switch_flag(app, "--staged", flags->staged,
                    "Scan what git commit would record: the lines the index adds (PATH: a "
                    "directory in the repository)");
        switch_flag(app, "--git", flags->git,
                    "Scan the lines each commit added across history (PATH: revisions or ranges "
                    "for git log, HEAD when omitted)");
        switch_flag(app, "--install-hook", flags->install_hook,
                    "Write the repository's pre-commit hook running scan --staged (PATH: a "
                    "directory in the repository)");
        add_settings_flags(app, flags->settings, kConfigFlag | kTimeoutFlag);
        return [flags] { return run_scan(*flags); };
      }};
}

}  // namespace devops_monitor::cli
