// The TOML config file. Every value is checked where it is read and every problem names the
// file, line and column of the node at fault, because a config mistake found at 3 a.m. by a
// cron job has to be fixable from the one line of error it prints.
#include "config/config_file.hpp"

#include <fmt/format.h>

#include <toml++/toml.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <map>
#include <span>
#include <utility>
#include <vector>

#include "config/config_values.hpp"
#include "config/file_trust.hpp"
#include "config/key_variables.hpp"
#include "config/toml_guard.hpp"
#include "util/ascii.hpp"
#include "util/file_io.hpp"
#include "util/guard.hpp"
#include "util/key_pattern.hpp"
#include "util/quote.hpp"

namespace devops_monitor {
namespace {

using Region = toml::source_region;
using Keys = std::span<const std::string_view>;

constexpr std::array<std::string_view, 17> kTopLevelKeys{
    "report_dir", "cpu_window",     "timeout",       "mount_timeout", "deadline", "disks",
    "ca_bundle",  "procfs",         "env_file",      "thresholds",    "watch",    "webhooks",
    "actions",    "retention_days", "rotation_days", "providers",     "serve"};
constexpr std::array<std::string_view, 1> kWatchKeys{"interval"};
constexpr std::array<std::string_view, 1> kServeKeys{"key_interval"};
constexpr std::array<std::string_view, 3> kWebhookKeys{"url", "format", "timeout"};
constexpr std::array<std::string_view, 4> kActionKeys{"on_warning", "on_critical", "on_recovery",
                                                      "timeout"};
constexpr std::int64_t kMaxDays = 36'500;
constexpr std::array<std::string_view, 8> kThresholdKeys{
    "warning",        "critical",        "cpu_warning",  "cpu_critical",
    "memory_warning", "memory_critical", "disk_warning", "disk_critical"};
constexpr std::array<std::string_view, 15> kProviderKeys{"test_endpoint",
                                                         "enabled",
                                                         "priority",
                                                         "name",
                                                         "env_var",
                                                         "auth",
                                                         "headers",
                                                         "trust_env_var",
                                                         "key_pattern",
                                                         "required_models",
                                                         "max_model_pages",
                                                         "balance_endpoint",
                                                         "credit_unit",
                                                         "min_credit",
                                                         "ratelimit_warning_ratio"};
constexpr std::int64_t kMaxModelPages = 100;
constexpr std::size_t kMaxModelName = 200;
constexpr std::array<std::string_view, 3> kMetrics{"cpu", "memory", "disk"};
constexpr std::int64_t kMaxPriority = 1'000'000;

// ---- small text helpers -------------------------------------------------------------------

std::string_view a_type(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::table:
      return "a table";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a float";
    case toml::node_type::boolean:
      return "a boolean";
    case toml::node_type::date:
      return "a date";
    case toml::node_type::time:
      return "a time";
    case toml::node_type::date_time:
      return "a date-time";
    case toml::node_type::none:
      break;
  }
  return "nothing";
}

struct Member {
  const toml::key* key = nullptr;
  const toml::node* node = nullptr;
};

bool before(const Region& a, const Region& b) {
  return a.begin.line != b.begin.line ? a.begin.line < b.begin.line
                                      : a.begin.column < b.begin.column;
}

/// A table's members in the order they were written; toml++ keeps them sorted by name, but
/// "order of appearance" and "the first error in the file" both mean file order.
std::vector<Member> in_file_order(const toml::table& table) {
  std::vector<Member> members;
  for (auto&& [key, node] : table) members.push_back({&key, &node});
  std::stable_sort(members.begin(), members.end(), [](const Member& a, const Member& b) {
    return before(a.key->source(), b.key->source());
  });
  return members;
}

std::string newlines_as_spaces(std::string_view text) {
  std::string out(text);
  std::replace_if(
      out.begin(), out.end(), [](char c) { return c == '\n' || c == '\r'; }, ' ');
  return out;
}

// ---- applying the document ----------------------------------------------------------------

/// One threshold value as read, and where it was written.
struct Percent {
  double value = 0;
  std::string key;  // "thresholds.cpu_warning"
  Region where{};   // of the key: a warning >= critical error points at it
};

struct ThresholdPair {
  std::optional<Percent> warning{};
  std::optional<Percent> critical{};
};

/// Positions of a provider table's keys, for errors found only once the whole table is read.
struct ProviderSources {
  Region table{};
  std::optional<Region> auth{};
  std::map<std::string, Region> headers{};  // by lowercase name
  std::optional<Region> env_var{};          // of the value, when the table sets env_var
  bool trust_env_var = false;
};

class ConfigApplier {
 public:
  ConfigApplier(std::string filename, Settings settings)
      : filename_(std::move(filename)), settings_(std::move(settings)) {}

