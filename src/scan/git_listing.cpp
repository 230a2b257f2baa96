#include "scan/git_listing.hpp"

#include <algorithm>
#include <system_error>

#include "scan/git_command.hpp"

namespace devops_monitor::scan {
namespace fs = std::filesystem;
namespace {

// A 400,000-file repository lists about 30 MB of paths; a larger answer is refused rather than
// held in memory, and the tree is then read whole.
constexpr std::size_t kMaxGitListingBytes = 256ull * 1024 * 1024;

}  // namespace

GitListing GitListing::parse(std::string_view nul_separated) {
  GitListing listing;
  while (!nul_separated.empty()) {
    const std::size_t end = nul_separated.find('\0');
    const std::string_view path = nul_separated.substr(0, end);
    if (!path.empty()) listing.paths_.emplace_back(path);
    if (end == std::string_view::npos) break;
    nul_separated.remove_prefix(end + 1);
  }
  // git lists tracked files, then untracked ones: one sorted list for binary search.
  std::sort(listing.paths_.begin(), listing.paths_.end());
  listing.paths_.erase(std::unique(listing.paths_.begin(), listing.paths_.end()),
                       listing.paths_.end());
  return listing;
}

bool GitListing::has_file(std::string_view relative) const {
  return std::binary_search(paths_.begin(), paths_.end(), relative,
                            [](std::string_view a, std::string_view b) { return a < b; });
}

bool GitListing::has_below(std::string_view relative) const {
  // Every path below "dir" sorts at or after "dir/", and those come together.
  const std::string dir = std::string(relative) + "/";
  const auto first = std::lower_bound(paths_.begin(), paths_.end(), dir);
  return first != paths_.end() && first->starts_with(dir);
}

bool GitListing::is_nested_work_tree(std::string_view relative) const {
  return has_file(relative) || has_file(std::string(relative) + "/");
}

bool holds_git_repository(const fs::path& dir) {
  std::error_code ec;
  const fs::path marker = dir / ".git";
  const fs::file_status status = fs::symlink_status(marker, ec);
  if (ec) return false;
  if (fs::is_regular_file(status)) return true;  // "gitdir: ...": a submodule or worktree
  return fs::is_directory(status) && fs::exists(marker / "HEAD", ec);
}

bool inside_git_work_tree(const fs::path& dir) {
  std::error_code ec;
  fs::path at = fs::canonical(dir, ec);  // git resolves symlinks to find its repository
  if (ec) at = fs::absolute(dir, ec);
  if (ec) return false;
  while (true) {
    if (holds_git_repository(at)) return true;
    if (at == at.parent_path() || at.empty()) return false;
    at = at.parent_path();
  }
}

GitListingAnswer list_git_files(const fs::path& dir) {
  GitListingAnswer answer;
  Result<std::string> output =
      git_output(dir, {"ls-files", "-z", "--cached", "--others", "--exclude-standard"},
                 kMaxGitListingBytes, GitRepository::at_directory);
  if (!output) {
    answer.git_missing = output.error().detail == "git not found in PATH";
    answer.problem = output.error().what + ": " + output.error().detail;
    return answer;
  }
  answer.listing = GitListing::parse(*output);
  return answer;
}

}  // namespace devops_monitor::scan
