// Every key of the config file, once. To add a key: add its line here (and a field for it),
// then regenerate the reference in docs/configuration.md (tests/unit/config_schema_test.cpp
// says how). Defaults are not written here: each is the field's value in a default-constructed
// target (Settings, WebhookSettings, ActionSettings, a custom Provider).
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "config/schema.hpp"
#include "config/schema_doc.hpp"
#include "config/schema_reader.hpp"
#include "config/sections.hpp"
#include "config/text_rules.hpp"
#include "util/ascii.hpp"

namespace devops_monitor {
namespace {

constexpr std::int64_t kMaxDays = 36'500;
constexpr std::int64_t kMaxPriority = 1'000'000;
constexpr std::int64_t kMaxModelPages = 100;
constexpr double kMaxCredit = 1e12;

// ---- list shapes ----

constexpr KeyType kDiskList{.unit = "paths",
                            .shape = R"(an array of paths like ["/", "/home"])",
                            .when_empty = "must list at least one path"};
/// A command as argv: run without a shell, so nothing in a report can become shell syntax.
constexpr KeyType kCommand{.empty = Emptiness::allowed_after_first,
                           .rule = &kArgumentRule,
                           .shape = R"(an array of strings like ["logger", "text"])",
                           .when_empty = "must name a program to run"};
constexpr KeyType kVariableList{.rule = &kPassedVariableRule,
                                .unit = "variable names",
                                .shape = R"(an array of variable names like ["SLACK_TOKEN"])"};
constexpr KeyType kModelList{.rule = &kModelIdRule,
                             .unit = "model ids",
                             .shape = R"(an array of model ids like ["gpt-4o"])"};
constexpr KeyType kKeyPatternList{.rule = &kKeyPatternRule,
                                  .shape = "a regular expression string or an array of them",
                                  .when_empty = "must list at least one pattern",
                                  .lone_text = true};

// ---- sections ----

/// A [name] table whose keys are stored in the target itself ([watch] and [serve]).
template <class Target>
KeySection<Target> same_target(const KeyTable<Target>& (*keys)()) {
  return {[keys](const SchemaReader& reader, const toml::node& node, const TablePlace& place,
                 Target& target) -> Result<void> {
            Result<std::vector<TomlMember>> read =
                reader.read(*node.as_table(), place, keys(), target);
            if (!read) return read.error();
            return {};
          },
          [keys](const std::string& prefix, std::vector<KeyRow>& rows) {
            document_keys(keys(), prefix, rows);
          }};
}

/// A [name] table whose keys are stored in one member of the target ([actions]).
template <class Target, class Part>
KeySection<Target> part_of(Part Target::*part, const KeyTable<Part>& (*keys)()) {
  return {[part, keys](const SchemaReader& reader, const toml::node& node, const TablePlace& place,
                       Target& target) -> Result<void> {
            Result<std::vector<TomlMember>> read =
                reader.read(*node.as_table(), place, keys(), target.*part);
            if (!read) return read.error();
            return {};
          },
          [keys](const std::string& prefix, std::vector<KeyRow>& rows) {
            document_keys(keys(), prefix, rows);
          }};
}

const KeyTable<Settings>& watch_keys() {
  using K = KeysOf<Settings>;
  static const KeyTable<Settings> table{{
      K::duration("interval", &Settings::watch_interval, kMinWatchInterval, kMaxWatchInterval,
                  "how often `watch` checks"),
      K::whole("confirm", &Settings::watch_confirm, kMinWatchConfirm, kMaxWatchConfirm, "checks",
               "a component or key changes state for webhooks and actions only after this many "
               "consecutive checks agree; recovery likewise (`--confirm` wins)"),
      K::text("heartbeat_url", &Settings::heartbeat_url, &kWebhookUrlRule, Emptiness::allowed,
              "GET after every completed check, for a dead man's switch; empty: none; only its "
              "host is ever shown (the path is usually a token)"),
  }};
  return table;
}

const KeyTable<Settings>& serve_keys() {
  using K = KeysOf<Settings>;
  static const KeyTable<Settings> table{{
      K::duration("key_interval", &Settings::key_interval, kMinKeyInterval, kMaxKeyInterval,
                  "time between `serve`'s key rounds (`--key-interval` wins); each round costs "
                  "one request per provider"),
  }};
  return table;
}

// ---- setters for values that are not one field ----

/// A general threshold is stored as written; its default is every metric's.
KeySlot<ThresholdDraft> general_threshold(std::optional<Placed<double>> ThresholdDraft::*field,
                                          double Thresholds::*level) {
  KeySlot<ThresholdDraft> slot = KeysOf<ThresholdDraft>::member(field);
  slot.load = [level](const ThresholdDraft&) -> std::optional<KeyValue> {
    return KeyValue(Settings{}.thresholds.cpu.*level);
  };
  return slot;
}

KeySlot<ProviderDraft> auth_slot() {
  constexpr std::string_view kHeaderPrefix = "header:";
  return {[=](ProviderDraft& provider, KeyValue&& value, const Origin&) {
            const auto& text = std::get<std::string>(value);
            provider.auth_header.clear();
            if (text.starts_with(kHeaderPrefix)) {
              provider.auth = AuthKind::header;
              provider.auth_header = text.substr(kHeaderPrefix.size());
            } else {
              provider.auth = text == "none" ? AuthKind::none : AuthKind::bearer;
            }
          },
          [=](const ProviderDraft& provider) -> std::optional<KeyValue> {
            switch (provider.auth) {
              case AuthKind::header:
                return KeyValue(std::string(kHeaderPrefix) + provider.auth_header);
              case AuthKind::none:
                return KeyValue(std::string("none"));
              case AuthKind::bearer:
                break;
            }
            return KeyValue(std::string("bearer"));
          }};
}

/// Headers merge into the provider's own, each replacing a same-named one (names compare
/// without case): a built-in's required headers survive unless replaced.
KeySlot<ProviderDraft> headers_slot() {
  return {[](ProviderDraft& provider, KeyValue&& value, const Origin&) {
            for (auto& [name, text] : std::get<HeaderList>(value)) {
              const std::string folded = ascii::lowercase(name);
              auto same = std::find_if(
                  provider.headers.begin(), provider.headers.end(),
                  [&](const auto& header) { return ascii::lowercase(header.first) == folded; });
              if (same != provider.headers.end()) {
                *same = {std::move(name), std::move(text)};
              } else {
                provider.headers.emplace_back(std::move(name), std::move(text));
              }
            }
          },
          [](const ProviderDraft& provider) -> std::optional<KeyValue> {
            return KeyValue(provider.headers);
          }};
}

/// Patterns are added to the provider's shapes for `scan`, each with its own rule id:
/// <id>-key, then <id>-key-2, ...
KeySlot<ProviderDraft> key_pattern_slot() {
  return {[](ProviderDraft& provider, KeyValue&& value, const Origin&) {
            for (std::string& regex : std::get<std::vector<std::string>>(value)) {
              const std::size_t n = provider.key_patterns.size() + 1;
              provider.key_patterns.push_back(
                  {.rule = provider.id + "-key" + (n > 1 ? "-" + std::to_string(n) : ""),
                   .regex = std::move(regex)});
            }
          },
          [](const ProviderDraft& provider) -> std::optional<KeyValue> {
            std::vector<std::string> regexes;
            for (const KeyPattern& pattern : provider.key_patterns)
              regexes.push_back(pattern.regex);
            return KeyValue(std::move(regexes));
          }};
}

KeySlot<WebhookSettings> format_slot() {
  return {[](WebhookSettings& hook, KeyValue&& value, const Origin&) {
            hook.format = std::get<std::string>(value) == "slack" ? WebhookFormat::slack
                                                                  : WebhookFormat::json;
          },
          [](const WebhookSettings& hook) -> std::optional<KeyValue> {
            return KeyValue(std::string(hook.format == WebhookFormat::slack ? "slack" : "json"));
          }};
}

void document_providers(const std::string& prefix, std::vector<KeyRow>& rows) {
  const std::string table = prefix + ".<id>";
  rows.push_back({table, "table", "id: `a-z`, `0-9`, `_` and `-`", "",
                  "a built-in id (together, openai, anthropic, openrouter, google, moonshot) "
                  "adjusts that provider; any other id adds one"});
  document_keys(provider_keys(), table, rows);
}

}  // namespace

const KeyTable<Settings>& settings_keys() {
  using K = KeysOf<Settings>;
  static const KeyTable<Settings> table{{
      K::path("report_dir", &Settings::report_dir, "where reports are written"),
      K::duration("cpu_window", &Settings::cpu_window, kMinCpuWindow, kMaxCpuWindow,
                  "how long CPU use is measured"),
      K::duration("cpu_average", &Settings::cpu_average, kMinCpuAverage, kMaxCpuAverage,
                  "`serve`, `watch` and the dashboard judge CPU on its average over this span "
                  "of one-second samples; `check` uses `cpu_window`"),
      K::duration("timeout", &Settings::timeout, kMinTimeout, kMaxTimeout,
                  "per provider, its retry included"),
      K::duration("mount_timeout", &Settings::mount_timeout, kMinMountTimeout, kMaxMountTimeout,
                  "how long a disk's statfs may take; a slower disk (a stuck NFS or FUSE mount) "
                  "is reported with an error, never waited for"),
      K::duration("deadline", &Settings::deadline, kMinDeadline, kMaxDeadline,
                  "the most a whole check may take, saving included; at least 1s longer than "
                  "`cpu_window`",
                  "30s")
          .noted("`cpu_window` + `timeout` + `5s`"),
      K::list("disks", &Settings::disks, kDiskList, "the file systems whose use is checked"),
      K::text("ca_bundle", &Settings::ca_bundle, nullptr, Emptiness::allowed,
              "PEM file of trusted CAs; empty: the system store"),
      K::path("procfs", &Settings::procfs, "where `stat`, `meminfo` and `loadavg` are read"),
      K::path("env_file", &Settings::env_file, "`.env` file with API keys")
          .noted("`./.env` if it exists"),
      K::whole("retention_days", &Settings::retention_days, 1, kMaxDays, "days",
               "`monitoring_report_*.json` older than this are deleted after each check and by "
               "`devops-monitor prune`"),
      K::whole("rotation_days", &Settings::rotation_days, 1, kMaxDays, "days",
               "a key whose fingerprint is older than this gets a rotation recommendation"),
      K::table("thresholds",
               {read_thresholds,
                [](const std::string& prefix, std::vector<KeyRow>& rows) {
                  document_keys(threshold_keys(), prefix, rows);
                }},
               "percentages: healthy below warning, critical above critical"),
      K::table("providers", {read_providers, document_providers},
               "the providers whose keys are checked", "a table of [providers.<id>] sections"),
      K::table("watch", same_target(watch_keys), "for `devops-monitor watch`"),
      K::table("serve", same_target(serve_keys), "for `devops-monitor serve`"),
      K::tables("webhooks",
                {read_webhooks,
                 [](const std::string& prefix, std::vector<KeyRow>& rows) {
                   document_keys(webhook_keys(), prefix + "[]", rows);
                 }},
                "where the changes of each check are posted: one `[[webhooks]]` table each",
                "an array of [[webhooks]] tables"),
      K::table("actions", part_of(&Settings::actions, action_keys),
               "commands run when the overall status changes"),
  }};
  return table;
}

const KeyTable<ThresholdDraft>& threshold_keys() {
  using K = KeysOf<ThresholdDraft>;
  using D = ThresholdDraft;
  static const KeyTable<ThresholdDraft> table{{
      K::percent("warning", general_threshold(&D::warning, &Thresholds::warning),
                 "warning level of CPU, memory and every disk"),
      K::percent("critical", general_threshold(&D::critical, &Thresholds::critical),
                 "critical level of CPU, memory and every disk"),
      K::percent("cpu_warning", &D::cpu_warning, "CPU's own warning level")
          .noted("`thresholds.warning`"),
      K::percent("cpu_critical", &D::cpu_critical, "CPU's own critical level")
          .noted("`thresholds.critical`"),
      K::percent("memory_warning", &D::memory_warning, "memory's own warning level")
          .noted("`thresholds.warning`"),
      K::percent("memory_critical", &D::memory_critical, "memory's own critical level")
          .noted("`thresholds.critical`"),
      K::percent("disk_warning", &D::disk_warning, "every disk's warning level")
          .noted("`thresholds.warning`"),
      K::percent("disk_critical", &D::disk_critical, "every disk's critical level")
          .noted("`thresholds.critical`"),
  }};
  return table;
}

const KeyTable<ProviderDraft>& provider_keys() {
  using K = KeysOf<ProviderDraft>;
  using P = Provider;
  static const KeyTable<ProviderDraft> table{{
      K::text("test_endpoint", &P::test_endpoint, &kHttpUrlRule, Emptiness::allowed,
              "the key's check, one read-only request; empty: the key cannot be checked"),
      K::flag("enabled", &P::enabled, "false: the provider is left out"),
      K::whole("priority", &P::priority, 0, kMaxPriority, "",
               "lower comes first in the fallback order; equal ones keep table order")
          .noted("built-ins 10, 20, ... 60; custom ones 1000 + their order in the file"),
      K::text("name", &P::name, &kDisplayNameRule, Emptiness::refused, "shown to people")
          .noted("the id"),
      K::text("env_var", &P::env_var, &kVariableNameRule, Emptiness::refused,
              "the variable holding the key; an API key variable unless `trust_env_var`")
          .noted("required for a custom provider"),
      K::flag("trust_env_var", &ProviderDraft::trust_env_var,
              "true: `env_var` may name any variable"),
      K::text("auth", auth_slot(), &kAuthRule, Emptiness::refused,
              "how the key is sent: `Authorization: Bearer`, a header of its own, or not at all"),
      K::headers("headers", headers_slot(),
                 "extra request headers, each replacing a same-named one of the provider"),
      K::list("key_pattern", key_pattern_slot(), kKeyPatternList,
              "what its keys look like, for `scan`; added to the provider's own"),
      K::flag("verify_ambiguous_keys", &P::verify_ambiguous_keys,
              "true: `scan --verify` sends it found keys of a shape other services issue too "
              "(Moonshot's `sk-` + 48) without `--verify-ambiguous`"),
      K::list("required_models", &P::required_models, kModelList,
              "models a key must be able to use"),
      K::whole("max_model_pages", &P::max_model_pages, 1, kMaxModelPages, "",
               "pages of the model list followed at most"),
      K::text("balance_endpoint", &P::balance_endpoint, &kHttpUrlRule, Emptiness::allowed,
              "a read-only request for the key's credit; empty: none (Moonshot has one built in)"),
      K::text("credit_unit", &P::credit_unit, &kCreditUnitRule, Emptiness::refused,
              "the credit's unit")
          .noted("from the balance host: `.cn` CNY, else USD"),
      K::number("min_credit", &P::min_credit, 0, kMaxCredit, "credit below this is a warning"),
      K::number("ratelimit_warning_ratio", &P::ratelimit_warning_ratio, 0, 1,
                "remaining requests below this share of the limit are a warning; 0: off"),
  }};
  return table;
}

const KeyTable<WebhookSettings>& webhook_keys() {
  using K = KeysOf<WebhookSettings>;
  static const KeyTable<WebhookSettings> table{{
      K::text("url", &WebhookSettings::url, &kWebhookUrlRule, Emptiness::refused,
              "where to POST; never shown in messages (a Slack URL's path is a secret)")
          .noted("required"),
      K::text("format", format_slot(), &kWebhookFormatRule, Emptiness::refused,
              "`json`: the generic payload; `slack`: `{\"text\": ...}` for an incoming webhook"),
      K::duration("timeout", &WebhookSettings::timeout, kMinWebhookTimeout, kMaxWebhookTimeout,
                  "the whole delivery, its one retry included"),
  }};
  return table;
}

const KeyTable<ActionSettings>& action_keys() {
  using K = KeysOf<ActionSettings>;
  static const KeyTable<ActionSettings> table{{
      K::list("on_warning", &ActionSettings::on_warning, kCommand,
              "argv run when the overall status turns warning"),
      K::list("on_critical", &ActionSettings::on_critical, kCommand,
              "argv run when the overall status turns critical"),
      K::list("on_recovery", &ActionSettings::on_recovery, kCommand,
              "argv run when the overall status is healthy again"),
      K::duration("timeout", &ActionSettings::timeout, kMinActionTimeout, kMaxActionTimeout,
                  "how long an action may run; then its whole process tree gets SIGTERM, and "
                  "SIGKILL 2s later"),
      K::list("pass_env", &ActionSettings::pass_env, kVariableList,
              "variables of the daemon's environment an action also gets; it always gets "
              "`PATH`, `HOME`, `LANG` and its `DEVOPS_MONITOR_*` event variables, nothing else"),
  }};
  return table;
}

}  // namespace devops_monitor
