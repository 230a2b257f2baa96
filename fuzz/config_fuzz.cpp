// apply_config_text(): any text is either a clear error naming the file, or settings that
// obey the documented ranges (docs/configuration.md, rendered from src/config/schema.cpp).
// The text goes through the toml++ guard (src/config/toml_guard.cpp) first: this target found
// the toml++ 3.3 crashes it stops.
#include "config/config_file.hpp"
#include "fuzz_support.hpp"

using namespace devops_monitor;

namespace {

bool sane(const Thresholds& t) {
  return t.warning >= 0 && t.critical <= 100 && t.warning < t.critical;
}

bool duration_within(Milliseconds value, Milliseconds min, Milliseconds max) {
  return value >= min && value <= max;
}

void check_config_providers(const std::vector<Provider>& providers) {
  for (const Provider& p : providers) {
    FUZZ_CHECK(!p.id.empty() && !p.env_var.empty() && !p.name.empty(), p.id);
    if (p.auth == AuthKind::header) FUZZ_CHECK(!p.auth_header.empty(), p.id);
    FUZZ_CHECK(p.priority >= 0 && p.max_model_pages >= 1 && p.max_model_pages <= 100, p.id);
    FUZZ_CHECK(p.ratelimit_warning_ratio >= 0 && p.ratelimit_warning_ratio <= 1, p.id);
    FUZZ_CHECK(!p.min_credit || *p.min_credit >= 0, p.id);
    for (const KeyPattern& pattern : p.key_patterns) FUZZ_CHECK(!pattern.regex.empty(), p.id);
  }
}

void check_config_notifications(const Settings& s) {
  FUZZ_CHECK(duration_within(s.watch_interval, kMinWatchInterval, kMaxWatchInterval),
             "watch.interval");
  FUZZ_CHECK(duration_within(s.key_interval, kMinKeyInterval, kMaxKeyInterval),
             "serve.key_interval");
  for (const WebhookSettings& hook : s.webhooks) {
    FUZZ_CHECK(!hook.url.empty(), "webhook without url");
    FUZZ_CHECK(duration_within(hook.timeout, kMinWebhookTimeout, kMaxWebhookTimeout),
               "webhook timeout");
  }
  FUZZ_CHECK(duration_within(s.actions.timeout, kMinActionTimeout, kMaxActionTimeout),
             "actions.timeout");
  for (const auto* argv : {&s.actions.on_warning, &s.actions.on_critical, &s.actions.on_recovery}) {
    FUZZ_CHECK(argv->empty() || !argv->front().empty(), "action without a program");
  }
}

}  // namespace

FUZZ_TARGET(config) {
  const Result<Settings> settings =
      apply_config_text(fuzz::as_text(data, size), "fuzz.toml", Settings{});
  if (!settings) {
    const Error& e = settings.error();
    FUZZ_CHECK(e.where.rfind("fuzz.toml", 0) == 0, e.message());
    FUZZ_CHECK(!e.what.empty(), e.message());
    FUZZ_CHECK(e.message().find('\n') == std::string::npos, e.message());
    return 0;
  }
  const Settings& s = *settings;
  const ThresholdSet& t = s.thresholds;
  FUZZ_CHECK(sane(t.cpu) && sane(t.memory) && sane(t.disk), "thresholds out of range");
  FUZZ_CHECK(duration_within(s.cpu_window, kMinCpuWindow, kMaxCpuWindow),
             "cpu_window out of range");
  FUZZ_CHECK(duration_within(s.timeout, kMinTimeout, kMaxTimeout), "timeout out of range");
  FUZZ_CHECK(duration_within(s.mount_timeout, kMinMountTimeout, kMaxMountTimeout), "mount_timeout");
  FUZZ_CHECK(!s.deadline || duration_within(*s.deadline, kMinDeadline, kMaxDeadline), "deadline");
  FUZZ_CHECK(!s.disks.empty() && !s.report_dir.empty() && !s.procfs.empty(), "empty path");
  FUZZ_CHECK(s.retention_days >= 1 && s.rotation_days >= 1, "days out of range");
  check_config_providers(s.providers);
  check_config_notifications(s);
  return 0;
}
