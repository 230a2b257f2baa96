// libmicrohttpd's and GnuTLS's functions, from the libraries opened the first time `serve`
// checks its web config or starts (util/shared_library.hpp says why they are not linked).
// Their types and constants come from their headers as before.
#pragma once

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <microhttpd.h>

#include "devops_monitor/error.hpp"

namespace devops_monitor::serve {

struct MicrohttpdLibrary {
  decltype(&::MHD_start_daemon) start_daemon = nullptr;
  decltype(&::MHD_stop_daemon) stop_daemon = nullptr;
  decltype(&::MHD_get_connection_info) get_connection_info = nullptr;
  decltype(&::MHD_get_connection_values) get_connection_values = nullptr;
  decltype(&::MHD_get_connection_values_n) get_connection_values_n = nullptr;
  decltype(&::MHD_lookup_connection_value) lookup_connection_value = nullptr;
  decltype(&::MHD_create_response_from_buffer_with_free_callback_cls) create_response = nullptr;
  decltype(&::MHD_add_response_header) add_response_header = nullptr;
  decltype(&::MHD_queue_response) queue_response = nullptr;
  decltype(&::MHD_destroy_response) destroy_response = nullptr;
  decltype(&::MHD_suspend_connection) suspend_connection = nullptr;
  decltype(&::MHD_resume_connection) resume_connection = nullptr;
};

struct GnutlsLibrary {
  decltype(&::gnutls_x509_crt_list_import2) x509_crt_list_import2 = nullptr;
  decltype(&::gnutls_x509_crt_deinit) x509_crt_deinit = nullptr;
  decltype(&::gnutls_certificate_allocate_credentials) certificate_allocate_credentials = nullptr;
  decltype(&::gnutls_certificate_set_x509_key_mem2) certificate_set_x509_key_mem2 = nullptr;
  decltype(&::gnutls_certificate_free_credentials) certificate_free_credentials = nullptr;
  decltype(&::gnutls_priority_init) priority_init = nullptr;
  decltype(&::gnutls_priority_deinit) priority_deinit = nullptr;
  decltype(&::gnutls_strerror) strerror = nullptr;
  gnutls_free_function* free = nullptr;  // a variable in GnuTLS, not a function
};

struct ServerLibraries {
  MicrohttpdLibrary microhttpd;
  GnutlsLibrary gnutls;
};

/// Both libraries, opened once per process, from any thread; the same answer every later
/// call. The error names the library and the loader's reason.
Result<const ServerLibraries*> load_server_libraries();

/// The functions, loaded on first use. Throws std::runtime_error when they cannot be loaded:
/// the entry points (start_http_server, load_tls_material) call load_server_libraries()
/// first and answer with its error, so the code after them can call these freely.
const MicrohttpdLibrary& microhttpd();
const GnutlsLibrary& gnutls();

}  // namespace devops_monitor::serve
