#include "support/private_mounts.hpp"

#include <unistd.h>

#include "support/process.hpp"

namespace devops_monitor::testing {

std::optional<std::string> private_mounts_unavailable() {
  if (::geteuid() != 0) return "needs root to mount a file system";
  TempDir probe;
  RunOptions options;
  options.args = {"--mount",
                  "--propagation",
                  "private",
                  "/bin/sh",
                  "-c",
                  "mount -t tmpfs -o size=16k tmpfs \"$0\"",
                  probe.path().string()};
  options.env = {{"PATH", "/usr/sbin:/usr/bin:/sbin:/bin"}};
  options.timeout = std::chrono::seconds(10);
  const RunResult run = run_process("/usr/bin/unshare", options);
  if (run.exit_code != 0) return "cannot mount in a private namespace: " + run.err;
  return std::nullopt;
}

std::vector<std::string> on_full_disk(const std::filesystem::path& dir, int size_kib) {
  // `cat` stops with ENOSPC once the file system is full; that is the point.
  const std::string script = "mount -t tmpfs -o size=" + std::to_string(size_kib) +
                             "k tmpfs \"$0\" || exit 97; cat /dev/zero > \"$0/filler\" 2>/dev/null;"
                             " \"$@\"; status=$?; ls -A \"$0\" > \"$0.after\"; exit $status";
  return {"/usr/bin/unshare", "--mount", "--propagation", "private",
          "/bin/sh",          "-c",      script,          dir.string()};
}

std::vector<std::string> on_stuck_mount(const std::filesystem::path& dir) {
  const std::string script = std::string(DEVOPS_MONITOR_STUCK_FS) +
                             " \"$0\" & fs=$!; tries=0;"
                             " until grep -q \" $0 fuse\" /proc/self/mounts; do"
                             "   sleep 0.05; tries=$((tries + 1));"
                             "   if [ $tries -gt 100 ]; then kill -9 $fs; exit 97; fi;"
                             " done;"
                             " \"$@\"; status=$?; kill -9 $fs; exit $status";
  return {"/usr/bin/unshare", "--mount", "--propagation", "private",
          "/bin/sh",          "-c",      script,          dir.string()};
}

}  // namespace devops_monitor::testing
