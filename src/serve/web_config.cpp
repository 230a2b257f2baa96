// node_exporter's web configuration file (exporter-toolkit's web-config format), the parts
// serve supports: tls_server_config (cert_file, key_file, min_version, max_version) and
// basic_auth_users. Keys the format documents but serve does not implement are refused by name,
// rather than ignored: a file that asks for client certificates must not silently get none.
// Whatever could turn TLS or basic auth off without saying so is refused too: an empty file,
// a key given twice (yaml-cpp keeps both and the last would win), a users list left empty.
#include <unistd.h>

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <regex>
#include <sstream>
#include <utility>

#include "config/file_trust.hpp"
#include "devops_monitor/text.hpp"
#include "serve/http_server.hpp"
#include "serve/tls_material.hpp"

namespace devops_monitor::serve {

namespace {

constexpr std::size_t kMaxWebConfigBytes = 64 * 1024;
constexpr int kMaxWebConfigFlowDepth = 32;
// Below this a wrong guess costs the server under a few milliseconds, and users of different
// costs answer a wrong password in different times.
constexpr int kMinBcryptCost = 10;
constexpr std::string_view kBcryptAdvice =
    "make one with `htpasswd -nBC 10 USER` (apache2-utils) or Python's bcrypt, see "
    "docs/web-config.md";

// A name from the file, quoted for an error message: printable and on one line.
std::string web_config_quoted(std::string_view text) {
  return "'" + printable(text.substr(0, 64)) + "'";
}

/// The cost of a bcrypt hash as crypt(3) writes it ($2a$, $2b$ or $2y$, a two-digit cost, 53
/// characters of salt and hash); nullopt for anything else.
std::optional<int> bcrypt_cost_of(const std::string& hash) {
  static const std::regex bcrypt(R"(\$2[aby]\$(0[4-9]|[12][0-9]|3[01])\$[./A-Za-z0-9]{53})");
  std::smatch match;
  if (!std::regex_match(hash, match, bcrypt)) return std::nullopt;
  return std::stoi(match[1].str());
}

class WebConfigReader {
 public:
  WebConfigReader(const std::string& origin, const std::filesystem::path& base_dir)
      : origin_(origin), base_dir_(base_dir) {}