  Result<Settings> apply(const toml::table& root) {
    for (const Member& member : in_file_order(root)) {
      if (Result<void> applied = top_level(*member.key, *member.node); !applied) {
        return applied.error();
      }
    }
    return std::move(settings_);
  }

 private:
  [[nodiscard]] Error at(const Region& region, std::string detail,
                         std::string what = "invalid config") const {
    return Error{std::move(what), std::move(detail),
                 fmt::format("{}:{}:{}", filename_, region.begin.line, region.begin.column)};
  }

  [[nodiscard]] Error unknown_key(const toml::key& key, std::string_view table, Keys known) const {
    std::string detail = "unknown key " + key_name(key.str());
    if (!table.empty()) detail += " in " + std::string(table);
    return at(key.source(), detail + suggestion(key.str(), known));
  }

  Result<void> top_level(const toml::key& key, const toml::node& node) {
    const std::string name(key.str());
    if (name == "report_dir") return path_value(node, name, settings_.report_dir);
    if (name == "procfs") return path_value(node, name, settings_.procfs);
    if (name == "env_file") {
      std::filesystem::path file;
      if (Result<void> read = path_value(node, name, file); !read) return read;
      settings_.env_file = std::move(file);
      return {};
    }
    if (name == "ca_bundle") {
      Result<std::string> bundle = string_value(node, name, /*allow_empty=*/true);
      if (!bundle) return bundle.error();
      settings_.ca_bundle = std::move(*bundle);
      return {};
    }
    if (name == "cpu_window") {
      return duration_value(node, name, "1s", kMinCpuWindow, kMaxCpuWindow, settings_.cpu_window);
    }
    if (name == "timeout") {
      return duration_value(node, name, "10s", kMinTimeout, kMaxTimeout, settings_.timeout);
    }
    if (name == "mount_timeout") {
      return duration_value(node, name, "5s", kMinMountTimeout, kMaxMountTimeout,
                            settings_.mount_timeout);
    }
    if (name == "deadline") {
      Milliseconds deadline{0};
      Result<void> read = duration_value(node, name, "30s", kMinDeadline, kMaxDeadline, deadline);
      if (read) settings_.deadline = deadline;
      return read;
    }
    if (name == "disks") return disks(node);
    if (name == "retention_days") return days_value(node, name, settings_.retention_days);
    if (name == "rotation_days") return days_value(node, name, settings_.rotation_days);
    if (name == "thresholds") return thresholds(node);
    if (name == "providers") return providers(node);
    if (name == "watch") return watch(node);
    if (name == "webhooks") return webhooks(node);
    if (name == "actions") return actions(node);
    if (name == "serve") return serve(node);
    return unknown_key(key, "", kTopLevelKeys);
  }

  // ---- watch, webhooks, actions ----
  // These decide where reports go and what runs, like test_endpoint decides where a key
  // goes: they are read only from the config file, which load_settings reads only when it
  // is trusted (read_trusted_file); no flag or variable sets them.

  Result<void> watch(const toml::node& node) {
    const toml::table* table = node.as_table();
    if (table == nullptr) {
      return at(node.source(), "watch must be a table, not " + std::string(a_type(node)));
    }
    for (const Member& member : in_file_order(*table)) {
      if (member.key->str() != "interval") return unknown_key(*member.key, "[watch]", kWatchKeys);
      Result<void> read = duration_value(*member.node, "watch.interval", "1h", kMinWatchInterval,
                                         kMaxWatchInterval, settings_.watch_interval);
      if (!read) return read;
    }
    return {};
  }

  Result<void> serve(const toml::node& node) {
    const toml::table* table = node.as_table();
    if (table == nullptr) {
      return at(node.source(), "serve must be a table, not " + std::string(a_type(node)));
    }
    for (const Member& member : in_file_order(*table)) {
      if (member.key->str() != "key_interval") {
        return unknown_key(*member.key, "[serve]", kServeKeys);
      }
      Result<void> read = duration_value(*member.node, "serve.key_interval", "5m", kMinKeyInterval,
                                         kMaxKeyInterval, settings_.key_interval);
      if (!read) return read;
    }
    return {};
  }

