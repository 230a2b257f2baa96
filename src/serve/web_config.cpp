// node_exporter's web configuration file (exporter-toolkit's web-config format), the parts
// serve supports: tls_server_config (cert_file, key_file, min_version, max_version) and
// basic_auth_users. Keys the format documents but serve does not implement are refused by name,
// rather than ignored: a file that asks for client certificates must not silently get none.
#include <unistd.h>

#include <yaml-cpp/yaml.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <regex>

#include "config/file_trust.hpp"
#include "devops_monitor/text.hpp"
#include "serve/http_server.hpp"

namespace devops_monitor::serve {

namespace {

constexpr std::size_t kMaxWebConfigBytes = 64 * 1024;
constexpr int kMaxWebConfigFlowDepth = 32;

// A name from the file, quoted for an error message: printable and on one line.
std::string web_config_quoted(std::string_view text) {
  return "'" + printable(text.substr(0, 64)) + "'";
}

class WebConfigReader {
 public:
  WebConfigReader(const std::string& origin, const std::filesystem::path& base_dir)
      : origin_(origin), base_dir_(base_dir) {}

  Result<WebConfig> read(const YAML::Node& root) {
    WebConfig config;
    if (root.IsNull()) return config;  // an empty file: plain HTTP, no auth (as node_exporter)
    if (!root.IsMap()) return at(root, "expected a mapping of tls_server_config, basic_auth_users");
    for (const auto& entry : root) {
      const std::string key = entry.first.Scalar();
      const YAML::Node& value = entry.second;
      if (key == "tls_server_config") {
        Result<TlsFiles> tls = read_tls(entry.first, value);
        if (!tls) return tls.error();
        config.tls = std::move(tls.value());
      } else if (key == "basic_auth_users") {
        Result<std::map<std::string, std::string>> users = read_users(value);
        if (!users) return users.error();
        config.basic_auth_users = std::move(users.value());
      } else if (key == "http_server_config") {
        if (auto refused = check_http_server_config(value)) return *refused;
      } else {
        return at(entry.first, "unknown key " + web_config_quoted(key) +
                                   " (expected tls_server_config, "
                                   "basic_auth_users, http_server_config)");
      }
    }
    return config;
  }

 private:
  [[nodiscard]] Error at(const YAML::Node& node, std::string detail) const {
    const YAML::Mark mark = node.Mark();
    std::string where = origin_;
    if (!mark.is_null()) {
      where += ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1);
    }
    return Error{"invalid web config", std::move(detail), std::move(where)};
  }

  std::optional<Error> string_value(const YAML::Node& key, const YAML::Node& value,
                                    std::string& out) const {
    if (!value.IsScalar() || value.Scalar().empty()) {
      return at(value.IsDefined() && !value.IsNull() ? value : key,
                web_config_quoted(key.Scalar()) + " needs a non-empty string");
    }
    out = value.Scalar();
    return std::nullopt;
  }

  std::optional<Error> tls_version(const YAML::Node& key, const YAML::Node& value,
                                   std::string& out) const {
    if (auto error = string_value(key, value, out)) return error;
    static constexpr std::array<std::string_view, 4> kVersions{"TLS10", "TLS11", "TLS12", "TLS13"};
    for (const std::string_view version : kVersions) {
      if (out == version) return std::nullopt;
    }
    return at(value, web_config_quoted(key.Scalar()) +
                         " must be TLS10, TLS11, TLS12 or TLS13, not " + web_config_quoted(out));
  }

  Result<TlsFiles> read_tls(const YAML::Node& key_node, const YAML::Node& node) const {
    if (!node.IsMap())
      return at(node.IsNull() ? key_node : node, "tls_server_config must be a mapping");
    TlsFiles tls;
    std::string cert;
    std::string key;
    for (const auto& entry : node) {
      const std::string name = entry.first.Scalar();
      const YAML::Node& value = entry.second;
      std::optional<Error> error;
      if (name == "cert_file") {
        error = string_value(entry.first, value, cert);
      } else if (name == "key_file") {
        error = string_value(entry.first, value, key);
      } else if (name == "min_version") {
        error = tls_version(entry.first, value, tls.min_version);
      } else if (name == "max_version") {
        error = tls_version(entry.first, value, tls.max_version);
      } else if (name == "client_auth_type" && value.IsScalar() &&
                 value.Scalar() == "NoClientCert") {
        // The format's default, spelt out: nothing to do.
      } else if (name == "cert" || name == "key" || name == "client_auth_type" ||
                 name == "client_ca_file" || name == "client_allowed_sans" ||
                 name == "cipher_suites" || name == "curve_preferences" ||
                 name == "prefer_server_cipher_suites") {
        error = at(entry.first, web_config_quoted(name) +
                                    " in tls_server_config is not supported by devops-monitor "
                                    "(supported: cert_file, key_file, min_version, max_version)");
      } else {
        error = at(entry.first, "unknown key " + web_config_quoted(name) + " in tls_server_config");
      }
      if (error) return *error;
    }
    if (cert.empty() || key.empty()) {
      return at(key_node, "tls_server_config needs both cert_file and key_file");
    }
    tls.cert_file = resolve(cert);
    tls.key_file = resolve(key);
    return tls;
  }

