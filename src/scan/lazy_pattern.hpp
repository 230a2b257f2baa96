// A rule's std::regex, compiled the first time a candidate needs it. Compiling every rule's
// pattern up front (a bounded repeat such as {40,250} becomes hundreds of states) took about
// half of a scan's start-up, and most scans never reach most rules: the pre-commit hook and a
// small tree pay it for nothing.
#pragma once

#include <memory>
#include <mutex>
#include <regex>
#include <string>

namespace devops_monitor::scan {

class LazyPattern {
 public:
  LazyPattern() = default;
  explicit LazyPattern(std::string source) : state_(std::make_shared<State>()) {
    state_->source = std::move(source);
  }

  /// The compiled pattern; thread-safe (workers share the rules). Throws std::regex_error
  /// when the source does not compile: compile_rules compiles a pattern that is not a
  /// built-in one at once, so a scan fails before it starts rather than at a hit.
  [[nodiscard]] const std::regex& get() const {
    std::call_once(state_->once,
                   [this] { state_->regex = std::regex(state_->source, std::regex::ECMAScript); });
    return state_->regex;
  }

 private:
  struct State {
    std::string source;
    std::once_flag once;
    std::regex regex;
  };
  std::shared_ptr<State> state_;
};

}  // namespace devops_monitor::scan
