// parse_web_config(): any text parses or is refused without crashing, hanging or throwing; a
// refusal is one line naming the origin (with a line when it has one); an accepted config has
// absolute TLS paths under the base directory or given absolute, and only bcrypt hashes.
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
  }
  for (const auto& [user, hash] : config->basic_auth_users) {
    FUZZ_CHECK(!user.empty() && user.find(':') == std::string::npos, user);
    FUZZ_CHECK(hash.size() == 60 && hash.rfind("$2", 0) == 0, hash);
  }
  return 0;
}
