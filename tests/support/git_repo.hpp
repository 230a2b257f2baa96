// A real git repository in a temporary directory, for the scanner's tests: files written,
// staged and committed with the machine's git, as a user would.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "support/process.hpp"

namespace devops_monitor::testing {

class GitRepo {
 public:
  /// `git init` in a fresh temporary directory, with a user name and e-mail of its own and
  /// no global or system configuration (HOME is the repository's sibling directory).
  GitRepo();

  [[nodiscard]] const std::filesystem::path& path() const { return dir_.path(); }
  [[nodiscard]] std::filesystem::path operator/(const std::string& name) const {
    return dir_.path() / name;
  }
  /// The environment every git run and every scanner run in the repository gets.
  [[nodiscard]] std::map<std::string, std::string> env() const;

  /// Writes `text` to `relative` (parents created).
  void write(const std::string& relative, const std::string& text) const;
  /// `git ARGS...` in the repository; the test fails (ADD_FAILURE) when git exits non-zero.
  RunResult git(const std::vector<std::string>& args) const;
  /// `binary ARGS...` in the repository with env() and `extra_env` over it; the exit status is
  /// the test's to judge (a refused commit, a failing hook).
  RunResult run(const std::string& binary, const std::vector<std::string>& args,
                const std::map<std::string, std::string>& extra_env = {}) const;
  /// `git add -A` and `git commit -m message`; returns the new commit's full id.
  std::string commit_all(const std::string& message) const;

 private:
  TempDir dir_;
  TempDir home_;
};

}  // namespace devops_monitor::testing