  Result<std::map<std::string, std::string>> read_users(const YAML::Node& node) const {
    std::map<std::string, std::string> users;
    if (node.IsNull()) return users;
    if (!node.IsMap()) return at(node, "basic_auth_users must map user names to bcrypt hashes");
    // bcrypt as crypt(3) writes it: $2a$, $2b$ or $2y$, a two-digit cost, 53 characters.
    static const std::regex bcrypt(R"(\$2[aby]\$(0[4-9]|[12][0-9]|3[01])\$[./A-Za-z0-9]{53})");
    for (const auto& entry : node) {
      if (!entry.first.IsScalar() || entry.first.Scalar().empty()) {
        return at(entry.first, "a user name must be a non-empty string");
      }
      const std::string user = entry.first.Scalar();
      if (user.find(':') != std::string::npos) {
        return at(entry.first,
                  "a user name cannot contain ':' (basic auth splits at the first one)");
      }
      if (!entry.second.IsScalar() || !std::regex_match(entry.second.Scalar(), bcrypt)) {
        return at(
            entry.second.IsDefined() && !entry.second.IsNull() ? entry.second : entry.first,
            "the password of " + web_config_quoted(user) + " must be a bcrypt hash ($2y$10$...)");
      }
      users[user] = entry.second.Scalar();
    }
    return users;
  }

  std::optional<Error> check_http_server_config(const YAML::Node& node) const {
    if (node.IsNull()) return std::nullopt;
    if (!node.IsMap()) return at(node, "http_server_config must be a mapping");
    for (const auto& entry : node) {
      const std::string name = entry.first.Scalar();
      if (name == "http2") {
        // Accepted and moot: serve speaks HTTP/1.1, which every HTTP/2 client falls back to.
        bool ignored = false;
        if (!entry.second.IsScalar() || !YAML::convert<bool>::decode(entry.second, ignored)) {
          return at(entry.second, "'http2' must be true or false");
        }
      } else if (name == "headers") {
        return at(entry.first,
                  "'headers' in http_server_config is not supported by devops-monitor");
      } else {
        return at(entry.first, "unknown key " + web_config_quoted(name) + " in http_server_config");
      }
    }
    return std::nullopt;
  }

  [[nodiscard]] std::filesystem::path resolve(const std::string& path) const {
    std::filesystem::path p(path);
    if (p.is_relative()) p = base_dir_ / p;
    return p.lexically_normal();
  }

  const std::string& origin_;
  const std::filesystem::path& base_dir_;
};

// yaml-cpp recurses once per nesting level: flow collections ([[[[...) nested deeper than any
// web config needs are refused before parsing.
bool flow_nesting_too_deep(std::string_view yaml) {
  int depth = 0;
  for (const char c : yaml) {
    if (c == '[' || c == '{') {
      if (++depth > kMaxWebConfigFlowDepth) return true;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return false;
}

}  // namespace

Result<WebConfig> parse_web_config(std::string_view yaml, const std::string& origin,
                                   const std::filesystem::path& base_dir) {
  if (yaml.size() > kMaxWebConfigBytes) {
    return Error{"invalid web config", "larger than 64 KiB", origin};
  }
  if (flow_nesting_too_deep(yaml)) {
    return Error{"invalid web config", "nested deeper than 32 levels", origin};
  }
  try {
    const YAML::Node root = YAML::Load(std::string(yaml));
    return WebConfigReader(origin, base_dir).read(root);
  } catch (const YAML::Exception& error) {
    std::string where = origin;
    if (!error.mark.is_null()) {
      where +=
          ":" + std::to_string(error.mark.line + 1) + ":" + std::to_string(error.mark.column + 1);
    }
    return Error{"web config syntax error", printable(error.msg), std::move(where)};
  }
}

Result<WebConfig> load_web_config(const std::filesystem::path& file) {
  Result<std::string> text = read_trusted_file(file, geteuid());
  if (!text) return text.error();
  Result<WebConfig> config = parse_web_config(*text, file.string(), file.parent_path());
  if (!config || !config->tls) return config;
  for (const std::filesystem::path& tls_file : {config->tls->cert_file, config->tls->key_file}) {
    if (access(tls_file.c_str(), R_OK) != 0) {
      return Error{"cannot read TLS file named in the web config", std::strerror(errno),
                   tls_file.string()};
    }
  }
  return config;
}

}  // namespace devops_monitor::serve
