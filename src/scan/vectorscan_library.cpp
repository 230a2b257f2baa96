#include "scan/vectorscan_library.hpp"

#include "util/shared_library.hpp"

namespace devops_monitor::scan {
namespace {

// The soname of the vectorscan the build compiled against (CMakeLists.txt passes it).
constexpr const char* kVectorscanSoname = DEVOPS_MONITOR_VECTORSCAN_SONAME;

Result<const VectorscanLibrary*> open_vectorscan() {
  static VectorscanLibrary functions;
  Result<SharedLibrary> library = SharedLibrary::open(kVectorscanSoname);
  if (!library) return library.error();
  if (Result<void> bound = SharedLibrary::first_failure({
          library->bind(functions.valid_platform, "hs_valid_platform"),
          library->bind(functions.compile_lit_multi, "hs_compile_lit_multi"),
          library->bind(functions.free_compile_error, "hs_free_compile_error"),
          library->bind(functions.free_database, "hs_free_database"),
          library->bind(functions.alloc_scratch, "hs_alloc_scratch"),
          library->bind(functions.free_scratch, "hs_free_scratch"),
          library->bind(functions.scan, "hs_scan"),
      });
      !bound) {
    return bound.error();
  }
  return &functions;
}

}  // namespace

Result<const VectorscanLibrary*> load_vectorscan() {
  static const Result<const VectorscanLibrary*> loaded = open_vectorscan();  // once, thread-safe
  return loaded;
}

}  // namespace devops_monitor::scan
