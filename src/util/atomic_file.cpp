#include "util/atomic_file.hpp"

#include <fcntl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>

#include "util/file_io.hpp"

namespace devops_monitor {
namespace {

constexpr std::string_view kTempPrefix = ".devops-monitor.";
constexpr std::string_view kTempSuffix = ".tmp";

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

/// ".devops-monitor.<16 hex digits>.tmp": a dot-name no report glob matches, unique enough
/// that O_EXCL almost never has to try twice.
/// The bits come from the kernel on each call: a thread_local generator put its 2.5 kB of
/// state into the TLS block of every thread, which glibc clears on each thread's stack when
/// it starts (serve runs one thread per connection). Without getrandom, the process id, the
/// clock and a counter: O_EXCL catches the rare clash.
std::string random_temp_name() {
  std::uint64_t bits = 0;
  if (::getrandom(&bits, sizeof bits, GRND_NONBLOCK) != static_cast<ssize_t>(sizeof bits)) {
    static std::atomic<std::uint64_t> temp_name_counter{0};
    const auto now = std::chrono::steady_clock::now().time_since_epoch().count();
    bits = (static_cast<std::uint64_t>(::getpid()) << 32) ^ static_cast<std::uint64_t>(now) ^
           (temp_name_counter.fetch_add(1) * 0x9E3779B97F4A7C15ULL);
  }
  std::array<char, 17> hex{};
  std::snprintf(hex.data(), hex.size(), "%016llx", static_cast<unsigned long long>(bits));
  return std::string(kTempPrefix) + hex.data() + std::string(kTempSuffix);
}

}  // namespace

Result<TempFile> TempFile::create(const std::filesystem::path& dir, std::string_view contents) {
  // open(O_EXCL) with mode 0666 rather than mkstemp: the kernel then applies the umask, as
  // for any file a program creates (mkstemp's 0600 plus a fixed chmod would ignore it).
  for (int attempt = 0; attempt < 100; ++attempt) {
    std::filesystem::path path = dir / random_temp_name();
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd < 0 && errno == EEXIST) continue;
    if (fd < 0) return Error{"cannot create file", errno_text(errno), dir.string()};
    TempFile file{std::move(path)};
    const Result<void> written = write_all(fd, contents, dir);
    ::close(fd);
    if (!written) return written.error();  // the destructor removes the partial file
    return file;
  }
  return Error{"cannot create file", "no free temporary name", dir.string()};
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

bool is_temp_file_name(std::string_view name) {
  return name.size() > kTempPrefix.size() + kTempSuffix.size() && name.starts_with(kTempPrefix) &&
         name.ends_with(kTempSuffix);
}

std::size_t remove_stale_temp_files(const std::filesystem::path& dir,
                                    std::chrono::seconds older_than) {
  std::error_code ec;
  std::filesystem::directory_iterator entries(dir, ec);
  std::size_t removed = 0;
  const auto now = std::filesystem::file_time_type::clock::now();
  for (; !ec && entries != std::filesystem::directory_iterator(); entries.increment(ec)) {
    const std::filesystem::path& path = entries->path();
    if (!is_temp_file_name(path.filename().string())) continue;
    std::error_code stat_error;
    const auto modified = std::filesystem::last_write_time(path, stat_error);
    if (stat_error || now - modified < older_than) continue;
    if (::unlink(path.c_str()) == 0) ++removed;
  }
  return removed;
}

Result<void> make_directories(const std::filesystem::path& dir, std::string_view what) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Error{"cannot create " + std::string(what), ec.message(), dir.string()};
  if (!std::filesystem::is_directory(dir, ec)) {
    return Error{"cannot use " + std::string(what), "not a directory", dir.string()};
  }
  return {};
}

}  // namespace devops_monitor
