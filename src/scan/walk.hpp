// Which files a scan reads: the named paths, directories walked in name order without
// following symlinks, `.git` directories, excluded globs and non-regular files left out.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "devops_monitor/error.hpp"

namespace devops_monitor::scan {

struct WalkedFile {
  std::filesystem::path path;  // to open
  std::string display;         // as reached from the named path: "src/a.py" for "."
};

/// True when `relative` (the path below the named root) or its last component matches one of
/// the fnmatch globs.
bool is_excluded(const std::string& relative, const std::vector<std::string>& excludes);

/// Calls `visit` for each file to read under `root`, in name order. A named file is visited
/// even through a symlink (it was named); inside a tree symlinks are not followed. Unreadable
/// directories add a warning. Fails only when `root` itself does not exist or is neither a
/// file nor a directory.
Result<void> walk(const std::filesystem::path& root, const std::vector<std::string>& excludes,
                  const std::function<void(const WalkedFile&)>& visit,
                  std::vector<std::string>& warnings);

}  // namespace devops_monitor::scan
