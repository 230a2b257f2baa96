// libcurl's functions, from the library opened the first time a request or a URL needs it
// (util/shared_library.hpp says why it is not linked). Every call into libcurl goes through
// curl(); its types and constants come from <curl/curl.h> as before.
#pragma once

#include <curl/curl.h>

#include "devops_monitor/error.hpp"

namespace devops_monitor {

struct CurlLibrary {
  decltype(&::curl_easy_init) easy_init = nullptr;
  decltype(&::curl_easy_setopt) easy_setopt = nullptr;
  decltype(&::curl_easy_getinfo) easy_getinfo = nullptr;
  decltype(&::curl_easy_cleanup) easy_cleanup = nullptr;
  decltype(&::curl_easy_strerror) easy_strerror = nullptr;
  decltype(&::curl_slist_append) slist_append = nullptr;
  decltype(&::curl_slist_free_all) slist_free_all = nullptr;
  decltype(&::curl_multi_init) multi_init = nullptr;
  decltype(&::curl_multi_cleanup) multi_cleanup = nullptr;
  decltype(&::curl_multi_add_handle) multi_add_handle = nullptr;
  decltype(&::curl_multi_remove_handle) multi_remove_handle = nullptr;
  decltype(&::curl_multi_perform) multi_perform = nullptr;
  decltype(&::curl_multi_poll) multi_poll = nullptr;
  decltype(&::curl_multi_info_read) multi_info_read = nullptr;
  decltype(&::curl_multi_strerror) multi_strerror = nullptr;
  decltype(&::curl_url) url = nullptr;
  decltype(&::curl_url_set) url_set = nullptr;
  decltype(&::curl_url_get) url_get = nullptr;
  decltype(&::curl_url_cleanup) url_cleanup = nullptr;
  decltype(&::curl_url_strerror) url_strerror = nullptr;
  decltype(&::curl_free) free = nullptr;
};

/// libcurl, opened and initialised (curl_global_init) once per process, from any thread; the
/// same answer every later call. The error names the library and the loader's reason.
Result<const CurlLibrary*> load_curl();

/// The functions, loaded on first use. Throws std::runtime_error when libcurl cannot be
/// loaded: the entry points (perform_requests, parse_url) call load_curl() first and answer
/// with its error, so the code after them can call curl() freely.
const CurlLibrary& curl();

}  // namespace devops_monitor
