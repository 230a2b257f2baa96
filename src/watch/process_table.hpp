// The live processes as /proc shows them (pid, parent, state, start time): enough to find the
// descendants of an action, and the orphans of one that were re-parented to this process.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string_view>
#include <vector>

namespace devops_monitor::watch {

struct ProcessEntry {
  pid_t pid = 0;
  pid_t parent = 0;
  char state = '?';                    // 'R', 'S', 'D', 'Z', ...
  unsigned long long start_ticks = 0;  // since boot, in clock ticks (/proc/<pid>/stat field 22)
};

/// Parses the text of /proc/<pid>/stat (pure, for tests); nullopt when it is not one.
std::optional<ProcessEntry> parse_process_stat(std::string_view text);

/// One process, read now; nullopt when it is gone.
std::optional<ProcessEntry> read_process(pid_t pid);

/// Every process this process can see, read now.
std::vector<ProcessEntry> process_table();

/// `roots` and every descendant of them in `table`.
std::vector<pid_t> with_descendants(const std::vector<ProcessEntry>& table,
                                    const std::vector<pid_t>& roots);

}  // namespace devops_monitor::watch