  Result<void> webhooks(const toml::node& node) {
    const toml::array* list = node.as_array();
    if (list == nullptr) {
      return at(node.source(), "webhooks must be written as [[webhooks]] tables, not " +
                                   std::string(a_type(node)));
    }
    std::vector<WebhookSettings> hooks;
    for (std::size_t i = 0; i < list->size(); ++i) {
      const toml::node& item = *list->get(i);
      const toml::table* table = item.as_table();
      const std::string label = fmt::format("webhooks[{}]", i);
      if (table == nullptr) {
        return at(item.source(),
                  label + " must be a table with url and format, not " + std::string(a_type(item)));
      }
      Result<WebhookSettings> hook = webhook(*table, label);
      if (!hook) return hook.error();
      hooks.push_back(std::move(*hook));
    }
    settings_.webhooks = std::move(hooks);
    return {};
  }

  Result<WebhookSettings> webhook(const toml::table& table, const std::string& label) const {
    WebhookSettings hook;
    bool has_url = false;
    for (const Member& member : in_file_order(table)) {
      const std::string name(member.key->str());
      const toml::node& node = *member.node;
      if (name == "url") {
        // Never quoted back, not even in part: a Slack URL's path is its secret.
        Result<std::string> url = string_value(node, label + ".url", /*allow_empty=*/false);
        if (!url) return url.error();
        if (std::optional<std::string> problem = webhook_url_problem(*url)) {
          return at(node.source(), label + ".url " + *problem);
        }
        hook.url = std::move(*url);
        has_url = true;
      } else if (name == "format") {
        Result<std::string> format = string_value(node, label + ".format", false);
        if (!format) return format.error();
        if (*format != "json" && *format != "slack") {
          return at(node.source(), label + ".format must be \"json\" or \"slack\"");
        }
        hook.format = *format == "slack" ? WebhookFormat::slack : WebhookFormat::json;
      } else if (name == "timeout") {
        Result<void> read = duration_value(node, label + ".timeout", "10s", kMinWebhookTimeout,
                                           kMaxWebhookTimeout, hook.timeout);
        if (!read) return read.error();
      } else {
        return unknown_key(*member.key, "[[webhooks]]", kWebhookKeys);
      }
    }
    if (!has_url) return at(table.source(), label + " needs url, where to post");
    return hook;
  }

  Result<void> actions(const toml::node& node) {
    const toml::table* table = node.as_table();
    if (table == nullptr) {
      return at(node.source(), "actions must be a table, not " + std::string(a_type(node)));
    }
    for (const Member& member : in_file_order(*table)) {
      const std::string name(member.key->str());
      if (name == "timeout") {
        Result<void> read =
            duration_value(*member.node, "actions.timeout", "30s", kMinActionTimeout,
                           kMaxActionTimeout, settings_.actions.timeout);
        if (!read) return read;
        continue;
      }
      std::vector<std::string>* target = name == "on_warning"    ? &settings_.actions.on_warning
                                         : name == "on_critical" ? &settings_.actions.on_critical
                                         : name == "on_recovery" ? &settings_.actions.on_recovery
                                                                 : nullptr;
      if (target == nullptr) return unknown_key(*member.key, "[actions]", kActionKeys);
      Result<std::vector<std::string>> argv = command(*member.node, "actions." + name);
      if (!argv) return argv.error();
      *target = std::move(*argv);
    }
    return {};
  }

  /// A command as argv: run without a shell, so nothing in a report can become shell syntax.
  Result<std::vector<std::string>> command(const toml::node& node, const std::string& label) const {
    const toml::array* list = node.as_array();
    if (list == nullptr) {
      return at(node.source(), label +
                                   R"( must be an array of strings like ["logger", "text"], not )" +
                                   std::string(a_type(node)));
    }
    if (list->empty()) return at(node.source(), label + " must name a program to run");
    std::vector<std::string> argv;
    for (std::size_t i = 0; i < list->size(); ++i) {
      const std::string item_label = fmt::format("{}[{}]", label, i);
      Result<std::string> arg = string_value(*list->get(i), item_label, /*allow_empty=*/i != 0);
      if (!arg) return arg.error();
      if (std::any_of(arg->begin(), arg->end(), is_control)) {
        return at(list->get(i)->source(), item_label + " must not contain control characters");
      }
      argv.push_back(std::move(*arg));
    }
    return argv;
  }

  // ---- scalars ----

  Result<std::string> string_value(const toml::node& node, const std::string& label,
                                   bool allow_empty) const {
    const toml::value<std::string>* text = node.as_string();
    if (text == nullptr) {
      return at(node.source(), label + " must be a string, not " + std::string(a_type(node)));
    }
    if (!allow_empty && text->get().empty()) return at(node.source(), label + " must not be empty");
    return text->get();
  }

  /// Paths are kept as written: relative ones resolve against the working directory of the
  /// run, like the same path given as a flag.
  Result<void> path_value(const toml::node& node, const std::string& label,
                          std::filesystem::path& out) const {
    Result<std::string> text = string_value(node, label, /*allow_empty=*/false);
    if (!text) return text.error();
    out = std::move(*text);
    return {};
  }

