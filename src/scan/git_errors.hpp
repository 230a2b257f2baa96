// What a failed git run means to the person who ran the scan.
#pragma once

#include <filesystem>
#include <string>

#include "devops_monitor/error.hpp"

namespace devops_monitor::scan {

/// `failure` (from git_output) as an error of `what`. git's "not a git repository (or any of
/// the parent directories): .git" names no directory: it becomes "not a git repository" and
/// the directory itself, absolute, so the one line says where.
inline Error git_failure(const Error& failure, const std::string& what,
                         const std::filesystem::path& directory) {
  if (!failure.detail.starts_with("not a git repository")) {
    return Error{what, failure.detail, failure.where};
  }
  std::error_code ec;
  std::filesystem::path shown = std::filesystem::weakly_canonical(directory, ec);
  if (ec) shown = directory;
  return Error{what, "not a git repository", shown.string()};
}

}  // namespace devops_monitor::scan
