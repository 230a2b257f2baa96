// vectorscan's functions, from the library opened the first time a scan builds its prefix
// database (util/shared_library.hpp says why it is not linked: here also because vectorscan
// brings the shared C++ runtime, about 2 MB of serve's resident pages, though only a scan
// uses it). Its types and constants come from <hs.h> as before.
#pragma once

#include <hs.h>

#include "devops_monitor/error.hpp"

namespace devops_monitor::scan {

struct VectorscanLibrary {
  decltype(&::hs_valid_platform) valid_platform = nullptr;
  decltype(&::hs_compile_lit_multi) compile_lit_multi = nullptr;
  decltype(&::hs_free_compile_error) free_compile_error = nullptr;
  decltype(&::hs_free_database) free_database = nullptr;
  decltype(&::hs_alloc_scratch) alloc_scratch = nullptr;
  decltype(&::hs_free_scratch) free_scratch = nullptr;
  decltype(&::hs_scan) scan = nullptr;
};

/// vectorscan, opened once per process, from any thread; the same answer every later call.
/// The error names the library and the loader's reason.
Result<const VectorscanLibrary*> load_vectorscan();

}  // namespace devops_monitor::scan