  Result<void> duration_value(const toml::node& node, const std::string& label,
                              std::string_view example, Milliseconds min, Milliseconds max,
                              Milliseconds& out) const {
    const toml::value<std::string>* text = node.as_string();
    if (text == nullptr) {
      return at(node.source(), fmt::format("{} must be a duration string like \"{}\", not {}",
                                           label, example, a_type(node)));
    }
    Result<Milliseconds> value = parse_duration_between(text->get(), min, max);
    if (!value) return at(node.source(), label + " " + value.error().detail, value.error().what);
    out = *value;
    return {};
  }

  Result<void> days_value(const toml::node& node, const std::string& label, int& out) const {
    const toml::value<std::int64_t>* days = node.as_integer();
    if (days == nullptr) {
      return at(node.source(), fmt::format("{} must be a whole number of days like 90, not {}",
                                           label, a_type(node)));
    }
    if (days->get() < 1 || days->get() > kMaxDays) {
      return at(node.source(),
                fmt::format("{} = {} is outside 1 to {}", label, days->get(), kMaxDays));
    }
    out = static_cast<int>(days->get());
    return {};
  }

  Result<void> disks(const toml::node& node) {
    const toml::array* list = node.as_array();
    if (list == nullptr) {
      return at(node.source(), "disks must be an array of paths like [\"/\", \"/home\"], not " +
                                   std::string(a_type(node)));
    }
    if (list->empty()) return at(node.source(), "disks must list at least one path");
    std::vector<std::filesystem::path> paths;
    for (std::size_t i = 0; i < list->size(); ++i) {
      std::filesystem::path path;
      const std::string label = fmt::format("disks[{}]", i);
      if (Result<void> read = path_value(*list->get(i), label, path); !read) return read;
      paths.push_back(std::move(path));
    }
    settings_.disks = std::move(paths);
    return {};
  }

  // ---- thresholds ----

  Result<double> percent(const toml::node& node, const std::string& label) const {
    double value = 0;
    if (const auto* integer = node.as_integer()) {
      value = static_cast<double>(integer->get());
    } else if (const auto* floating = node.as_floating_point()) {
      value = floating->get();
    } else {
      return at(node.source(),
                label + " must be a number from 0 to 100, not " + std::string(a_type(node)));
    }
    if (!(value >= 0.0 && value <= 100.0)) {  // also refuses nan
      return at(node.source(), fmt::format("{} = {} is outside 0 to 100", label, value));
    }
    return value;
  }

  Result<void> thresholds(const toml::node& node) {
    const toml::table* table = node.as_table();
    if (table == nullptr) {
      return at(node.source(), "thresholds must be a table, not " + std::string(a_type(node)));
    }
    ThresholdPair general;
    std::array<ThresholdPair, kMetrics.size()> specific;
    for (const Member& member : in_file_order(*table)) {
      const std::string name(member.key->str());
      std::optional<Percent>* slot = threshold_slot(name, general, specific);
      if (slot == nullptr) return unknown_key(*member.key, "[thresholds]", kThresholdKeys);
      const std::string label = "thresholds." + name;
      Result<double> value = percent(*member.node, label);
      if (!value) return value.error();
      *slot = Percent{*value, label, member.key->source()};
    }
    // A per-metric value wins over the general one wherever either is written.
    std::array<Thresholds*, kMetrics.size()> targets{
        &settings_.thresholds.cpu, &settings_.thresholds.memory, &settings_.thresholds.disk};
    for (std::size_t i = 0; i < kMetrics.size(); ++i) {
      const std::optional<Percent>& warning =
          specific[i].warning ? specific[i].warning : general.warning;
      const std::optional<Percent>& critical =
          specific[i].critical ? specific[i].critical : general.critical;
      if (Result<void> merged = merge_thresholds(kMetrics[i], warning, critical, *targets[i]);
          !merged) {
        return merged;
      }
    }
    return {};
  }

  static std::optional<Percent>* threshold_slot(
      const std::string& name, ThresholdPair& general,
      std::array<ThresholdPair, kMetrics.size()>& specific) {
    if (name == "warning") return &general.warning;
    if (name == "critical") return &general.critical;
    for (std::size_t i = 0; i < kMetrics.size(); ++i) {
      const std::string metric(kMetrics[i]);
      if (name == metric + "_warning") return &specific[i].warning;
      if (name == metric + "_critical") return &specific[i].critical;
    }
    return nullptr;
  }

