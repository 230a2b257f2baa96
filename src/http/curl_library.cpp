#include "http/curl_library.hpp"

#include <stdexcept>

#include "util/shared_library.hpp"

namespace devops_monitor {
namespace {

// The soname of the libcurl the build compiled against (CMakeLists.txt passes it).
constexpr const char* kLibcurlSoname = DEVOPS_MONITOR_LIBCURL_SONAME;

Result<const CurlLibrary*> open_curl() {
  static CurlLibrary functions;
  Result<SharedLibrary> library = SharedLibrary::open(kLibcurlSoname);
  if (!library) return library.error();
  decltype(&::curl_global_init) global_init = nullptr;
  if (Result<void> bound = SharedLibrary::first_failure({
          library->bind(global_init, "curl_global_init"),
          library->bind(functions.easy_init, "curl_easy_init"),
          library->bind(functions.easy_setopt, "curl_easy_setopt"),
          library->bind(functions.easy_getinfo, "curl_easy_getinfo"),
          library->bind(functions.easy_cleanup, "curl_easy_cleanup"),
          library->bind(functions.easy_strerror, "curl_easy_strerror"),
          library->bind(functions.slist_append, "curl_slist_append"),
          library->bind(functions.slist_free_all, "curl_slist_free_all"),
          library->bind(functions.multi_init, "curl_multi_init"),
          library->bind(functions.multi_cleanup, "curl_multi_cleanup"),
          library->bind(functions.multi_add_handle, "curl_multi_add_handle"),
          library->bind(functions.multi_remove_handle, "curl_multi_remove_handle"),
          library->bind(functions.multi_perform, "curl_multi_perform"),
          library->bind(functions.multi_poll, "curl_multi_poll"),
          library->bind(functions.multi_info_read, "curl_multi_info_read"),
          library->bind(functions.multi_strerror, "curl_multi_strerror"),
          library->bind(functions.url, "curl_url"),
          library->bind(functions.url_set, "curl_url_set"),
          library->bind(functions.url_get, "curl_url_get"),
          library->bind(functions.url_cleanup, "curl_url_cleanup"),
          library->bind(functions.url_strerror, "curl_url_strerror"),
          library->bind(functions.free, "curl_free"),
      });
      !bound) {
    return bound.error();
  }
  if (const CURLcode code = global_init(CURL_GLOBAL_DEFAULT); code != CURLE_OK) {
    return Error{"cannot initialise " + library->soname(), functions.easy_strerror(code), ""};
  }
  return &functions;
}

const Result<const CurlLibrary*>& loaded_curl() {
  static const Result<const CurlLibrary*> loaded = open_curl();  // once, thread-safe
  return loaded;
}

}  // namespace

Result<const CurlLibrary*> load_curl() {
  return loaded_curl();
}

const CurlLibrary& curl() {
  const Result<const CurlLibrary*>& loaded = loaded_curl();
  if (!loaded) throw std::runtime_error(loaded.error().message());
  return **loaded;
}

}  // namespace devops_monitor
