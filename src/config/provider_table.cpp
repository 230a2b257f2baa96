// [providers.<id>]: a built-in id adjusts that provider in place, any other id adds a provider
// of the user's own after the built-ins, in file order. A table is read into a copy, which
// replaces the provider only once every key and rule has passed.
#include <algorithm>
#include <string>
#include <vector>

#include "config/config_values.hpp"
#include "config/key_variables.hpp"
#include "config/schema_reader.hpp"
#include "config/sections.hpp"
#include "util/ascii.hpp"

namespace devops_monitor {
namespace {

/// Custom providers come after the built-ins (priorities 10 to 60), in file order.
constexpr int kFirstCustomPriority = 1000;

bool is_builtin_id(const std::string& id) {
  const std::vector<Provider> builtins = builtin_providers();
  return std::any_of(builtins.begin(), builtins.end(),
                     [&](const Provider& p) { return p.id == id; });
}

Provider* provider_with_id(std::vector<Provider>& providers, const std::string& id) {
  auto it = std::find_if(providers.begin(), providers.end(),
                         [&](const Provider& p) { return p.id == id; });
  return it == providers.end() ? nullptr : &*it;
}

/// The trust rule for env_var: a config file decides where the variable's value is sent, so
/// unless the provider's table opts in, it may only name a variable that holds an API key.
/// Otherwise one line of config would send AWS_SECRET_ACCESS_KEY or GITHUB_TOKEN to any
/// endpoint as a bearer token. The name is not quoted: people paste keys there.
Result<void> check_env_var_trust(const SchemaReader& reader, const TablePlace& place,
                                 const ProviderDraft& draft,
                                 const std::vector<TomlMember>& written) {
  const TomlMember* env_var = find_member(written, "env_var");
  if (env_var == nullptr || draft.trust_env_var || is_key_variable(draft.env_var)) return {};
  return reader.error_at(
      env_var->node->source(),
      place.label +
          ".env_var is not an API key variable (a built-in provider's, or a name like "
          "EXAMPLE_API_KEY); if that variable really holds this provider's key, add "
          "trust_env_var = true to " +
          place.heading);
}

/// A header with the name auth already uses would send two conflicting values. The error
/// points at that header if this table wrote it, else at auth, else at the table.
Result<void> check_auth_header_clash(const SchemaReader& reader, const TablePlace& place,
                                     const toml::table& body, const ProviderDraft& draft,
                                     const std::vector<TomlMember>& written) {
  std::string auth_header;
  if (draft.auth == AuthKind::bearer) auth_header = "authorization";
  if (draft.auth == AuthKind::header) auth_header = ascii::lowercase(draft.auth_header);
  if (auth_header.empty()) return {};
  const auto same = std::find_if(draft.headers.begin(), draft.headers.end(), [&](const auto& h) {
    return ascii::lowercase(h.first) == auth_header;
  });
  if (same == draft.headers.end()) return {};
  toml::source_region where = body.source();
  if (const TomlMember* auth = find_member(written, "auth")) where = auth->node->source();
  if (const TomlMember* headers = find_member(written, "headers")) {
    for (const TomlMember& header : members_in_file_order(*headers->node->as_table())) {
      if (ascii::lowercase(header.key->str()) == auth_header) where = header.key->source();
    }
  }
  return reader.error_at(where, place.label + ".headers sets " + key_name(same->first) +
                                    ", the header auth already sends the key in");
}

/// Reads one table into `draft` and checks the rules that span its keys.
Result<void> read_provider(const SchemaReader& reader, const toml::table& body,
                           const TablePlace& place, ProviderDraft& draft) {
  Result<std::vector<TomlMember>> written = reader.read(body, place, provider_keys(), draft);
  if (!written) return written.error();
  if (Result<void> trusted = check_env_var_trust(reader, place, draft, *written); !trusted) {
    return trusted;
  }
  return check_auth_header_clash(reader, place, body, draft, *written);
}

Result<void> override_builtin(const SchemaReader& reader, const std::string& id,
                              const toml::table& body, const TablePlace& place,
                              std::vector<Provider>& providers) {
  Provider* provider = provider_with_id(providers, id);
  if (provider == nullptr) {  // the base settings dropped it: start again from the table
    for (const Provider& p : builtin_providers()) {
      if (p.id == id) providers.push_back(p);
    }
    provider = &providers.back();
  }
  ProviderDraft draft{*provider, false};
  if (Result<void> read = read_provider(reader, body, place, draft); !read) return read;
  *provider = static_cast<Provider&&>(std::move(draft));
  return {};
}

Result<void> add_custom(const SchemaReader& reader, const std::string& id, const toml::table& body,
                        const TablePlace& place, int order, std::vector<Provider>& providers) {
  ProviderDraft draft{Provider{.id = id, .name = id, .priority = kFirstCustomPriority + order},
                      false};
  if (Result<void> read = read_provider(reader, body, place, draft); !read) return read;
  if (draft.env_var.empty()) {
    return reader.error_at(body.source(), place.heading +
                                              " needs env_var, the environment variable that "
                                              "holds its key");
  }
  Provider custom = static_cast<Provider&&>(std::move(draft));
  if (Provider* existing = provider_with_id(providers, id)) {
    *existing = std::move(custom);
  } else {
    providers.push_back(std::move(custom));
  }
  return {};
}

}  // namespace

Result<void> read_providers(const SchemaReader& reader, const toml::node& node,
                            const TablePlace& place, Settings& settings) {
  int custom_order = 0;
  for (const TomlMember& member : members_in_file_order(*node.as_table())) {
    const std::string id(member.key->str());
    if (!valid_provider_id(id)) {
      return reader.error_at(member.key->source(),
                             "provider id " + key_name(id) + " may only use a-z, 0-9, '_' and '-'");
    }
    const TablePlace provider_place{place.label_of(id), "[" + place.label_of(id) + "]"};
    const toml::table* body = member.node->as_table();
    if (body == nullptr) return reader.wrong_type(*member.node, provider_place.heading, "a table");
    Result<void> applied =
        is_builtin_id(id)
            ? override_builtin(reader, id, *body, provider_place, settings.providers)
            : add_custom(reader, id, *body, provider_place, ++custom_order, settings.providers);
    if (!applied) return applied;
  }
  return {};
}

}  // namespace devops_monitor
