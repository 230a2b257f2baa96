// The trust rules for config files, over plain stat() values.
#include <fmt/format.h>
#include <sys/stat.h>

#include "config/file_trust.hpp"

namespace devops_monitor {
namespace {

std::string_view kind_of(mode_t mode) {
  if (S_ISREG(mode)) return "a regular file";
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISCHR(mode) || S_ISBLK(mode)) return "a device";
  return "something else";
}

unsigned permissions(mode_t mode) {
  return static_cast<unsigned>(mode) & 07777U;
}

/// Owned by the caller or by root: nobody else may have written it (root can write anything
/// anyway, so trusting root costs nothing).
std::optional<std::string> foreign_owner(uid_t owner, uid_t caller) {
  if (owner == caller || owner == 0) return std::nullopt;
  return fmt::format("is owned by uid {}, not by you (uid {}) or root", owner, caller);
}

}  // namespace

std::optional<std::string> untrusted_file_reason(const PathFacts& file, uid_t caller) {
  if (!S_ISREG(file.mode)) {
    return fmt::format("is {}, not a regular file", kind_of(file.mode));
  }
  if (std::optional<std::string> owner = foreign_owner(file.owner, caller)) return owner;
  if ((file.mode & S_IWOTH) != 0) {
    return fmt::format("is world-writable (mode {:04o})", permissions(file.mode));
  }
  if ((file.mode & S_IWGRP) != 0) {
    return fmt::format("is group-writable (mode {:04o})", permissions(file.mode));
  }
  return std::nullopt;
}

std::optional<std::string> untrusted_directory_reason(const PathFacts& directory, uid_t caller) {
  if (!S_ISDIR(directory.mode)) {
    return fmt::format("is {}, not a directory", kind_of(directory.mode));
  }
  if (std::optional<std::string> owner = foreign_owner(directory.owner, caller)) return owner;
  // With the sticky bit, others may create entries but not rename or delete ours (/tmp).
  if ((directory.mode & S_ISVTX) != 0) return std::nullopt;
  if ((directory.mode & S_IWOTH) != 0) {
    return fmt::format("is world-writable without the sticky bit (mode {:04o})",
                       permissions(directory.mode));
  }
  if ((directory.mode & S_IWGRP) != 0) {
    return fmt::format("is group-writable without the sticky bit (mode {:04o})",
                       permissions(directory.mode));
  }
  return std::nullopt;
}

}  // namespace devops_monitor
