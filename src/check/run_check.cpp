#include "check/run_check.hpp"

#include "assess/assess.hpp"
#include "assess/key_rotation.hpp"
#include "config/settings_check.hpp"
#include "keys/load_keys.hpp"
#include "store/keeping.hpp"
#include "store/silences_file.hpp"

namespace devops_monitor {
namespace {

HttpOptions key_options(const Settings& settings, const CheckInputs& inputs, SteadyTime deadline) {
  HttpOptions options = http_options(settings, deadline);
  options.cancel = inputs.cancel;
  return options;
}

/// The key checks' waiting, told to the caller's progress once, when `after` has passed.
KeysWaiting waiting_once(const CheckInputs& inputs) {
  if (inputs.progress == nullptr || !inputs.progress->waiting) return {};
  const SteadyTime due = SteadyClock::now() + inputs.progress->after;
  auto told = std::make_shared<bool>(false);
  return [progress = inputs.progress, due, told](const std::vector<std::string>& providers) {
    if (*told || SteadyClock::now() < due) return;
    *told = true;
    progress->waiting(providers);
  };
}

}  // namespace

Result<Report> run_check(const Settings& settings, const CheckInputs& inputs, SteadyTime deadline,
                         CheckNotes* notes) {
  if (Result<void> valid = check_settings(settings); !valid) return valid.error();
  Result<KeySource> keys = load_keys(settings, inputs.environment, notes);
  if (!keys) return keys.error();
  const HttpOptions options = key_options(settings, inputs, deadline);
  Result<Snapshot> snapshot =
      inputs.system ? judge_reading(settings, *keys, *inputs.system, options, waiting_once(inputs))
                    : take_snapshot(settings, *keys, options, waiting_once(inputs));
  if (!snapshot) return snapshot.error();
  if (notes != nullptr) {
    for (const KeyProbe& probe : snapshot->keys) {
      if (probe.requests_sent > 0) notes->probe_requests[probe.provider.id] += probe.requests_sent;
    }
  }
  Report report = assess(*snapshot, settings.thresholds);
  // Reading the history only marks rotations and ages; keeping records the fingerprints.
  apply_key_history(report, current_key_history(settings, notes), snapshot->finished_at,
                    settings.rotation_days);
  // The silences active as the check ended travel with its report: what the page shows, and
  // what watch compares with the previous report's to see a silence end.
  report.silences =
      active_silences(read_silences_or_warn(settings.report_dir, notes), snapshot->finished_at);
  return report;
}

Result<std::vector<ApiKeyStatus>> check_api_keys(const Settings& settings,
                                                 const CheckInputs& inputs, SteadyTime deadline,
                                                 CheckNotes* notes) {
  Result<KeySource> keys = load_keys(settings, inputs.environment, notes);
  if (!keys) return keys.error();
  const auto offset = local_utc_offset(std::chrono::system_clock::now());
  std::vector<ApiKeyStatus> statuses;
  for (const KeyProbe& probe :
       check_keys(settings.providers, *keys, settings.timeout,
                  key_options(settings, inputs, deadline), waiting_once(inputs))) {
    statuses.push_back(assess_key(probe, offset));
  }
  return statuses;
}

Result<ApiKeyStatus> check_one_key(const Settings& settings, const CheckInputs& inputs,
                                   const std::string& env_var, const Provider& provider,
                                   SteadyTime deadline) {
  Provider checked = provider;
  checked.env_var = env_var;
  checked.enabled = true;
  Result<KeySource> keys = load_keys(settings, inputs.environment, nullptr);
  if (!keys) return keys.error();
  const std::vector<KeyProbe> probes =
      check_keys({checked}, *keys, settings.timeout, key_options(settings, inputs, deadline));
  return assess_key(probes.front(), local_utc_offset(std::chrono::system_clock::now()));
}

Result<SystemHealth> check_system(const Settings& settings, SteadyTime deadline) {
  if (Result<void> valid = check_settings(settings); !valid) return valid.error();
  Result<SystemSample> sample = measure_system(settings, deadline);
  if (!sample) return sample.error();
  const auto now = std::chrono::system_clock::now();
  return assess_system(*sample, settings.thresholds, format_rfc3339(now, local_utc_offset(now)));
}

}  // namespace devops_monitor
