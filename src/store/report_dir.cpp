#include "store/report_dir.hpp"

#include <sys/stat.h>

#include <cstdio>
#include <mutex>
#include <set>
#include <utility>

namespace devops_monitor {
namespace {

/// "0775": a mode's permission bits as chmod takes them.
std::string octal_mode(mode_t mode) {
  char text[8];
  std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode & 07777));
  return text;
}

/// The directories already warned about, by device and inode (one directory, many spellings).
bool first_time_for(const struct stat& info) {
  static std::mutex mutex;
  static std::set<std::pair<dev_t, ino_t>> warned;
  const std::lock_guard lock(mutex);
  return warned.insert({info.st_dev, info.st_ino}).second;
}

}  // namespace

std::optional<std::string> report_dir_exposure(mode_t mode) {
  const bool group = (mode & S_IWGRP) != 0;
  const bool others = (mode & S_IWOTH) != 0;
  if (!group && !others) return std::nullopt;
  const std::string who = group && others ? "group- and world-writable"
                          : group         ? "group-writable"
                                          : "world-writable";
  return "is " + who + " (mode " + octal_mode(mode) + ")";
}

std::optional<Error> report_dir_exposure_once(const std::filesystem::path& dir) {
  struct stat info {};
  if (::stat(dir.c_str(), &info) != 0 || !S_ISDIR(info.st_mode)) return std::nullopt;
  const std::optional<std::string> why = report_dir_exposure(info.st_mode);
  if (!why || !first_time_for(info)) return std::nullopt;
  return Error{"report directory writable by others",
               "it " + *why +
                   ": whoever can write there can plant the files checks read back "
                   "(latest_report.json, key_history.json); chmod go-w it",
               dir.string()};
}

}  // namespace devops_monitor
