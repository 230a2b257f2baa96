// Which files git keeps in a work tree: what `git ls-files --cached --others --exclude-standard`
// answers (tracked files, and untracked files no ignore rule matches), as a sorted list the walk
// looks paths up in. git itself answers, once per work tree, so its own rules apply: every
// .gitignore, .git/info/exclude and the global excludes file.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace devops_monitor::scan {

/// Paths relative to the directory git was asked in, byte-sorted. Pure.
class GitListing {
 public:
  /// From git's NUL-separated output.
  static GitListing parse(std::string_view nul_separated);

  /// `relative` is a file git lists.
  [[nodiscard]] bool has_file(std::string_view relative) const;
  /// Some listed path lies below the directory `relative`.
  [[nodiscard]] bool has_below(std::string_view relative) const;
  /// The directory `relative` is listed as a whole: a submodule ("sub") or an untracked
  /// repository of its own ("nested/"). Its files are another work tree's to list.
  [[nodiscard]] bool is_nested_work_tree(std::string_view relative) const;
  [[nodiscard]] bool empty() const { return paths_.empty(); }

 private:
  std::vector<std::string> paths_;
};

/// True when `dir` or a directory above it holds a `.git` that is a repository (a directory
/// with HEAD, or a `gitdir:` file). A `.git` directory that is not a repository is passed over,
/// as git passes it over.
bool inside_git_work_tree(const std::filesystem::path& dir);

/// True when `dir` itself holds such a `.git`.
bool holds_git_repository(const std::filesystem::path& dir);

/// What git lists below `dir`, or why not: `git_missing` when git is not in PATH, otherwise
/// `problem` holds git's reason (unsafe ownership, a broken repository, an overlong answer).
struct GitListingAnswer {
  std::optional<GitListing> listing;
  bool git_missing = false;
  std::string problem;
};
GitListingAnswer list_git_files(const std::filesystem::path& dir);

}  // namespace devops_monitor::scan
