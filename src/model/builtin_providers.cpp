// The one table of built-in providers. Each check is one authenticated, read-only request
// that costs no tokens (plus Moonshot's balance read, and further model-list pages on
// Anthropic and Google only when the first page says there are more). Every endpoint a check
// may ask is listed here with its kind (test_endpoint with check_kind, balance_endpoint), and
// keys/free_probes builds requests only from these: a GET without a body, nothing else. Model ids
// compare exactly after removing model_id_prefix (docs/provider-insight.md). Response rules for
// each dialect live in keys/verdict.cpp; the key shapes the scanner looks for are explained, with
// sources, in docs/secret-formats.md.
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
       .test_endpoint = "https://api.together.xyz/v1/models",
       .check_kind = ProbeKind::model_list,
       // Older keys are 64 hex digits without a prefix: nothing to tell them from a hash.
       .key_patterns = {{"together-api-key", "tgp_v1_[A-Za-z0-9_-]{43}"}}});
  add({.id = "openai",
       .name = "OpenAI (GPT-4)",
       .env_var = "OPENAI_API_KEY",
       .test_endpoint = "https://api.openai.com/v1/models",
       .check_kind = ProbeKind::model_list,
       .key_patterns = {{"openai-project-key", "sk-proj-[A-Za-z0-9_-]{40,250}"},
                        {"openai-service-account-key", "sk-svcacct-[A-Za-z0-9_-]{40,250}"},
                        {"openai-admin-key", "sk-admin-[A-Za-z0-9_-]{40,250}"},
                        // The marker is base64 of "OpenAI"; tried before Moonshot's sk-+48.
                        {"openai-legacy-key", "sk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}"}}});
  add({.id = "anthropic",
       .name = "Anthropic (Claude)",
       .env_var = "ANTHROPIC_API_KEY",
       .test_endpoint = "https://api.anthropic.com/v1/models",
       .check_kind = ProbeKind::model_list,
       .auth = AuthKind::header,
       .auth_header = "x-api-key",
       .headers = {{"anthropic-version", "2023-06-01"}},
       .dialect = Dialect::anthropic,
       .key_patterns = {{"anthropic-api-key", "sk-ant-api03-[A-Za-z0-9_-]{80,120}"},
                        {"anthropic-admin-key", "sk-ant-admin01-[A-Za-z0-9_-]{80,120}"}}});
  // OpenRouter's /models answers 200 without any key; /key needs one and describes it.
  add({.id = "openrouter",
       .name = "OpenRouter",
       .env_var = "OPENROUTER_API_KEY",
       .test_endpoint = "https://openrouter.ai/api/v1/key",
       .check_kind = ProbeKind::key_info,
       .dialect = Dialect::openrouter,
       // /key describes the key's credit cap but lists no models; the public /models list
       // proves nothing about a key (docs/provider-insight.md).
       .key_patterns = {{"openrouter-api-key", "sk-or-v1-[0-9a-f]{64}"}}});
  // The key goes in a header, never in the URL (?key=...), so it cannot end up in logs.
  add({.id = "google",
       .name = "Google Gemini",
       .env_var = "GOOGLE_API_KEY",
       .test_endpoint = "https://generativelanguage.googleapis.com/v1beta/models",
       .check_kind = ProbeKind::model_list,
       .auth = AuthKind::header,
       .auth_header = "x-goog-api-key",
       .dialect = Dialect::google,
       .key_patterns = {{"google-api-key", "AIza[0-9A-Za-z_-]{35}"}},
       .model_id_prefix = "models/"});
  // Keys from the China platform need https://api.moonshot.cn/v1/models (config override).
  add({.id = "moonshot",
       .name = "Moonshot AI",
       .env_var = "MOONSHOT_API_KEY",
       .test_endpoint = "https://api.moonshot.ai/v1/models",
       .check_kind = ProbeKind::model_list,
       // The shape other OpenAI-compatible services use too (docs/secret-formats.md), so a
       // found key is not sent here unless asked.
       .key_patterns = {{.rule = "moonshot-api-key",
                         .regex = "sk-[A-Za-z0-9]{48}",
                         .ambiguous = true}},
       // Relative to test_endpoint: https://api.moonshot.ai/v1/users/me/balance, and on
       // api.moonshot.cn (unit CNY) for a China-platform test_endpoint.
       .balance_endpoint = "/v1/users/me/balance"});
  return table;
}

