#include "scan/walk.hpp"

#include <fnmatch.h>

#include <algorithm>
#include <system_error>

#include "util/file_io.hpp"

namespace devops_monitor::scan {
namespace fs = std::filesystem;
namespace {

std::string joined(const std::string& base, const std::string& name) {
  if (base.empty() || base == "." || base == "./") return name;
  return base.back() == '/' ? base + name : base + "/" + name;
}

void walk_directory(const fs::path& dir, const std::string& display, const std::string& relative,
                    const std::vector<std::string>& excludes,
                    const std::function<void(const WalkedFile&)>& visit,
                    std::vector<std::string>& warnings) {
  std::error_code ec;
  fs::directory_iterator it(dir, fs::directory_options::none, ec);
  std::vector<fs::directory_entry> entries;
  for (; !ec && it != fs::directory_iterator(); it.increment(ec)) entries.push_back(*it);
  if (ec) {
    warnings.push_back("cannot read directory " + (display.empty() ? "." : display) + ": " +
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
    std::error_code status_ec;
    const fs::file_status status = entry.symlink_status(status_ec);
    if (status_ec) {
      warnings.push_back("cannot read " + shown + ": " + status_ec.message());
      continue;
    }
    if (fs::is_symlink(status)) continue;  // not followed: it may leave the tree or loop
    if (is_excluded(rel, excludes)) continue;
    if (fs::is_directory(status)) {
      if (name == ".git") continue;  // history, not working files; scanned by other tools
      walk_directory(entry.path(), shown, rel, excludes, visit, warnings);
    } else if (fs::is_regular_file(status)) {
      visit({entry.path(), shown});
    }
    // FIFOs, sockets and devices are skipped: reading a FIFO would wait for a writer.
  }
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

Result<void> walk(const fs::path& root, const std::vector<std::string>& excludes,
                  const std::function<void(const WalkedFile&)>& visit,
                  std::vector<std::string>& warnings) {
  std::error_code ec;
  const fs::file_status status = fs::status(root, ec);  // a named symlink is followed
  if (ec || !fs::exists(status)) {
    return Error{"cannot scan", ec ? ec.message() : "No such file or directory", root.string()};
  }
  const std::string display = root.native();
  if (fs::is_directory(status)) {
    walk_directory(root, display, "", excludes, visit, warnings);
    return {};
  }
  if (fs::is_regular_file(status)) {
    // Opened without following symlinks (a file swapped for one after the walk is refused),
    // so a named symlink is resolved here: naming it is asking for its target.
    const fs::path target = fs::canonical(root, ec);
    if (ec) return Error{"cannot scan", ec.message(), root.string()};
    if (!is_excluded(root.filename().native(), excludes)) visit({target, display});
    return {};
  }
  return Error{"cannot scan", "not a regular file or a directory", root.string()};
}

}  // namespace devops_monitor::scan