  Result<void> merge_thresholds(std::string_view metric, const std::optional<Percent>& warning,
                                const std::optional<Percent>& critical, Thresholds& target) const {
    if (warning) target.warning = warning->value;
    if (critical) target.critical = critical->value;
    if ((!warning && !critical) || target.warning < target.critical) return {};
    auto origin = [](const std::optional<Percent>& p) {
      return p ? p->key : std::string("default");
    };
    // Point at whichever of the two was written last: that is the one that broke the pair.
    const Region where = !critical                                 ? warning->where
                         : !warning                                ? critical->where
                         : before(warning->where, critical->where) ? critical->where
                                                                   : warning->where;
    return at(where, fmt::format("{} warning {} ({}) must be below {} critical {} ({})", metric,
                                 target.warning, origin(warning), metric, target.critical,
                                 origin(critical)));
  }

  // ---- providers ----

  Result<void> providers(const toml::node& node) {
    const toml::table* table = node.as_table();
    if (table == nullptr) {
      return at(node.source(), "providers must be a table of [providers.<id>] sections, not " +
                                   std::string(a_type(node)));
    }
    int custom_order = 0;
    for (const Member& member : in_file_order(*table)) {
      const std::string id(member.key->str());
      if (!valid_provider_id(id)) {
        return at(member.key->source(),
                  "provider id " + key_name(id) + " may only use a-z, 0-9, '_' and '-'");
      }
      const toml::table* body = member.node->as_table();
      if (body == nullptr) {
        return at(member.node->source(), "[providers." + id + "] must be a table, not " +
                                             std::string(a_type(*member.node)));
      }
      Result<void> applied =
          is_builtin(id) ? override_builtin(id, *body) : add_custom(id, *body, ++custom_order);
      if (!applied) return applied;
    }
    return {};
  }

  static bool is_builtin(const std::string& id) {
    const std::vector<Provider> builtins = builtin_providers();
    return std::any_of(builtins.begin(), builtins.end(),
                       [&](const Provider& p) { return p.id == id; });
  }

  Provider* find_provider(const std::string& id) {
    auto it = std::find_if(settings_.providers.begin(), settings_.providers.end(),
                           [&](const Provider& p) { return p.id == id; });
    return it == settings_.providers.end() ? nullptr : &*it;
  }

  Result<void> override_builtin(const std::string& id, const toml::table& body) {
    Provider* provider = find_provider(id);
    if (provider == nullptr) {  // the base settings dropped it: start again from the table
      for (const Provider& p : builtin_providers()) {
        if (p.id == id) settings_.providers.push_back(p);
      }
      provider = &settings_.providers.back();
    }
    Provider changed = *provider;
    if (Result<void> read = provider_keys(id, body, changed); !read) return read;
    *provider = std::move(changed);
    return {};
  }

  /// Custom providers come after the built-ins, in the order they appear in the file.
  Result<void> add_custom(const std::string& id, const toml::table& body, int order) {
    Provider custom{.id = id, .name = id, .priority = 1000 + order};
    if (Result<void> read = provider_keys(id, body, custom); !read) return read;
    if (custom.env_var.empty()) {
      return at(body.source(), "[providers." + id +
                                   "] needs env_var, the environment variable that holds its key");
    }
    if (Provider* existing = find_provider(id)) {
      *existing = std::move(custom);
    } else {
      settings_.providers.push_back(std::move(custom));
    }
    return {};
  }

  Result<void> provider_keys(const std::string& id, const toml::table& body,
                             Provider& provider) const {
    ProviderSources sources{.table = body.source()};
    for (const Member& member : in_file_order(body)) {
      Result<void> read = provider_key(id, *member.key, *member.node, provider, sources);
      if (!read) return read;
    }
    if (Result<void> trusted = check_env_var_trust(id, provider, sources); !trusted) {
      return trusted;
    }
    return check_auth_header_clash(id, provider, sources);
  }

