#include "serve/server_libraries.hpp"

#include <stdexcept>

#include "util/shared_library.hpp"

namespace devops_monitor::serve {
namespace {

// The sonames of the libraries the build compiled against (CMakeLists.txt passes them).
constexpr const char* kGnutlsSoname = DEVOPS_MONITOR_GNUTLS_SONAME;
constexpr const char* kMicrohttpdSoname = DEVOPS_MONITOR_MICROHTTPD_SONAME;

Result<void> bind_gnutls(const SharedLibrary& library, GnutlsLibrary& f) {
  return SharedLibrary::first_failure({
      library.bind(f.x509_crt_list_import2, "gnutls_x509_crt_list_import2"),
      library.bind(f.x509_crt_deinit, "gnutls_x509_crt_deinit"),
      library.bind(f.certificate_allocate_credentials, "gnutls_certificate_allocate_credentials"),
      library.bind(f.certificate_set_x509_key_mem2, "gnutls_certificate_set_x509_key_mem2"),
      library.bind(f.certificate_free_credentials, "gnutls_certificate_free_credentials"),
      library.bind(f.priority_init, "gnutls_priority_init"),
      library.bind(f.priority_deinit, "gnutls_priority_deinit"),
      library.bind(f.strerror, "gnutls_strerror"),
      library.bind(f.free, "gnutls_free"),
  });
}

Result<void> bind_microhttpd(const SharedLibrary& library, MicrohttpdLibrary& f) {
  return SharedLibrary::first_failure({
      library.bind(f.start_daemon, "MHD_start_daemon"),
      library.bind(f.stop_daemon, "MHD_stop_daemon"),
      library.bind(f.get_connection_info, "MHD_get_connection_info"),
      library.bind(f.get_connection_values, "MHD_get_connection_values"),
      library.bind(f.get_connection_values_n, "MHD_get_connection_values_n"),
      library.bind(f.lookup_connection_value, "MHD_lookup_connection_value"),
      library.bind(f.create_response, "MHD_create_response_from_buffer_with_free_callback_cls"),
      library.bind(f.add_response_header, "MHD_add_response_header"),
      library.bind(f.queue_response, "MHD_queue_response"),
      library.bind(f.destroy_response, "MHD_destroy_response"),
      library.bind(f.suspend_connection, "MHD_suspend_connection"),
      library.bind(f.resume_connection, "MHD_resume_connection"),
  });
}

Result<const ServerLibraries*> open_server_libraries() {
  static ServerLibraries libraries;
  // GnuTLS first: libmicrohttpd serves TLS with it, and tls_material checks files with it.
  Result<SharedLibrary> gnutls_library = SharedLibrary::open(kGnutlsSoname);
  if (!gnutls_library) return gnutls_library.error();
  if (Result<void> bound = bind_gnutls(*gnutls_library, libraries.gnutls); !bound) {
    return bound.error();
  }
  Result<SharedLibrary> microhttpd_library = SharedLibrary::open(kMicrohttpdSoname);
  if (!microhttpd_library) return microhttpd_library.error();
  if (Result<void> bound = bind_microhttpd(*microhttpd_library, libraries.microhttpd); !bound) {
    return bound.error();
  }
  return &libraries;
}

const Result<const ServerLibraries*>& loaded_server_libraries() {
  static const Result<const ServerLibraries*> loaded = open_server_libraries();  // once
  return loaded;
}

const ServerLibraries& loaded_or_throw() {
  const Result<const ServerLibraries*>& loaded = loaded_server_libraries();
  if (!loaded) throw std::runtime_error(loaded.error().message());
  return **loaded;
}

}  // namespace

Result<const ServerLibraries*> load_server_libraries() {
  return loaded_server_libraries();
}

const MicrohttpdLibrary& microhttpd() {
  return loaded_or_throw().microhttpd;
}

const GnutlsLibrary& gnutls() {
  return loaded_or_throw().gnutls;
}

}  // namespace devops_monitor::serve
