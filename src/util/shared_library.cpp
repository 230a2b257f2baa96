#include "util/shared_library.hpp"

#include <dlfcn.h>

namespace devops_monitor {
namespace {

/// dlerror's text, or `fallback` when the loader gave none.
std::string loader_reason(const char* fallback) {
  const char* reason = ::dlerror();
  return reason != nullptr ? reason : fallback;
}

}  // namespace

Result<SharedLibrary> SharedLibrary::open(const std::string& soname) {
  ::dlerror();  // forget an earlier failure's text
  void* handle = ::dlopen(soname.c_str(), RTLD_LAZY | RTLD_GLOBAL);
  if (handle == nullptr) {
    return Error{"cannot load " + soname, loader_reason("not found"), ""};
  }
  return SharedLibrary(soname);
}

Result<void*> SharedLibrary::symbol(const char* name) const {
  ::dlerror();
  // The global scope, not this library's alone: what a linked call would reach, LD_PRELOAD
  // first (the fault-injection tests rely on it). The library itself is in that scope.
  void* address = ::dlsym(RTLD_DEFAULT, name);
  if (address == nullptr) {
    return Error{"cannot load " + soname_, loader_reason("symbol not found"), ""};
  }
  return address;
}

Result<void> SharedLibrary::first_failure(std::initializer_list<Result<void>> bound) {
  for (const Result<void>& each : bound) {
    if (!each) return each;
  }
  return {};
}

}  // namespace devops_monitor
