// The one table of built-in providers. Each check is one authenticated, read-only request
// that costs no tokens. Response rules for each dialect live in keys/verdict.cpp.
#include <algorithm>

#include "devops_monitor/provider.hpp"

namespace devops_monitor {

std::vector<Provider> builtin_providers() {
  std::vector<Provider> table;
  auto add = [&](Provider p) {
    p.priority = static_cast<int>(table.size() + 1) * 10;
    table.push_back(std::move(p));
  };
  add({.id = "together",
       .name = "Together AI (Kimi K2)",
       .env_var = "TOGETHER_API_KEY",
       .test_endpoint = "https://api.together.xyz/v1/models"});
  add({.id = "openai",
       .name = "OpenAI (GPT-4)",
       .env_var = "OPENAI_API_KEY",
       .test_endpoint = "https://api.openai.com/v1/models"});
  add({.id = "anthropic",
       .name = "Anthropic (Claude)",
       .env_var = "ANTHROPIC_API_KEY",
       .test_endpoint = "https://api.anthropic.com/v1/models",
       .auth = AuthKind::header,
       .auth_header = "x-api-key",
       .headers = {{"anthropic-version", "2023-06-01"}},
       .dialect = Dialect::anthropic});
  // OpenRouter's /models answers 200 without any key; /key needs one and describes it.
  add({.id = "openrouter",
       .name = "OpenRouter",
       .env_var = "OPENROUTER_API_KEY",
       .test_endpoint = "https://openrouter.ai/api/v1/key",
       .dialect = Dialect::openrouter});
  // The key goes in a header, never in the URL (?key=...), so it cannot end up in logs.
  add({.id = "google",
       .name = "Google Gemini",
       .env_var = "GOOGLE_API_KEY",
       .test_endpoint = "https://generativelanguage.googleapis.com/v1beta/models",
       .auth = AuthKind::header,
       .auth_header = "x-goog-api-key",
       .dialect = Dialect::google});
  // Keys from the China platform need https://api.moonshot.cn/v1/models (config override).
  add({.id = "moonshot",
       .name = "Moonshot AI",
       .env_var = "MOONSHOT_API_KEY",
       .test_endpoint = "https://api.moonshot.ai/v1/models"});
  return table;
}

std::vector<Provider> by_priority(std::vector<Provider> providers) {
  std::stable_sort(providers.begin(), providers.end(),
                   [](const Provider& a, const Provider& b) { return a.priority < b.priority; });
  return providers;
}

}  // namespace devops_monitor
