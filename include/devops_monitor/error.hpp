// One error style for the whole project: expected failures travel as values (Result<T>),
// exceptions are reserved for programming errors.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace devops_monitor {

/// An expected failure, described for a person: what failed, why, and where
/// (a file:line, a flag, a URL host). Never contains key material.
struct Error {
  std::string what;    // "cannot read procfs file"
  std::string detail;  // "No such file or directory"
  std::string where;   // "/proc/stat"

  /// "what: detail (where)"; the command line prefixes it with "devops-monitor: ".
  [[nodiscard]] std::string message() const {
    std::string text = what;
    if (!detail.empty()) text += ": " + detail;
    if (!where.empty()) text += " (" + where + ")";
    return text;
  }
};

/// Either a value or an Error. A small stand-in for C++23 std::expected.
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}      // NOLINT: implicit on purpose
  Result(Error error) : state_(std::move(error)) {}  // NOLINT: implicit on purpose

  [[nodiscard]] bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & {
    assert(ok());
    return std::get<0>(state_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<0>(state_);
  }
  T&& value() && {
    assert(ok());
    return std::get<0>(std::move(state_));
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  [[nodiscard]] const Error& error() const {
    assert(!ok());
    return std::get<1>(state_);
  }

 private:
  std::variant<T, Error> state_;
};

/// Result of an operation that yields nothing but may fail.
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), failed_(true) {}  // NOLINT: implicit on purpose

  [[nodiscard]] bool ok() const { return !failed_; }
  explicit operator bool() const { return ok(); }
  [[nodiscard]] const Error& error() const {
    assert(failed_);
    return error_;
  }

 private:
  Error error_;
  bool failed_ = false;
};

}  // namespace devops_monitor
