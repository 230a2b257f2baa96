// Checked with GnuTLS itself, the library libmicrohttpd serves TLS with, so that what passes
// here is what the server loads.
#include "serve/tls_material.hpp"

#include <unistd.h>

#include <array>
#include <string_view>

#include "config/file_trust.hpp"
#include "serve/server_libraries.hpp"

namespace devops_monitor::serve {

namespace {

// node_exporter's names, oldest first, beside GnuTLS's.
constexpr std::array<std::pair<std::string_view, std::string_view>, 4> kTlsVersions{{
    {"TLS10", "VERS-TLS1.0"},
    {"TLS11", "VERS-TLS1.1"},
    {"TLS12", "VERS-TLS1.2"},
    {"TLS13", "VERS-TLS1.3"},
}};

/// The index of `name` in kTlsVersions; `otherwise` when empty (or unknown: the web config
/// accepts only these four).
std::size_t tls_version_index(const std::string& name, std::size_t otherwise) {
  for (std::size_t i = 0; i < kTlsVersions.size(); ++i) {
    if (kTlsVersions[i].first == name) return i;
  }
  return otherwise;
}

gnutls_datum_t pem_datum(const std::string& pem) {
  // GnuTLS only reads through the pointer.
  return {reinterpret_cast<unsigned char*>(const_cast<char*>(pem.data())),
          static_cast<unsigned int>(pem.size())};
}

/// Every certificate of the chain parses.
Result<void> check_certificates(const std::string& pem, const std::filesystem::path& file) {
  gnutls_x509_crt_t* certs = nullptr;
  unsigned int count = 0;
  const gnutls_datum_t data = pem_datum(pem);
  const int rc = gnutls().x509_crt_list_import2(&certs, &count, &data, GNUTLS_X509_FMT_PEM, 0);
  for (unsigned int i = 0; i < count; ++i) gnutls().x509_crt_deinit(certs[i]);
  (*gnutls().free)(certs);
  if (rc < 0) return Error{"cannot load TLS certificate", gnutls().strerror(rc), file.string()};
  return {};
}

/// The key parses and belongs to the leaf certificate: loaded exactly as libmicrohttpd loads
/// them (gnutls_certificate_set_x509_key_mem2), after the chain passed on its own, so what
/// fails here is the key's fault.
Result<void> check_key_pair(const TlsMaterial& material, const std::filesystem::path& key_file) {
  gnutls_certificate_credentials_t credentials = nullptr;
  if (gnutls().certificate_allocate_credentials(&credentials) < 0) {
    return Error{"cannot set up TLS", "out of memory", ""};
  }
  const gnutls_datum_t cert = pem_datum(material.cert_pem);
  const gnutls_datum_t key = pem_datum(material.key_pem);
  const int rc = gnutls().certificate_set_x509_key_mem2(credentials, &cert, &key,
                                                        GNUTLS_X509_FMT_PEM, nullptr, 0);
  gnutls().certificate_free_credentials(credentials);
  if (rc == GNUTLS_E_CERTIFICATE_KEY_MISMATCH) {
    return Error{"TLS private key does not match the certificate", gnutls().strerror(rc),
                 key_file.string()};
  }
  if (rc < 0) return Error{"cannot load TLS private key", gnutls().strerror(rc), key_file.string()};
  return {};
}

/// GnuTLS accepts the string (a version this GnuTLS was built without would fail here).
Result<void> check_priorities(const std::string& priorities) {
  gnutls_priority_t cache = nullptr;
  const char* error_at = nullptr;
  const int rc = gnutls().priority_init(&cache, priorities.c_str(), &error_at);
  if (rc < 0) {
    return Error{"cannot set up TLS",
                 std::string(gnutls().strerror(rc)) + " at '" + (error_at ? error_at : "") + "'",
                 ""};
  }
  gnutls().priority_deinit(cache);
  return {};
}

}  // namespace

Result<std::string> tls_priorities(const std::string& min_version, const std::string& max_version) {
  const std::size_t low = tls_version_index(min_version, 2);
  const std::size_t high = tls_version_index(max_version, kTlsVersions.size() - 1);
  if (low > high) {
    return Error{"cannot set up TLS",
                 "min_version " + min_version + " is newer than max_version " + max_version, ""};
  }
  std::string priorities = "NORMAL:-VERS-ALL";
  for (std::size_t i = low; i <= high; ++i) {
    priorities += ":+";
    priorities += kTlsVersions[i].second;
  }
  return priorities + ":%SERVER_PRECEDENCE";
}

Result<TlsMaterial> load_tls_material(const TlsFiles& tls) {
  if (Result<const ServerLibraries*> libraries = load_server_libraries(); !libraries) {
    return libraries.error();
  }
  TlsMaterial material;
  Result<std::string> cert = read_trusted_file(tls.cert_file, geteuid(), kTlsCertificateFileKind);
  if (!cert) return cert.error();
  material.cert_pem = std::move(*cert);
  Result<std::string> key = read_trusted_file(tls.key_file, geteuid(), kTlsKeyFileKind);
  if (!key) return key.error();
  material.key_pem = std::move(*key);
  Result<std::string> priorities = tls_priorities(tls.min_version, tls.max_version);
  if (!priorities) return priorities.error();
  material.priorities = std::move(*priorities);
  if (Result<void> ok = check_certificates(material.cert_pem, tls.cert_file); !ok)
    return ok.error();
  if (Result<void> ok = check_key_pair(material, tls.key_file); !ok) return ok.error();
  if (Result<void> ok = check_priorities(material.priorities); !ok) return ok.error();
  return material;
}

}  // namespace devops_monitor::serve
