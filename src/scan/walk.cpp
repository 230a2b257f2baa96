#include "scan/walk.hpp"

#include <fnmatch.h>

#include <algorithm>
#include <optional>
#include <system_error>

#include "scan/git_listing.hpp"

namespace devops_monitor::scan {
namespace fs = std::filesystem;
namespace {

std::string joined(const std::string& base, const std::string& name) {
  if (base.empty() || base == "." || base == "./") return name;
  return base.back() == '/' ? base + name : base + "/" + name;
}

struct WalkRun {
  const WalkOptions& options;
  const std::function<void(const WalkedFile&)>& visit;
  std::vector<std::string>& warnings;
};

/// Which git listing decides a directory's entries (none: every entry is read), and the
/// directory's path relative to where that listing was made ("" there).
struct GitScope {
  const GitListing* listing = nullptr;
  std::string relative;
};

/// git's listing of `dir`, or none (and a warning) when git cannot give one: then the tree is
/// read whole, as reading too much is safer than reading too little for a secret scanner.
std::optional<GitListing> walk_git_listing(WalkRun& run, const fs::path& dir,
                                           const std::string& display) {
  GitListingAnswer answer = list_git_files(dir);
  if (answer.listing) return std::move(answer.listing);
  if (answer.git_missing) {
    const std::string warning = "git not found in PATH: ignore rules not applied, every file read";
    if (std::find(run.warnings.begin(), run.warnings.end(), warning) == run.warnings.end()) {
      run.warnings.push_back(warning);
    }
  } else {
    run.warnings.push_back("cannot apply git's ignore rules in " + display + " (" + answer.problem +
                           "): every file read");
  }
  return std::nullopt;
}

void walk_directory(WalkRun& run, const fs::path& dir, const std::string& display,
                    const std::string& relative, const GitScope& scope);

/// A submodule or a repository inside the walked tree: its own ignore rules apply.
void walk_nested_work_tree(WalkRun& run, const fs::path& dir, const std::string& display,
                           const std::string& relative) {
  std::optional<GitListing> listing;
  if (holds_git_repository(dir)) listing = walk_git_listing(run, dir, display);
  walk_directory(run, dir, display, relative, GitScope{listing ? &*listing : nullptr, ""});
}

void walk_directory(WalkRun& run, const fs::path& dir, const std::string& display,
                    const std::string& relative, const GitScope& scope) {
  std::error_code ec;
  fs::directory_iterator it(dir, fs::directory_options::none, ec);
  std::vector<fs::directory_entry> entries;
  for (; !ec && it != fs::directory_iterator(); it.increment(ec)) entries.push_back(*it);
  if (ec) {
    run.warnings.push_back("cannot read directory " + (display.empty() ? "." : display) + ": " +
                           ec.message());
  }
  std::sort(entries.begin(), entries.end(),
            [](const fs::directory_entry& a, const fs::directory_entry& b) {
              return a.path().filename().native() < b.path().filename().native();
            });
  for (const fs::directory_entry& entry : entries) {
    const std::string name = entry.path().filename().native();
    const std::string rel = relative.empty() ? name : relative + "/" + name;
    const std::string shown = joined(display, name);
    // Only looked up under a git listing: most trees have none, and this runs per entry.
    const std::string listed = scope.listing == nullptr ? std::string()
                               : scope.relative.empty() ? name
                                                        : scope.relative + "/" + name;
    // The entry's type as the directory listing gave it (d_type): no lstat per entry, which
    // on a large tree costs as much as matching the files' text.
    std::error_code type_ec;
    const bool symlink = entry.is_symlink(type_ec);
    const bool directory = !symlink && !type_ec && entry.is_directory(type_ec);
    const bool regular = !symlink && !directory && !type_ec && entry.is_regular_file(type_ec);
    if (type_ec) {
      run.warnings.push_back("cannot read " + shown + ": " + type_ec.message());
      continue;
    }
    if (symlink) continue;  // not followed: it may leave the tree or loop
    if (is_excluded(rel, run.options.excludes)) continue;
    if (directory) {
      if (name == ".git") continue;  // history, not working files; scanned by other tools
      if (scope.listing == nullptr) {
        walk_directory(run, entry.path(), shown, rel, scope);
      } else if (scope.listing->is_nested_work_tree(listed)) {
        walk_nested_work_tree(run, entry.path(), shown, rel);
      } else if (scope.listing->has_below(listed)) {
        walk_directory(run, entry.path(), shown, rel, GitScope{scope.listing, listed});
      }
      // Otherwise git lists nothing below it: ignored (build/, node_modules/) or empty.
    } else if (regular) {
      if (scope.listing == nullptr || scope.listing->has_file(listed)) {
        run.visit({entry.path(), shown});
      }
    }
    // FIFOs, sockets and devices are skipped: reading a FIFO would wait for a writer.
  }
}

/// True when `dir` holds anything but `.git`.
bool has_working_entries(const fs::path& dir) {
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec); !ec && it != fs::directory_iterator();
       it.increment(ec)) {
    if (it->path().filename() != ".git") return true;
  }
  return false;
}

}  // namespace

bool is_excluded(const std::string& relative, const std::vector<std::string>& excludes) {
  const std::size_t slash = relative.rfind('/');
  const std::string name = slash == std::string::npos ? relative : relative.substr(slash + 1);
  return std::any_of(excludes.begin(), excludes.end(), [&](const std::string& glob) {
    return ::fnmatch(glob.c_str(), relative.c_str(), 0) == 0 ||
           ::fnmatch(glob.c_str(), name.c_str(), 0) == 0;
  });
}

Result<void> walk(const fs::path& root, const WalkOptions& options,
                  const std::function<void(const WalkedFile&)>& visit,
                  std::vector<std::string>& warnings) {
  WalkRun run{options, visit, warnings};
  std::error_code ec;
  const fs::file_status status = fs::status(root, ec);  // a named symlink is followed
  if (ec || !fs::exists(status)) {
    return Error{"cannot scan", ec ? ec.message() : "No such file or directory", root.string()};
  }
  const std::string display = root.native();
  if (fs::is_directory(status)) {
    std::optional<GitListing> listing;
    if (options.git_ignores && inside_git_work_tree(root)) {
      listing = walk_git_listing(run, root, display);
      // A named directory git ignores whole would otherwise read as clean without a word.
      if (listing && listing->empty() && has_working_entries(root)) {
        warnings.push_back("nothing read in " + display +
                           ": git ignores every file in it (--no-ignore reads them)");
      }
    }
    walk_directory(run, root, display, "", GitScope{listing ? &*listing : nullptr, ""});
    return {};
  }
  if (fs::is_regular_file(status)) {
    // Opened without following symlinks (a file swapped for one after the walk is refused),
    // so a named symlink is resolved here: naming it is asking for its target.
    const fs::path target = fs::canonical(root, ec);
    if (ec) return Error{"cannot scan", ec.message(), root.string()};
    if (!is_excluded(root.filename().native(), options.excludes)) visit({target, display});
    return {};
  }
  return Error{"cannot scan", "not a regular file or a directory", root.string()};
}

}  // namespace devops_monitor::scan