// Shapes and the sources for each length: docs/secret-formats.md. No endpoint: these keys are
// found, never sent anywhere, until the provider gets a check of its own.
std::vector<Provider> scan_only_providers() {
  std::vector<Provider> table;
  auto add = [&](Provider p) {
    p.scan_only = true;
    table.push_back(std::move(p));
  };
  add({.id = "groq",
       .name = "Groq",
       .env_var = "GROQ_API_KEY",
       .key_patterns = {{"groq-api-key", "gsk_[A-Za-z0-9]{52}"}}});
  add({.id = "huggingface",
       .name = "Hugging Face",
       .env_var = "HF_TOKEN",
       // Organization tokens are deprecated, but old ones still authenticate where they leak.
       .key_patterns = {{"huggingface-access-token", "hf_[A-Za-z0-9]{34}"},
                        {"huggingface-org-token", "api_org_[A-Za-z0-9]{34}"}}});
  add({.id = "xai",
       .name = "xAI (Grok)",
       .env_var = "XAI_API_KEY",
       .key_patterns = {{"xai-api-key", "xai-[A-Za-z0-9]{80}"}}});
  add({.id = "perplexity",
       .name = "Perplexity",
       .env_var = "PERPLEXITY_API_KEY",
       .key_patterns = {{"perplexity-api-key", "pplx-[A-Za-z0-9]{48}"}}});
  add({.id = "replicate",
       .name = "Replicate",
       .env_var = "REPLICATE_API_TOKEN",
       .key_patterns = {{"replicate-api-token", "r8_[A-Za-z0-9]{37}"}}});
  // 32 lowercase hex digits: neither Moonshot's sk- + 48 nor OpenAI's legacy marker shape,
  // so it is found without a provider word nearby (OpenAI-compatible clients carry it as
  // OPENAI_API_KEY). Alibaba's DashScope (Qwen) issues the same shape: ambiguous.
  add({.id = "deepseek",
       .name = "DeepSeek",
       .env_var = "DEEPSEEK_API_KEY",
       .key_patterns = {
           {.rule = "deepseek-api-key", .regex = "sk-[0-9a-f]{32}", .ambiguous = true}}});
  return table;
}

std::vector<Provider> providers_for_scan(const std::vector<Provider>& configured) {
  std::vector<Provider> all = configured;
  for (Provider& extra : scan_only_providers()) {
    const auto same_id =
        std::find_if(all.begin(), all.end(), [&](const Provider& p) { return p.id == extra.id; });
    if (same_id == all.end()) {
      all.push_back(std::move(extra));
      continue;
    }
    // As a config's key_pattern adds to a built-in's shapes, a configured provider of this id
    // keeps the known shapes (and its keys are checked with its own endpoint).
    std::vector<KeyPattern> shapes = std::move(extra.key_patterns);
    for (KeyPattern& own : same_id->key_patterns) {
      const bool known = std::any_of(shapes.begin(), shapes.end(),
                                     [&](const KeyPattern& k) { return k.rule == own.rule; });
      if (!known) shapes.push_back(std::move(own));
    }
    same_id->key_patterns = std::move(shapes);
  }
  return all;
}

std::string_view to_string(ProbeKind kind) {
  switch (kind) {
    case ProbeKind::model_list:
      return "model_list";
    case ProbeKind::key_info:
      return "key_info";
    case ProbeKind::balance:
      return "balance";
  }
  return "model_list";
}

std::vector<Provider> by_priority(std::vector<Provider> providers) {
  std::stable_sort(providers.begin(), providers.end(),
                   [](const Provider& a, const Provider& b) { return a.priority < b.priority; });
  return providers;
}

std::string provider_id_for_name(std::string_view name) {
  // Old reports name providers only by display name; the built-in table knows both.
  static const std::vector<Provider> table = builtin_providers();
  for (const Provider& p : table) {
    if (p.name == name) return p.id;
  }
  std::string id;
  for (const char c : name) {
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (alnum || (c >= 'A' && c <= 'Z')) {
      id += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    } else if (!id.empty() && id.back() != '-') {
      id += '-';
    }
  }
  while (!id.empty() && id.back() == '-') id.pop_back();
  return id;
}

}  // namespace devops_monitor