  Result<WebConfig> read(const YAML::Node& root) {
    WebConfig config;
    if (!root.IsMap()) return at(root, "expected a mapping of tls_server_config, basic_auth_users");
    if (auto duplicate = duplicate_key(root)) return *duplicate;
    for (const auto& entry : root) {
      const std::string key = entry.first.Scalar();
      const YAML::Node& value = entry.second;
      if (key == "tls_server_config") {
        Result<TlsFiles> tls = read_tls(entry.first, value);
        if (!tls) return tls.error();
        config.tls = std::move(tls.value());
      } else if (key == "basic_auth_users") {
        Result<std::map<std::string, std::string>> users = read_users(entry.first, value);
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

  /// An error naming `node`'s line and column in the file.
  [[nodiscard]] Error at(const YAML::Node& node, std::string detail) const {
    const YAML::Mark mark = node.Mark();
    std::string where = origin_;
    if (!mark.is_null()) {
      where += ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1);
    }
    return Error{"invalid web config", std::move(detail), std::move(where)};
  }

 private:
  /// The second time a key appears in `map`: yaml-cpp keeps both, and reading them in turn
  /// would let the last one win (a second, empty `basic_auth_users:` would turn auth off).
  [[nodiscard]] std::optional<Error> duplicate_key(const YAML::Node& map) const {
    std::map<std::string, std::size_t> first_lines;
    for (const auto& entry : map) {
      if (!entry.first.IsScalar()) continue;
      const auto [first, added] =
          first_lines.try_emplace(entry.first.Scalar(), entry.first.Mark().line + 1);
      if (!added) {
        return at(entry.first, "duplicate key " + web_config_quoted(entry.first.Scalar()) +
                                   " (first on line " + std::to_string(first->second) + ")");
      }
    }
    return std::nullopt;
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

  /// min_version newer than max_version (the defaults: TLS12 and TLS13) allows no version at
  /// all; "TLS10".."TLS13" sort as they are written.
  [[nodiscard]] std::optional<Error> crossed_versions(const TlsFiles& tls,
                                                      const YAML::Node& where) const {
    const std::string low = tls.min_version.empty() ? "TLS12" : tls.min_version;
    const std::string high = tls.max_version.empty() ? "TLS13" : tls.max_version;
    if (low <= high) return std::nullopt;
    return at(where, "min_version " + low + (tls.min_version.empty() ? " (the default)" : "") +
                         " is newer than max_version " + high + ": no TLS version is left");
  }

  Result<TlsFiles> read_tls(const YAML::Node& key_node, const YAML::Node& node) const {
    if (!node.IsMap())
      return at(node.IsNull() ? key_node : node, "tls_server_config must be a mapping");
    if (auto duplicate = duplicate_key(node)) return *duplicate;
    TlsFiles tls;
    std::optional<YAML::Node> max_version_node;
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
        max_version_node = value;
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
    if (auto crossed = crossed_versions(tls, max_version_node.value_or(key_node))) return *crossed;
    tls.cert_file = resolve(cert);
    tls.key_file = resolve(key);
    return tls;
  }

  /// An empty list would serve without auth a file that asks for it: refused, as is every hash
  /// that is not bcrypt of cost 10 or more, and hashes of different costs.
  Result<std::map<std::string, std::string>> read_users(const YAML::Node& key_node,
                                                        const YAML::Node& node) const {
    if (!node.IsDefined() || node.IsNull() || (node.IsMap() && node.size() == 0)) {
      return at(node.IsMap() ? node : key_node,
                "basic_auth_users lists no users (leave the key out to serve without basic "
                "auth)");
    }
    if (!node.IsMap()) return at(node, "basic_auth_users must map user names to bcrypt hashes");
    if (auto duplicate = duplicate_key(node)) return *duplicate;
    std::map<std::string, std::string> users;
    std::optional<std::pair<std::string, int>> first_cost;  // user, cost
    for (const auto& entry : node) {
      if (!entry.first.IsScalar() || entry.first.Scalar().empty()) {
        return at(entry.first, "a user name must be a non-empty string");
      }
      const std::string user = entry.first.Scalar();
      if (user.find(':') != std::string::npos) {
        return at(entry.first,
                  "a user name cannot contain ':' (basic auth splits at the first one)");
      }
      const YAML::Node& hash_node = entry.second;
      const std::optional<int> cost =
          hash_node.IsScalar() ? bcrypt_cost_of(hash_node.Scalar()) : std::nullopt;
      if (!cost) {
        return at(hash_node.IsDefined() && !hash_node.IsNull() ? hash_node : entry.first,
                  "the password of " + web_config_quoted(user) +
                      " must be a bcrypt hash ($2y$10$...): " + std::string(kBcryptAdvice));
      }
      if (*cost < kMinBcryptCost) {
        return at(hash_node, "the bcrypt hash of " + web_config_quoted(user) + " has cost " +
                                 std::to_string(*cost) + ", below " +
                                 std::to_string(kMinBcryptCost) +
                                 ", so a wrong guess costs little: " + std::string(kBcryptAdvice));
      }
      if (!first_cost) first_cost.emplace(user, *cost);
      if (*cost != first_cost->second) {
        return at(hash_node, "the bcrypt hash of " + web_config_quoted(user) + " has cost " +
                                 std::to_string(*cost) + " and that of " +
                                 web_config_quoted(first_cost->first) + " " +
                                 std::to_string(first_cost->second) +
                                 ": give every user the same cost, or the time a wrong password "
                                 "takes tells user names apart");
      }
      users[user] = hash_node.Scalar();
    }
    return users;
  }

  std::optional<Error> check_http_server_config(const YAML::Node& node) const {
    if (node.IsNull()) return std::nullopt;
    if (!node.IsMap()) return at(node, "http_server_config must be a mapping");
    if (auto duplicate = duplicate_key(node)) return duplicate;
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

/// Counts a text's YAML documents, without building them.
class DocumentCounter : public YAML::EventHandler {
 public:
  void OnDocumentStart(const YAML::Mark& mark) override { last_start = mark; }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& /*mark*/, YAML::anchor_t /*anchor*/) override {}
  void OnAlias(const YAML::Mark& /*mark*/, YAML::anchor_t /*anchor*/) override {}
  void OnScalar(const YAML::Mark& /*mark*/, const std::string& /*tag*/, YAML::anchor_t /*anchor*/,
                const std::string& /*value*/) override {}
  void OnSequenceStart(const YAML::Mark& /*mark*/, const std::string& /*tag*/,
                       YAML::anchor_t /*anchor*/, YAML::EmitterStyle::value /*style*/) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark& /*mark*/, const std::string& /*tag*/, YAML::anchor_t /*anchor*/,
                  YAML::EmitterStyle::value /*style*/) override {}
  void OnMapEnd() override {}

  YAML::Mark last_start;
};

struct YamlDocuments {
  int count = 0;  // 0, 1 or 2 (two or more)
  YAML::Mark second_at;
};

/// The number of documents in `text`, counted no further than two: yaml-cpp's LoadAll, asked
/// for them all, never returns on some malformed text (fuzz/web_config_fuzz.cpp found one with
/// a NUL), its parser finding one empty document after another.
YamlDocuments count_yaml_documents(const std::string& text) {
  std::istringstream stream(text);
  YAML::Parser parser(stream);
  DocumentCounter counter;
  YamlDocuments documents;
  while (documents.count < 2 && parser.HandleNextDocument(counter)) {
    if (++documents.count == 2) documents.second_at = counter.last_start;
  }
  return documents;
}

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
    const std::string text(yaml);
    const YamlDocuments documents = count_yaml_documents(text);
    if (documents.count > 1) {
      return Error{"invalid web config", "more than one YAML document (a second '---')",
                   origin + ":" + std::to_string(documents.second_at.line + 1) + ":" +
                       std::to_string(documents.second_at.column + 1)};
    }
    const YAML::Node root = YAML::Load(text);
    if (root.IsNull()) {
      return Error{"invalid web config",
                   "the file holds no settings: give tls_server_config or basic_auth_users (or "
                   "leave out --web-config to serve plain HTTP without auth)",
                   origin + ":1"};
    }
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
  Result<std::string> text = read_trusted_file(file, geteuid(), "web config file");
  if (!text) return text.error();
  Result<WebConfig> config = parse_web_config(*text, file.string(), file.parent_path());
  if (!config || !config->tls) return config;
  // The key and certificate decide who the server is: the web config's own trust rules, checked
  // here so that serve refuses them before it starts anything (HttpServer::start reads them).
  const std::pair<const std::filesystem::path&, std::string_view> tls_files[] = {
      {config->tls->cert_file, kTlsCertificateFileKind}, {config->tls->key_file, kTlsKeyFileKind}};
  for (const auto& [tls_file, kind] : tls_files) {
    Result<std::string> pem = read_trusted_file(tls_file, geteuid(), kind);
    if (!pem) return pem.error();
    std::fill(pem->begin(), pem->end(), '\0');
  }
  return config;
}

}  // namespace devops_monitor::serve
