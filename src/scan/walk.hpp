// Which files a scan reads: the named paths, directories walked in name order without
// following symlinks, `.git` directories, excluded globs and non-regular files left out, and
// inside a git work tree the files git ignores.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "devops_monitor/error.hpp"

namespace devops_monitor::scan {

struct WalkedFile {
  /// As reached from the named path, and how it is opened: "src/a.py" for ".", "dir/a.py"
  /// for "dir". One string per file: a tree of a million files is walked without building a
  /// path object per entry.
  std::string path;
  /// The target of a named symlink, opened instead of `path`; empty otherwise.
  std::string resolved;
  [[nodiscard]] const std::string& to_open() const { return resolved.empty() ? path : resolved; }
};

struct WalkOptions {
  std::vector<std::string> excludes;  // fnmatch globs, applied on top of git's ignore rules
  /// In a directory inside a git work tree, read only what git tracks or would add (tracked
  /// files matching an ignore pattern included: they are in the repository). Nested
  /// repositories and submodules are walked as work trees of their own.
  bool git_ignores = true;
};

/// True when `relative` (the path below the named root) or its last component matches one of
/// the fnmatch globs.
bool is_excluded(const std::string& relative, const std::vector<std::string>& excludes);

/// Calls `visit` for each file to read under `root`, in name order. A named file is visited
/// even through a symlink and even when git ignores it (it was named); inside a tree symlinks
/// are not followed. Unreadable directories add a warning; so does a work tree git cannot list
/// (then every file in it is visited; git missing from PATH is warned about once). Fails only
/// when `root` itself does not exist or is neither a file nor a directory.
Result<void> walk(const std::filesystem::path& root, const WalkOptions& options,
                  const std::function<void(WalkedFile&&)>& visit,
                  std::vector<std::string>& warnings);

}  // namespace devops_monitor::scan
