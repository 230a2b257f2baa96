// Whether a config file may be trusted with the user's keys, the way OpenSSH checks
// authorized_keys (safe_path) and git checks safe.directory: the file and every directory
// above it must be writable only by the caller or root. A config file decides where each key
// is sent, so a file someone else could write is a file someone else controls.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "devops_monitor/error.hpp"

namespace devops_monitor {

/// What stat() says about one path: st_mode (type and permission bits) and st_uid.
struct PathFacts {
  mode_t mode = 0;
  uid_t owner = 0;
};

// ---- the rules, pure ----------------------------------------------------------------------

/// Why a config file with these facts must not be trusted by `caller` (an effective uid), as
/// words that follow "it": "is world-writable (mode 0666)"; nullopt when it may be trusted. A
/// config file must be a regular file, owned by the caller or root, without group or world
/// write permission.
std::optional<std::string> untrusted_file_reason(const PathFacts& file, uid_t caller);

/// The same for a directory on the file's resolved path: owned by the caller or root, and
/// group- or world-writable only with the sticky bit (as /tmp), where others may add entries
/// but can neither rename nor remove ours.
std::optional<std::string> untrusted_directory_reason(const PathFacts& directory, uid_t caller);

// ---- the shell ----------------------------------------------------------------------------

/// Reads `file` if `caller` may trust it: symlinks are resolved, then the file and every
/// directory from its own up to / are checked with the rules above, and the text is read from
/// the very file that was checked. A refusal is Error{"untrusted <kind>", reason, file}; a
/// file that cannot be read is Error{"cannot read <kind>", errno text, file}. `kind` names
/// what the file is for ("web config file", "TLS key file"), since other files than the
/// config file are held to the same rules.
Result<std::string> read_trusted_file(const std::filesystem::path& file, uid_t caller,
                                      std::string_view kind = "config file");

}  // namespace devops_monitor
