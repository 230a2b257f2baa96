// The library's promise at its public edge: no exception escapes. Expected failures travel as
// Result values everywhere inside; this catches what is left (out of memory, a thread that
// cannot be started, a bug) and turns it into an Error too.
#pragma once

#include <exception>
#include <new>
#include <string>
#include <system_error>

#include "devops_monitor/error.hpp"

namespace devops_monitor {

/// The Error for an exception that reached the public edge while doing `what`.
inline Error unexpected_failure(const char* what) {
  try {
    throw;
  } catch (const std::bad_alloc&) {
    return Error{what, "out of memory", ""};
  } catch (const std::system_error& e) {
    return Error{what, e.code().message(), ""};
  } catch (const std::exception& e) {
    return Error{what, std::string("unexpected failure: ") + e.what(), ""};
  } catch (...) {
    return Error{what, "unexpected failure", ""};
  }
}

/// Runs `body` (returning Result<T> or something convertible) and turns any exception into
/// an Error saying `what` failed.
template <class T, class Body>
Result<T> guarded(const char* what, Body&& body) noexcept {
  try {
    return body();
  } catch (...) {
    return unexpected_failure(what);
  }
}

}  // namespace devops_monitor
