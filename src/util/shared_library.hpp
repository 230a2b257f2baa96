// A shared library opened when a command first needs it, instead of by the dynamic linker at
// every start. libcurl and libmicrohttpd pull in some thirty libraries between them (TLS,
// Kerberos, LDAP, IDN...), and mapping them costs about 3 ms of every start, a third of a
// `scan --staged` in a commit hook, though only the commands that speak HTTP use them.
#pragma once

#include <initializer_list>
#include <string>
#include <utility>

#include "devops_monitor/error.hpp"

namespace devops_monitor {

class SharedLibrary {
 public:
  /// Opens `soname` ("libcurl.so.4") where the dynamic linker would have found it had it been
  /// linked: the same search path, and bound the same way: lazily (a function's address is
  /// resolved at its first call; binding all at once cost serve about 2 MB of resident
  /// pages) and globally, so symbols resolve as if linked (an LD_PRELOAD'ed library still
  /// comes first). The error names the
  /// library and the loader's reason. Never closed: like a linked library, it stays until the
  /// process ends, so no object it made can outlive it.
  static Result<SharedLibrary> open(const std::string& soname);

  /// The address of `name`, resolved as the dynamic linker resolves a linked symbol.
  [[nodiscard]] Result<void*> symbol(const char* name) const;

  /// Fills `pointer` with the address of `name`, typed as the pointer is.
  template <typename Pointer>
  [[nodiscard]] Result<void> bind(Pointer& pointer, const char* name) const {
    Result<void*> address = symbol(name);
    if (!address) return address.error();
    pointer = reinterpret_cast<Pointer>(*address);
    return {};
  }

  /// The first failure among `bound` (bind() calls listed together), or success.
  static Result<void> first_failure(std::initializer_list<Result<void>> bound);

  [[nodiscard]] const std::string& soname() const { return soname_; }

 private:
  explicit SharedLibrary(std::string soname) : soname_(std::move(soname)) {}
  std::string soname_;
};

}  // namespace devops_monitor
