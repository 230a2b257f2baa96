#include "watch/process_table.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <memory>
#include <set>
#include <string>

namespace devops_monitor::watch {
namespace {

/// The fields after the command name, which is in parentheses and may hold anything,
/// spaces and ')' included: the last ')' ends it.
constexpr std::size_t kStateField = 0;
constexpr std::size_t kParentField = 1;
constexpr std::size_t kStartTimeField = 19;  // field 22 of proc(5), counted from field 3

template <class Number>
bool parse_number(std::string_view text, Number& out) {
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), out);
  return error == std::errc() && end == text.data() + text.size();
}

/// Reads a small /proc file whole; empty when it cannot be read.
std::string read_proc_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return {};
  std::string text;
  char buffer[1024];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n <= 0) break;
    text.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return text;
}

}  // namespace

std::optional<ProcessEntry> parse_process_stat(std::string_view text) {
  const std::size_t name_end = text.rfind(')');
  const std::size_t space = text.find(' ');
  if (name_end == std::string_view::npos || space == std::string_view::npos) return std::nullopt;
  ProcessEntry entry;
  if (!parse_number(text.substr(0, space), entry.pid)) return std::nullopt;
  std::string_view rest = text.substr(name_end + 1);
  for (std::size_t field = 0; field <= kStartTimeField; ++field) {
    const std::size_t start = rest.find_first_not_of(" \n");
    if (start == std::string_view::npos) return std::nullopt;
    rest.remove_prefix(start);
    const std::size_t end = std::min(rest.find_first_of(" \n"), rest.size());
    const std::string_view value = rest.substr(0, end);
    if (field == kStateField) entry.state = value.empty() ? '?' : value[0];
    if (field == kParentField && !parse_number(value, entry.parent)) return std::nullopt;
    if (field == kStartTimeField && !parse_number(value, entry.start_ticks)) return std::nullopt;
    rest.remove_prefix(end);
  }
  return entry;
}

std::optional<ProcessEntry> read_process(pid_t pid) {
  return parse_process_stat(read_proc_file("/proc/" + std::to_string(pid) + "/stat"));
}

std::vector<ProcessEntry> process_table() {
  std::vector<ProcessEntry> table;
  const std::unique_ptr<DIR, int (*)(DIR*)> proc(::opendir("/proc"), &::closedir);
  if (!proc) return table;
  while (const dirent* entry = ::readdir(proc.get())) {
    pid_t pid = 0;
    if (!parse_number(std::string_view(entry->d_name), pid)) continue;
    if (std::optional<ProcessEntry> process = read_process(pid)) table.push_back(*process);
  }
  return table;
}

std::vector<pid_t> with_descendants(const std::vector<ProcessEntry>& table,
                                    const std::vector<pid_t>& roots) {
  std::set<pid_t> found(roots.begin(), roots.end());
  // Parents may come after their children in /proc's order: repeat until nothing is added.
  for (bool grew = true; grew;) {
    grew = false;
    for (const ProcessEntry& process : table) {
      if (found.count(process.parent) != 0 && found.insert(process.pid).second) grew = true;
    }
  }
  return {found.begin(), found.end()};
}

}  // namespace devops_monitor::watch