  Result<void> provider_key(const std::string& id, const toml::key& key, const toml::node& node,
                            Provider& provider, ProviderSources& sources) const {
    const std::string name(key.str());
    const std::string label = "providers." + id + "." + name;
    if (name == "name") return display_name(node, label, provider.name);
    if (name == "env_var") {
      sources.env_var = node.source();
      return env_var(node, label, provider.env_var);
    }
    if (name == "trust_env_var") return boolean(node, label, sources.trust_env_var);
    if (name == "test_endpoint") return endpoint(node, label, provider.test_endpoint);
    if (name == "auth") {
      sources.auth = node.source();
      return auth(node, label, provider);
    }
    if (name == "headers") return headers(node, label, provider.headers, sources.headers);
    if (name == "enabled") return boolean(node, label, provider.enabled);
    if (name == "priority") return priority(node, label, provider.priority);
    if (name == "key_pattern") return key_patterns(id, node, label, provider.key_patterns);
    if (name == "required_models") return model_names(node, label, provider.required_models);
    if (name == "max_model_pages") return model_pages(node, label, provider.max_model_pages);
    if (name == "balance_endpoint") return endpoint(node, label, provider.balance_endpoint);
    if (name == "credit_unit") return credit_unit(node, label, provider.credit_unit);
    if (name == "min_credit") {
      Result<double> value = number_in(node, label, 0.0, 1e12);
      if (!value) return value.error();
      provider.min_credit = *value;
      return {};
    }
    if (name == "ratelimit_warning_ratio") {
      Result<double> value = number_in(node, label, 0.0, 1.0);
      if (!value) return value.error();
      provider.ratelimit_warning_ratio = *value;
      return {};
    }
    return unknown_key(key, "[providers." + id + "]", kProviderKeys);
  }

  /// A string or an array of strings, each added to the provider's shapes for `scan`. The
  /// scanner's prefilter needs each to start with literal characters, so that is checked here,
  /// at the pattern's own file:line:column. Patterns are not quoted back (keys get pasted).
  Result<void> key_patterns(const std::string& id, const toml::node& node, const std::string& label,
                            std::vector<KeyPattern>& out) const {
    std::vector<const toml::node*> items;
    if (const toml::array* list = node.as_array()) {
      if (list->empty()) return at(node.source(), label + " must list at least one pattern");
      for (const toml::node& item : *list) items.push_back(&item);
    } else {
      items.push_back(&node);
    }
    for (const toml::node* item : items) {
      Result<std::string> pattern = string_value(*item, label, /*allow_empty=*/false);
      if (!pattern) {
        return at(item->source(), label +
                                      " must be a regular expression string or an array "
                                      "of them, not " +
                                      std::string(a_type(*item)));
      }
      if (std::optional<std::string> problem = key_pattern_problem(*pattern)) {
        return at(item->source(), label + " " + *problem);
      }
      const std::size_t n = out.size() + 1;
      out.push_back({.rule = id + "-key" + (n > 1 ? "-" + std::to_string(n) : ""),
                     .regex = std::move(*pattern)});
    }
    return {};
  }

  /// An array of model ids as the provider writes them ("gpt-4o", "models/gemini-2.5-pro").
  Result<void> model_names(const toml::node& node, const std::string& label,
                           std::vector<std::string>& out) const {
    const toml::array* list = node.as_array();
    if (list == nullptr) {
      return at(node.source(), label + " must be an array of model ids like [\"gpt-4o\"], not " +
                                   std::string(a_type(node)));
    }
    std::vector<std::string> models;
    for (const toml::node& item : *list) {
      Result<std::string> model = string_value(item, label, /*allow_empty=*/false);
      if (!model) return model.error();
      if (model->size() > kMaxModelName || std::any_of(model->begin(), model->end(), [](char c) {
            return is_control(c) || c == ' ';
          })) {
        return at(item.source(), fmt::format("{} items must be model ids: no spaces or control "
                                             "characters, at most {} bytes",
                                             label, kMaxModelName));
      }
      models.push_back(std::move(*model));
    }
    out = std::move(models);
    return {};
  }

  Result<void> model_pages(const toml::node& node, const std::string& label, int& out) const {
    const auto* integer = node.as_integer();
    if (integer == nullptr || integer->get() < 1 || integer->get() > kMaxModelPages) {
      return at(node.source(),
                fmt::format("{} must be a whole number from 1 to {}", label, kMaxModelPages));
    }
    out = static_cast<int>(integer->get());
    return {};
  }

  /// A currency or credit unit for the report: "USD", "CNY", "credits".
  Result<void> credit_unit(const toml::node& node, const std::string& label,
                           std::string& out) const {
    Result<std::string> text = string_value(node, label, /*allow_empty=*/false);
    if (!text) return text.error();
    const bool plain = text->size() <= 16 && std::all_of(text->begin(), text->end(), [](char c) {
                         return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
                       });
    if (!plain) return at(node.source(), label + " must be 1 to 16 letters, like \"USD\"");
    out = std::move(*text);
    return {};
  }

  Result<double> number_in(const toml::node& node, const std::string& label, double low,
                           double high) const {
    double value = 0;
    if (const auto* integer = node.as_integer()) {
      value = static_cast<double>(integer->get());
    } else if (const auto* floating = node.as_floating_point()) {
      value = floating->get();
    } else {
      return at(node.source(), fmt::format("{} must be a number from {:g} to {:g}, not {}", label,
                                           low, high, a_type(node)));
    }
    if (!(value >= low && value <= high)) {  // also refuses nan
      return at(node.source(),
                fmt::format("{} = {} is outside {:g} to {:g}", label, value, low, high));
    }
    return value;
  }

