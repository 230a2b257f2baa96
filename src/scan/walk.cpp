#include "scan/walk.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <optional>
#include <system_error>

#include "scan/git_listing.hpp"
#include "util/file_io.hpp"

namespace devops_monitor::scan {
namespace fs = std::filesystem;
namespace {

/// How far into a walked path the part below `base` begins: "" and "." add nothing ("a.py"),
/// "dir/" its own length ("dir/a.py"), "dir" one more for the slash it gets.
std::size_t below_offset(const std::string& base) {
  if (base.empty() || base == "." || base == "./") return 0;
  return base.back() == '/' ? base.size() : base.size() + 1;
}

std::string joined(const std::string& base, const std::string& name) {
  const std::size_t offset = below_offset(base);
  if (offset == 0) return name;
  return offset == base.size() ? base + name : base + "/" + name;
}

/// Which git listing decides a directory's entries (none: every entry is read), and where in
/// a walked path the part relative to that listing's directory begins.
struct GitScope {
  const GitListing* listing = nullptr;
  std::size_t relative_from = 0;
};

struct WalkRun {
  const WalkOptions& options;
  const std::function<void(WalkedFile&&)>& visit;
  std::vector<std::string>& warnings;
  std::size_t relative_from;  // where, in a walked path, the part below the named root begins
};

/// One directory entry as readdir gave it: its type comes with the name (d_type), so a tree is
/// walked without an lstat per entry, which on a large tree costs as much as matching the text.
struct ListedEntry {
  std::string name;
  unsigned char type = DT_UNKNOWN;
  int error = 0;  // the type could not be learnt: errno of the lstat
};

/// `dir`'s entries but "." and "..", in byte order of their names; a warning when the
/// directory cannot be read, whole or in part (what was read is still walked).
std::vector<ListedEntry> list_directory(WalkRun& run, const std::string& dir) {
  std::vector<ListedEntry> entries;
  DIR* handle = ::opendir(dir.c_str());
  if (handle == nullptr) {
    run.warnings.push_back("cannot read directory " + dir + ": " + errno_text(errno));
    return entries;
  }
  for (;;) {
    errno = 0;
    const dirent* entry = ::readdir(handle);
    if (entry == nullptr) {
      if (errno != 0) {
        run.warnings.push_back("cannot read directory " + dir + ": " + errno_text(errno));
      }
      break;
    }
    const std::string_view name = entry->d_name;
    if (name == "." || name == "..") continue;
    ListedEntry listed{std::string(name), entry->d_type, 0};
    if (listed.type == DT_UNKNOWN) {  // some file systems do not say: ask
      struct stat info {};
      if (::fstatat(::dirfd(handle), entry->d_name, &info, AT_SYMLINK_NOFOLLOW) == 0) {
        listed.type = static_cast<unsigned char>(IFTODT(info.st_mode));
      } else {
        listed.error = errno;
      }
    }
    entries.push_back(std::move(listed));
  }
  ::closedir(handle);
  std::sort(entries.begin(), entries.end(),
            [](const ListedEntry& a, const ListedEntry& b) { return a.name < b.name; });
  return entries;
}

/// git's listing of `dir`, or none (and a warning) when git cannot give one: then the tree is
/// read whole, as reading too much is safer than reading too little for a secret scanner.
std::optional<GitListing> walk_git_listing(WalkRun& run, const std::string& dir) {
  GitListingAnswer answer = list_git_files(dir);
  if (answer.listing) return std::move(answer.listing);
  if (answer.git_missing) {
    const std::string warning = "git not found in PATH: ignore rules not applied, every file read";
    if (std::find(run.warnings.begin(), run.warnings.end(), warning) == run.warnings.end()) {
      run.warnings.push_back(warning);
    }
  } else {
    run.warnings.push_back("cannot apply git's ignore rules in " + dir + " (" + answer.problem +
                           "): every file read");
  }
  return std::nullopt;
}

void walk_directory(WalkRun& run, const std::string& dir, const GitScope& scope);

/// A submodule or a repository inside the walked tree: its own ignore rules apply.
void walk_nested_work_tree(WalkRun& run, const std::string& dir) {
  std::optional<GitListing> listing;
  if (holds_git_repository(dir)) listing = walk_git_listing(run, dir);
  walk_directory(run, dir, GitScope{listing ? &*listing : nullptr, below_offset(dir)});
}

/// Below the named root: a walked path (or a directory's) without the root's part.
std::string relative_part(const WalkRun& run, const std::string& path) {
  return path.substr(std::min(run.relative_from, path.size()));
}

void walk_directory(WalkRun& run, const std::string& dir, const GitScope& scope) {
  for (ListedEntry& entry : list_directory(run, dir)) {
    std::string path = joined(dir, entry.name);
    if (entry.error != 0) {
      run.warnings.push_back("cannot read " + path + ": " + errno_text(entry.error));
      continue;
    }
    if (entry.type == DT_LNK) continue;  // not followed: it may leave the tree or loop
    if (!run.options.excludes.empty() &&
        is_excluded(relative_part(run, path), run.options.excludes)) {
      continue;
    }
    // Looked up only under a git listing: most trees have none, and this runs per entry.
    const std::string_view listed = scope.listing == nullptr
                                        ? std::string_view()
                                        : std::string_view(path).substr(scope.relative_from);
    if (entry.type == DT_DIR) {
      if (entry.name == ".git") continue;  // history, not working files; `scan --git` reads it
      if (scope.listing == nullptr) {
        walk_directory(run, path, scope);
      } else if (scope.listing->is_nested_work_tree(listed)) {
        walk_nested_work_tree(run, path);
      } else if (scope.listing->has_below(listed)) {
        walk_directory(run, path, scope);
      }
      // Otherwise git lists nothing below it: ignored (build/, node_modules/) or empty.
    } else if (entry.type == DT_REG) {
      if (scope.listing == nullptr || scope.listing->has_file(listed)) {
        run.visit(WalkedFile{std::move(path), {}});
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
                  const std::function<void(WalkedFile&&)>& visit,
                  std::vector<std::string>& warnings) {
  const std::string& named = root.native();
  WalkRun run{options, visit, warnings, below_offset(named)};
  std::error_code ec;
  const fs::file_status status = fs::status(root, ec);  // a named symlink is followed
  if (ec || !fs::exists(status)) {
    return Error{"cannot scan", ec ? ec.message() : "No such file or directory", named};
  }
  if (fs::is_directory(status)) {
    std::optional<GitListing> listing;
    if (options.git_ignores && inside_git_work_tree(root)) {
      listing = walk_git_listing(run, named);
      // A named directory git ignores whole would otherwise read as clean without a word.
      if (listing && listing->empty() && has_working_entries(root)) {
        warnings.push_back("nothing read in " + named +
                           ": git ignores every file in it (--no-ignore reads them)");
      }
    }
    walk_directory(run, named, GitScope{listing ? &*listing : nullptr, run.relative_from});
    return {};
  }
  if (fs::is_regular_file(status)) {
    // Opened without following symlinks (a file swapped for one after the walk is refused),
    // so a named symlink is resolved here: naming it is asking for its target.
    const fs::path target = fs::canonical(root, ec);
    if (ec) return Error{"cannot scan", ec.message(), named};
    if (!is_excluded(root.filename().native(), options.excludes)) {
      visit(WalkedFile{named, target.native()});
    }
    return {};
  }
  return Error{"cannot scan", "not a regular file or a directory", named};
}

}  // namespace devops_monitor::scan
