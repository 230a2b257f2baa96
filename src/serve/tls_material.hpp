// The TLS side of serve, read from the web config's files and checked before the server
// starts: libmicrohttpd loads the same PEM text with GnuTLS, but when that fails it only says
// that it did not start, not which file is wrong or why.
#pragma once

#include <string>
#include <string_view>

#include "devops_monitor/error.hpp"
#include "serve/http_server.hpp"

namespace devops_monitor::serve {

/// What the TLS files are called in errors ("untrusted TLS key file: ...").
inline constexpr std::string_view kTlsCertificateFileKind = "TLS certificate file";
inline constexpr std::string_view kTlsKeyFileKind = "TLS key file";

struct TlsMaterial {
  std::string cert_pem;    // the certificate chain, leaf first
  std::string key_pem;     // the private key
  std::string priorities;  // a GnuTLS priority string: the protocol versions allowed
};

/// Reads both files, under the config file's trust rules (owned by the caller or root, written
/// by no one else: "untrusted TLS key file", "cannot read TLS key file"), and loads them with
/// GnuTLS as libmicrohttpd will. Errors name the file: "cannot load TLS certificate", "cannot
/// load TLS private key", "TLS private key does not match the certificate".
Result<TlsMaterial> load_tls_material(const TlsFiles& tls);

/// The GnuTLS priority string for the web config's min_version and max_version ("TLS10" ..
/// "TLS13"; empty: TLS12 and TLS13): GnuTLS's NORMAL set with only those versions, the
/// server's cipher order first. An error when min_version is newer than max_version.
Result<std::string> tls_priorities(const std::string& min_version, const std::string& max_version);

}  // namespace devops_monitor::serve
