// apply_config_text(): any text is either a clear error naming the file, or settings that
// obey the documented ranges (docs/configuration.md).
#include "config/config_file.hpp"
#include "fuzz_support.hpp"

using namespace devops_monitor;

namespace {

bool sane(const Thresholds& t) {
  return t.warning >= 0 && t.critical <= 100 && t.warning < t.critical;
}

}  // namespace

FUZZ_TARGET(config) {
  const Result<Settings> settings =
      apply_config_text(fuzz::as_text(data, size), "fuzz.toml", Settings{});
  if (!settings) {
    const Error& e = settings.error();
    FUZZ_CHECK(e.where.rfind("fuzz.toml", 0) == 0, e.message());
    FUZZ_CHECK(!e.what.empty(), e.message());
    return 0;
  }
  const ThresholdSet& t = settings->thresholds;
  FUZZ_CHECK(sane(t.cpu) && sane(t.memory) && sane(t.disk), "thresholds out of range");
  FUZZ_CHECK(settings->cpu_window >= kMinCpuWindow && settings->cpu_window <= kMaxCpuWindow,
             "cpu_window out of range");
  FUZZ_CHECK(settings->timeout >= kMinTimeout && settings->timeout <= kMaxTimeout,
             "timeout out of range");
  for (const Provider& p : settings->providers) {
    FUZZ_CHECK(!p.id.empty() && !p.env_var.empty() && !p.name.empty(), p.id);
    if (p.auth == AuthKind::header) FUZZ_CHECK(!p.auth_header.empty(), p.id);
  }
  return 0;
}
