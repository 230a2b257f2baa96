// Waiting for a `devops-monitor serve` the test started: its port and its first key round.
#pragma once

#include <string>

#include "support/process.hpp"

namespace devops_monitor::testing {

/// The port of `listening on 127.0.0.1:PORT` once serve has also logged its first "keys
/// checked" line (either may come first: a round without keys can end before serve says it
/// listens); 0 when not both within 15 s. `err` gets the stderr read so far.
int serve_port_after_first_round(Process& serve, std::string& err);

}  // namespace devops_monitor::testing
