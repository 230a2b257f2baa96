// Reading whole files, with errors that name the file.
#pragma once

#include <filesystem>
#include <string>

#include "devops_monitor/error.hpp"

namespace devops_monitor {

/// The whole file. Reads until EOF (procfs files report a size of 0). On failure the Error
/// has `what` = `what_failed`, the system's reason as detail, and the path as `where`.
Result<std::string> read_file(const std::filesystem::path& file, const std::string& what_failed);

/// The rest of an open file, read until EOF; errors as read_file's, naming `file`. The caller
/// keeps ownership of `fd`.
Result<std::string> read_open_file(int fd, const std::filesystem::path& file,
                                   const std::string& what_failed);

/// "Permission denied" and friends for an errno value.
std::string errno_text(int error_number);

}  // namespace devops_monitor
