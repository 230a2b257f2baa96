// Running git itself for the scanner: which files a work tree keeps (its ignore rules), what
// the index would commit, what each commit added. git is run rather than linked: its answers
// are the ones the user's own git gives (ignore files, index, hooks' GIT_INDEX_FILE), and
// nothing here touches the network.
#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "devops_monitor/error.hpp"

namespace devops_monitor::scan {

struct GitRun {
  int exit_code = -1;  // git's exit status; -1 when killed by a signal
  std::string error;   // the first line of what git wrote on stderr, printable
};

/// Which repository git works on. A pre-commit hook's git sets GIT_DIR and GIT_INDEX_FILE for
/// the commit being made: the staged scan must see them. A walk found its work tree by its
/// `.git` entry instead: there those variables would point git at another repository.
enum class GitRepository {
  from_environment,  // as the environment says (GIT_DIR, GIT_INDEX_FILE, ...), else -C's
  at_directory,      // the one holding `dir`, whatever the environment says
};

/// The options every git run gets before its command: a repository's config must not make a
/// scan run a program (core.fsmonitor), and paths come unquoted.
const std::vector<std::string>& git_safety_options();

/// Runs `git -C dir <safety options> args...` with stdin from /dev/null and the environment
/// of this process (a pre-commit hook's GIT_INDEX_FILE and GIT_DIR must reach git), plus
/// GIT_OPTIONAL_LOCKS=0 and GIT_TERMINAL_PROMPT=0. stdout is handed to `on_output` as it
/// arrives; returning false from it stops git (SIGTERM) and reading. Fails only when git
/// cannot be started ("git not found in PATH").
Result<GitRun> run_git(const std::filesystem::path& dir, const std::vector<std::string>& args,
                       const std::function<bool(std::string_view)>& on_output,
                       GitRepository repository = GitRepository::from_environment);

/// git's whole stdout when it exits 0. Fails naming `dir` with git's first stderr line, or
/// when the output passes `max_bytes`.
Result<std::string> git_output(const std::filesystem::path& dir,
                               const std::vector<std::string>& args, std::size_t max_bytes,
                               GitRepository repository = GitRepository::from_environment);

}  // namespace devops_monitor::scan
