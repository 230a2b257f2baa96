// redact_secret() and redact_body(): a key of 4 characters or more never survives in the
// output, nor in the strings of a JSON body once decoded, whatever the key and the text. Input: one
// byte giving the key length (mod 48), the key, the text.
#include <nlohmann/json.hpp>
#include <vector>

#include "fuzz_support.hpp"
#include "util/redact.hpp"

using namespace devops_monitor;

FUZZ_TARGET(redact) {
  if (size == 0) return 0;
  const std::string_view input = fuzz::as_text(data + 1, size - 1);
  const std::size_t key_length = std::min<std::size_t>(data[0] % 48, input.size());
  const std::string_view secret = input.substr(0, key_length);
  const std::string_view text = input.substr(key_length);

  const std::string out = redact_secret(text, secret);
  if (secret.size() >= 4) {
    FUZZ_CHECK(out.find(secret) == std::string::npos,
               "key \"" + std::string(secret) + "\" survives in \"" + out + "\"");
  } else {
    FUZZ_CHECK(out == text, out);  // too short to be a key: left alone
  }
  // The same for an HTTP body, whose decoded JSON strings must not spell the key either.
  const std::string body = redact_body(text, secret);
  if (secret.size() >= 4) {
    FUZZ_CHECK(body.find(secret) == std::string::npos, body);
    const nlohmann::json doc = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
    std::vector<const nlohmann::json*> pending = {&doc};
    while (!pending.empty()) {
      const nlohmann::json* node = pending.back();
      pending.pop_back();
      if (node->is_string()) {
        FUZZ_CHECK(node->get_ref<const std::string&>().find(secret) == std::string::npos, body);
      } else if (node->is_structured()) {
        for (auto it = node->begin(); it != node->end(); ++it) {
          if (node->is_object()) FUZZ_CHECK(it.key().find(secret) == std::string::npos, body);
          pending.push_back(&*it);
        }
      }
    }
  }
  // Text without any of the key's characters is left alone.
  if (!secret.empty() && text.find_first_of(secret) == std::string_view::npos &&
      text.find("***") == std::string_view::npos && text.find("...") == std::string_view::npos) {
    FUZZ_CHECK(out == text, out);
  }
  return 0;
}
