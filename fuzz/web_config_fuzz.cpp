// parse_web_config(): any text parses or is refused without crashing, hanging or throwing; a
// refusal is one line naming the origin (with a line when it has one); an accepted config has
// absolute TLS paths under the base directory or given absolute, min_version no newer than
// max_version, and only bcrypt hashes, all of one cost of 10 or more. An accepted config is
// never empty of both TLS and users unless the text names http_server_config (the only other
// key), and text with a key twice at the start of two lines is never accepted.
#include "fuzz_support.hpp"
#include "serve/http_server.hpp"

using namespace devops_monitor;

FUZZ_TARGET(web_config) {
  const std::string_view text = fuzz::as_text(data, size);
  const auto config = serve::parse_web_config(text, "fuzz.yml", "/base");
  if (!config) {
    const Error& error = config.error();
    FUZZ_CHECK(error.where.rfind("fuzz.yml", 0) == 0, error.message());
    FUZZ_CHECK(error.message().find('\n') == std::string::npos, error.message());
    return 0;
  }
  if (config->tls) {
    FUZZ_CHECK(config->tls->cert_file.is_absolute(), config->tls->cert_file.string());
    FUZZ_CHECK(config->tls->key_file.is_absolute(), config->tls->key_file.string());
    const std::string low = config->tls->min_version.empty() ? "TLS12" : config->tls->min_version;
    const std::string high = config->tls->max_version.empty() ? "TLS13" : config->tls->max_version;
    FUZZ_CHECK(low <= high, low + " > " + high);
  }
  std::string cost;
  for (const auto& [user, hash] : config->basic_auth_users) {
    FUZZ_CHECK(!user.empty() && user.find(':') == std::string::npos, user);
    FUZZ_CHECK(hash.size() == 60 && hash.rfind("$2", 0) == 0, hash);
    FUZZ_CHECK(hash.substr(4, 2) >= "10", hash);
    if (cost.empty()) cost = hash.substr(4, 2);
    FUZZ_CHECK(hash.substr(4, 2) == cost, hash);
  }
  // Plain block YAML only (no quotes, escapes, flow collections, anchors, tags or block
  // scalars), where a key is what it looks like.
  if (text.find_first_of("\"'\\{}[]&*!%|>") != std::string_view::npos) return 0;
  if (!config->tls && config->basic_auth_users.empty()) {
    FUZZ_CHECK(text.find("http_server_config") != std::string_view::npos, "an empty config passed");
  }
  for (const char* key : {"\nbasic_auth_users:", "\ntls_server_config:"}) {
    const std::size_t first = text.find(key);
    FUZZ_CHECK(
        first == std::string_view::npos || text.find(key, first + 1) == std::string_view::npos,
        "a key given twice passed");
  }
  return 0;
}
