// Small helpers for tests that watch a running daemon: wait for an outcome, count what it said.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>

namespace devops_monitor::testing {

/// Polls `done` every 20 ms until it holds, at most `limit`; whether it held. Used to wait for
/// an outcome a daemon records (a log line, a request a stand-in saw), never to time one.
bool wait_until(const std::function<bool()>& done,
                std::chrono::milliseconds limit = std::chrono::seconds(15));

/// How many times `needle` occurs in `text`, without overlaps.
std::size_t count_of(const std::string& text, const std::string& needle);

}  // namespace devops_monitor::testing