  Result<void> boolean(const toml::node& node, const std::string& label, bool& out) const {
    const auto* flag = node.as_boolean();
    if (flag == nullptr) {
      return at(node.source(), label + " must be true or false, not " + std::string(a_type(node)));
    }
    out = flag->get();
    return {};
  }

  Result<void> display_name(const toml::node& node, const std::string& label,
                            std::string& out) const {
    Result<std::string> text = string_value(node, label, /*allow_empty=*/false);
    if (!text) return text.error();
    if (text->find_first_not_of(" \t") == std::string::npos) {
      return at(node.source(), label + " must not be blank");
    }
    if (std::any_of(text->begin(), text->end(), is_control)) {
      return at(node.source(), label + " must not contain control characters");
    }
    out = std::move(*text);
    return {};
  }

  // The value is not quoted in errors: a key pasted where its variable name belongs is common.
  Result<void> env_var(const toml::node& node, const std::string& label, std::string& out) const {
    Result<std::string> text = string_value(node, label, /*allow_empty=*/false);
    if (!text) return text.error();
    if (!valid_env_var(*text)) {
      return at(node.source(), label +
                                   " must be a variable name like \"EXAMPLE_API_KEY\" "
                                   "(letters, digits and '_', not starting with a digit)");
    }
    out = std::move(*text);
    return {};
  }

  Result<void> endpoint(const toml::node& node, const std::string& label, std::string& out) const {
    Result<std::string> url = string_value(node, label, /*allow_empty=*/true);
    if (!url) return url.error();
    if (!url->empty()) {
      if (std::optional<std::string> problem = endpoint_problem(*url)) {
        return at(node.source(), label + " " + *problem);
      }
    }
    out = std::move(*url);
    return {};
  }

  Result<void> auth(const toml::node& node, const std::string& label, Provider& provider) const {
    Result<std::string> text = string_value(node, label, /*allow_empty=*/false);
    if (!text) return text.error();
    constexpr std::string_view kHeaderPrefix = "header:";
    if (*text == "bearer" || *text == "none") {
      provider.auth = *text == "bearer" ? AuthKind::bearer : AuthKind::none;
      provider.auth_header.clear();
      return {};
    }
    if (text->starts_with(kHeaderPrefix) && valid_header_name(text->substr(kHeaderPrefix.size()))) {
      provider.auth = AuthKind::header;
      provider.auth_header = text->substr(kHeaderPrefix.size());
      return {};
    }
    // Not quoted back: "Bearer sk-..." pasted here would otherwise be printed.
    return at(node.source(), label +
                                 " must be \"bearer\", \"none\" or \"header:<Header-Name>\" "
                                 "with a valid header name");
  }

  /// Headers merge into the provider's own, a configured one replacing a same-named one
  /// (names compare without case): a built-in's required headers survive unless replaced.
  Result<void> headers(const toml::node& node, const std::string& label,
                       std::vector<std::pair<std::string, std::string>>& out,
                       std::map<std::string, Region>& positions) const {
    const toml::table* table = node.as_table();
    if (table == nullptr) {
      return at(node.source(), label + " must be a table like { X-Name = \"value\" }, not " +
                                   std::string(a_type(node)));
    }
    for (const Member& member : in_file_order(*table)) {
      const std::string name(member.key->str());
      if (!valid_header_name(name)) {
        return at(member.key->source(), label + " has an invalid header name " + key_name(name));
      }
      const std::string folded = ascii::lowercase(name);
      if (positions.count(folded) != 0) {
        return at(member.key->source(), label + " gives header " + key_name(name) + " twice");
      }
      positions.emplace(folded, member.key->source());
      const toml::value<std::string>* value = member.node->as_string();
      if (value == nullptr) {
        return at(member.node->source(), label + "." + name + " must be a string, not " +
                                             std::string(a_type(*member.node)));
      }
      const std::string& text = value->get();
      if (std::any_of(text.begin(), text.end(),
                      [](char c) { return is_control(c) && c != '\t'; })) {
        return at(member.node->source(),
                  label + "." + name + " must not contain line breaks or control characters");
      }
      auto same = std::find_if(out.begin(), out.end(),
                               [&](const auto& h) { return ascii::lowercase(h.first) == folded; });
      if (same != out.end()) {
        *same = {name, text};
      } else {
        out.emplace_back(name, text);
      }
    }
    return {};
  }

