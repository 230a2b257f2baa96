// Real file systems for tests that need a full disk or a stuck mount: the child runs in a
// private mount namespace (unshare), so whatever it mounts disappears when it exits, even if
// the test fails. Needs root with CAP_SYS_ADMIN, as in CI; tests skip when it is missing.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace devops_monitor::testing {

/// Why private mounts cannot be made here, or nullopt when they can.
std::optional<std::string> private_mounts_unavailable();

/// A command prefix that runs the command after it in a private mount namespace where `dir`
/// is a tmpfs of `size_kib` KiB filled to the last byte (by a file named "filler"). When the
/// command has exited, the names left in `dir` are listed in the file `dir`.after.
std::vector<std::string> on_full_disk(const std::filesystem::path& dir, int size_kib = 64);

/// A command prefix that runs the command after it in a private mount namespace where `dir`
/// is a FUSE mount whose statfs never answers (tests/faults/stuck_fs.c), as a stuck NFS or
/// FUSE mount. The file system is killed when the command has exited.
std::vector<std::string> on_stuck_mount(const std::filesystem::path& dir);

}  // namespace devops_monitor::testing
