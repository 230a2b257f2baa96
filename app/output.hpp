// How every command speaks: results on stdout, one line per error or warning on stderr, all
// outside text made printable first, and the exit status of a command that could not run.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "devops_monitor/check_notes.hpp"
#include "devops_monitor/error.hpp"

namespace devops_monitor::cli {

/// Nagios UNKNOWN: the command itself could not run (a bad flag, an unreadable file).
inline constexpr int kCannotRun = 3;

/// Writes `text` to stdout as is and flushes.
void print(std::string_view text);

/// "devops-monitor: <error>" on stderr; returns kCannotRun.
int fail(const Error& error);

/// "devops-monitor: warning: <warning>" on stderr, one line each.
void print_warnings(const std::vector<Error>& warnings);

/// stdout is a terminal and NO_COLOR is unset or empty.
bool use_color();

/// stderr is a terminal: a person is watching and may be told what is taking time.
bool stderr_is_terminal();

}  // namespace devops_monitor::cli