  /// The trust rule for env_var: a config file decides where the variable's value is sent, so
  /// unless the provider's table opts in, it may only name a variable that holds an API key.
  /// Otherwise one line of config would send AWS_SECRET_ACCESS_KEY or GITHUB_TOKEN to any
  /// endpoint as a bearer token. The name is not quoted: people paste keys there.
  Result<void> check_env_var_trust(const std::string& id, const Provider& provider,
                                   const ProviderSources& sources) const {
    if (!sources.env_var || sources.trust_env_var || is_key_variable(provider.env_var)) return {};
    return at(*sources.env_var,
              "providers." + id +
                  ".env_var is not an API key variable (a built-in provider's, or a name like "
                  "EXAMPLE_API_KEY); if that variable really holds this provider's key, add "
                  "trust_env_var = true to [providers." +
                  id + "]");
  }

  /// A header with the name auth already uses would send two conflicting values.
  Result<void> check_auth_header_clash(const std::string& id, const Provider& provider,
                                       const ProviderSources& sources) const {
    std::string auth_header;
    if (provider.auth == AuthKind::bearer) auth_header = "authorization";
    if (provider.auth == AuthKind::header) auth_header = ascii::lowercase(provider.auth_header);
    if (auth_header.empty()) return {};
    for (const auto& [name, value] : provider.headers) {
      if (ascii::lowercase(name) != auth_header) continue;
      const auto written = sources.headers.find(auth_header);
      const Region where = written != sources.headers.end() ? written->second
                           : sources.auth                   ? *sources.auth
                                                            : sources.table;
      return at(where, "providers." + id + ".headers sets " + key_name(name) +
                           ", the header auth already sends the key in");
    }
    return {};
  }

  Result<void> priority(const toml::node& node, const std::string& label, int& out) const {
    const auto* integer = node.as_integer();
    if (integer == nullptr || integer->get() < 0 || integer->get() > kMaxPriority) {
      std::string detail =
          fmt::format("{} must be a whole number from 0 to {}", label, kMaxPriority);
      if (integer == nullptr) detail += ", not " + std::string(a_type(node));
      return at(node.source(), detail);
    }
    out = static_cast<int>(integer->get());
    return {};
  }

  std::string filename_;
  Settings settings_;
};

/// toml::parse, with its error as an Error; `error_at` (if given) gets the error's position.
Result<toml::table> parse_toml_unguarded(std::string_view text, const std::string& filename,
                                         toml::source_position* error_at = nullptr) {
  auto syntax_error = [&](const toml::parse_error& error) {
    const toml::source_position begin = error.source().begin;
    if (error_at != nullptr) *error_at = begin;
    return Error{"config syntax error", newlines_as_spaces(error.description()),
                 fmt::format("{}:{}:{}", filename, begin.line, begin.column)};
  };
#if TOML_EXCEPTIONS
  try {
    return toml::parse(text, filename);
  } catch (const toml::parse_error& error) {
    return syntax_error(error);
  }
#else
  toml::parse_result parsed = toml::parse(text, filename);
  if (!parsed) return syntax_error(parsed.error());
  return std::move(parsed).table();
#endif
}

Result<toml::table> parse_toml(std::string_view text, const std::string& filename) {
  const std::optional<UnsafeTomlSpot> spot = find_unsafe_toml(text);
  if (!spot) return parse_toml_unguarded(text, filename);
  // toml++ parses a copy with every such spot blanked out, so that a mistake before the
  // first spot is reported first, as toml++ reports the first mistake of a file.
  toml::source_position error_at{};
  Result<toml::table> defused = parse_toml_unguarded(defuse_toml(text), filename, &error_at);
  const bool earlier =
      error_at.line < spot->line || (error_at.line == spot->line && error_at.column < spot->column);
  if (!defused && earlier) return defused.error();
  return Error{"config syntax error", spot->problem,
               fmt::format("{}:{}:{}", filename, spot->line, spot->column)};
}

}  // namespace

Result<Settings> apply_config_text(std::string_view toml_text, const std::string& filename,
                                   Settings base) {
  Result<toml::table> root = parse_toml(toml_text, filename);
  if (!root) return root.error();
  return ConfigApplier(filename, std::move(base)).apply(*root);
}

Result<Settings> apply_trusted_config_file(const std::filesystem::path& file, Settings base,
                                           uid_t caller) {
  Result<std::string> text = read_trusted_file(file, caller);
  if (!text) return text.error();
  return apply_config_text(*text, file.string(), std::move(base));
}

Result<Settings> apply_config_file(const std::filesystem::path& file, Settings base) {
  return guarded<Settings>("cannot read config file", [&] {
    return apply_trusted_config_file(file, std::move(base), ::geteuid());
  });
}

}  // namespace devops_monitor
