// `devops-monitor providers`: the keys alone, checked now, and the fallback order.
#include <CLI/CLI.hpp>
#include <memory>
#include <nlohmann/json.hpp>

#include "command.hpp"
#include "devops_monitor/monitor.hpp"
#include "devops_monitor/render.hpp"
#include "devops_monitor/report_json.hpp"
#include "devops_monitor/rules.hpp"
#include "flags.hpp"
#include "output.hpp"

namespace devops_monitor::cli {
namespace {

constexpr const char* kProvidersFooter =
    "Checks every enabled provider's key (one free, read-only request each, all at once) and\n"
    "prints each key's state and the provider fallback order, best first. Writes no report.\n"
    "Exit status: 0 healthy, 1 warning, 2 critical for the keys alone; 3 could not run.\n"
    "Examples:\n"
    "  devops-monitor providers\n"
    "  devops-monitor providers --json | jq -r '.provider_fallback_order[0]'";

struct ProvidersFlags {
  SettingsFlags settings;
  bool json = false;
};

int run_providers(const ProvidersFlags& flags) {
  Result<Settings> settings = settings_from_flags(flags.settings);
  if (!settings) return fail(settings.error());
  CheckNotes notes;
  Result<std::vector<ApiKeyStatus>> keys = Monitor(std::move(*settings)).check_api_keys(&notes);
  print_warnings(notes.warnings);
  if (!keys) return fail(keys.error());
  const std::vector<std::string> order = fallback_order(*keys);
  if (flags.json) {
    nlohmann::ordered_json doc = {{"provider_fallback_order", order},
                                  {"api_keys", nlohmann::ordered_json::array()}};
    for (const ApiKeyStatus& key : *keys) {
      doc["api_keys"].push_back(nlohmann::ordered_json::parse(to_json(key)));
    }
    print(doc.dump(2) + "\n");
  } else {
    print(render_providers(*keys, order));
  }
  return exit_code(api_keys_status(*keys));
}

}  // namespace

Command providers_command() {
  return {"providers", "Check the keys only and print the provider fallback order",
          [](CLI::App& app) -> Run {
            auto flags = std::make_shared<ProvidersFlags>();
            app.footer(kProvidersFooter);
            switch_flag(app, "--json", flags->json,
                        "The key states and the fallback order as JSON on stdout");
            add_settings_flags(app, flags->settings, kConfigFlag | kEnvFileFlag | kTimeoutFlag);
            return [flags] { return run_providers(*flags); };
          }};
}

}  // namespace devops_monitor::cli
