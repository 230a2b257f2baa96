#include "system/procfs.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <charconv>
#include <system_error>

namespace devops_monitor {
namespace {

Error read_error(const std::filesystem::path& path, int error_number) {
  // generic_category().message is strerror's text without strerror's shared buffer.
  return Error{.what = "cannot read procfs file",
               .detail = std::generic_category().message(error_number),
               .where = path.string()};
}

/// Closes the descriptor on every path out of read_procfs_file.
class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  [[nodiscard]] int get() const { return fd_; }

 private:
  int fd_;
};

bool is_field_separator(char c) {
  return c == ' ' || c == '\t';
}

}  // namespace

Result<std::string> read_procfs_file(const std::filesystem::path& procfs, const std::string& name) {
  const std::filesystem::path path = procfs / name;
  // POSIX read rather than iostreams: we need errno for the error detail, and procfs files
  // say their size is 0, so the loop runs until read() reports EOF.
  FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) return read_error(path, errno);
  std::string text;
  std::array<char, 8192> buffer{};
  for (;;) {
    const ssize_t n = ::read(fd.get(), buffer.data(), buffer.size());
    if (n == 0) return text;
    if (n < 0) {
      if (errno == EINTR) continue;
      return read_error(path, errno);
    }
    text.append(buffer.data(), static_cast<std::size_t>(n));
  }
}

Result<void> require_complete_text(std::string_view text, const std::string& where) {
  if (text.empty()) {
    return Error{.what = "procfs file is empty", .detail = "", .where = where};
  }
  if (text.back() != '\n') {
    return Error{.what = "procfs file is truncated",
                 .detail = "the last line does not end with a newline",
                 .where = where};
  }
  return {};
}

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    const std::size_t end = text.find('\n');
    if (end == std::string_view::npos) {
      lines.push_back(text);
      break;
    }
    lines.push_back(text.substr(0, end));
    text.remove_prefix(end + 1);
  }
  return lines;
}

std::vector<std::string_view> split_fields(std::string_view line) {
  std::vector<std::string_view> fields;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && is_field_separator(line[i])) ++i;
    const std::size_t start = i;
    while (i < line.size() && !is_field_separator(line[i])) ++i;
    if (i > start) fields.push_back(line.substr(start, i - start));
  }
  return fields;
}

std::optional<std::uint64_t> parse_u64(std::string_view token) {
  std::uint64_t value = 0;
  const char* end = token.data() + token.size();
  // from_chars accepts no sign and no spaces, so "-1", "+1" and " 1" are refused here.
  const auto [ptr, ec] = std::from_chars(token.data(), end, value);
  if (ec != std::errc{} || ptr != end || token.empty()) return std::nullopt;
  return value;
}

std::string describe_bad_u64(std::string_view token) {
  std::uint64_t value = 0;
  const auto result = std::from_chars(token.data(), token.data() + token.size(), value);
  if (result.ec == std::errc::result_out_of_range) {
    return "'" + std::string(token) + "' does not fit in 64 bits";
  }
  return "'" + std::string(token) + "' is not a non-negative integer";
}

std::string where_line(const std::string& where, std::size_t line_index) {
  return where + ":" + std::to_string(line_index + 1);
}

}  // namespace devops_monitor
