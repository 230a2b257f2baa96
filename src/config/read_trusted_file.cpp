// The stat walk behind read_trusted_file: resolve, check every directory up to /, then open
// the file and check what was opened, so the text read is the text that was vetted.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <memory>
#include <utility>

#include "config/file_trust.hpp"
#include "util/file_io.hpp"

namespace devops_monitor {
namespace {

struct Closer {
  explicit Closer(int descriptor) : fd(descriptor) {}
  Closer(const Closer&) = delete;
  Closer& operator=(const Closer&) = delete;
  ~Closer() {
    if (fd >= 0) ::close(fd);
  }
  int fd;
};

PathFacts facts_of(const struct stat& info) {
  return {.mode = info.st_mode, .owner = info.st_uid};
}

/// The path with every symlink, "." and ".." resolved, as the kernel will open it.
Result<std::filesystem::path> resolve(const std::filesystem::path& file,
                                      const std::string& cannot_read) {
  const std::unique_ptr<char, decltype(&std::free)> real(::realpath(file.c_str(), nullptr),
                                                         &std::free);
  if (!real) return Error{cannot_read, errno_text(errno), file.string()};
  return std::filesystem::path(real.get());
}

}  // namespace

Result<std::string> read_trusted_file(const std::filesystem::path& file, uid_t caller,
                                      std::string_view kind) {
  const std::string named = file.string();
  const std::string cannot_read = "cannot read " + std::string(kind);
  Result<std::filesystem::path> resolved = resolve(file, cannot_read);
  if (!resolved) return resolved.error();
  // Name the resolved file only when it is not the one the user wrote.
  std::error_code ec;
  const std::filesystem::path absolute = std::filesystem::absolute(file, ec);
  const std::string subject = !ec && absolute.lexically_normal() == *resolved
                                  ? "it"
                                  : "it resolves to " + resolved->string() + ", which";
  auto refuse = [&](const std::string& detail) {
    return Error{"untrusted " + std::string(kind), detail, named};
  };

  // Refuse a FIFO or device before opening it: opening one can block or have side effects.
  struct stat info {};
  if (::stat(resolved->c_str(), &info) != 0) return Error{cannot_read, errno_text(errno), named};
  if (std::optional<std::string> why = untrusted_file_reason(facts_of(info), caller)) {
    return refuse(subject + " " + *why);
  }
  for (std::filesystem::path dir = resolved->parent_path();; dir = dir.parent_path()) {
    struct stat dir_info {};
    if (::stat(dir.c_str(), &dir_info) != 0) return Error{cannot_read, errno_text(errno), named};
    if (std::optional<std::string> why = untrusted_directory_reason(facts_of(dir_info), caller)) {
      return refuse("its directory " + dir.string() + " " + *why);
    }
    if (dir == dir.root_path()) break;
  }

  // The directories can no longer change under us (only trusted users may write them), but
  // the file could have been replaced between the checks: check what was actually opened.
  const Closer fd{
      ::open(resolved->c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK)};
  if (fd.fd < 0) return Error{cannot_read, errno_text(errno), named};
  struct stat opened {};
  if (::fstat(fd.fd, &opened) != 0) return Error{cannot_read, errno_text(errno), named};
  if (opened.st_dev != info.st_dev || opened.st_ino != info.st_ino) {
    return refuse("it was replaced while it was being checked");
  }
  if (std::optional<std::string> why = untrusted_file_reason(facts_of(opened), caller)) {
    return refuse(subject + " " + *why);
  }
  Result<RegularFileText> text = read_open_regular_file(
      fd.fd, file, cannot_read,
      {.max_bytes = kMaxConfigFileBytes, .symlinks = Symlinks::follow, .kind = kind});
  if (!text) return text.error();
  return std::move(text->text);
}

}  // namespace devops_monitor
