#include "util/atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <string>
#include <vector>

#include "util/file_io.hpp"

namespace devops_monitor {
namespace {

Result<void> write_all(int fd, std::string_view contents, const std::filesystem::path& where) {
  while (!contents.empty()) {
    const ssize_t n = ::write(fd, contents.data(), contents.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Error{"cannot write file", errno_text(errno), where.string()};
    contents.remove_prefix(static_cast<std::size_t>(n));
  }
  if (::fsync(fd) != 0) return Error{"cannot write file", errno_text(errno), where.string()};
  return {};
}

}  // namespace

Result<TempFile> TempFile::create(const std::filesystem::path& dir, std::string_view contents) {
  // A dot-name that no report glob matches, so a crash can only leave an ignorable file.
  std::string pattern = (dir / ".devops-monitor.XXXXXX.tmp").string();
  std::vector<char> name(pattern.begin(), pattern.end());
  name.push_back('\0');
  const int fd = ::mkstemps(name.data(), 4);
  if (fd < 0) return Error{"cannot create file", errno_text(errno), dir.string()};
  TempFile file{std::filesystem::path(name.data())};
  ::fchmod(fd, 0644);  // mkstemp makes 0600; reports are meant to be read by others
  const Result<void> written = write_all(fd, contents, dir);
  ::close(fd);
  if (!written) return written.error();
  return file;
}

TempFile::TempFile(TempFile&& other) noexcept : path_(std::move(other.path_)) {
  other.path_.clear();
}

TempFile::~TempFile() {
  if (!path_.empty()) ::unlink(path_.c_str());
}

Result<void> TempFile::rename_to(const std::filesystem::path& target) {
  if (::rename(path_.c_str(), target.c_str()) != 0) {
    return Error{"cannot write file", errno_text(errno), target.string()};
  }
  path_.clear();
  return {};
}

void sync_directory(const std::filesystem::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);  // best effort: some filesystems refuse fsync on directories
  ::close(fd);
}

Result<void> write_file_atomically(const std::filesystem::path& file, std::string_view contents) {
  const std::filesystem::path dir = file.has_parent_path() ? file.parent_path() : ".";
  Result<TempFile> temp = TempFile::create(dir, contents);
  if (!temp) return temp.error();
  if (Result<void> renamed = temp->rename_to(file); !renamed) return renamed;
  sync_directory(dir);
  return {};
}

}  // namespace devops_monitor
