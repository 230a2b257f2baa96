// The report's JSON mapping. Field order is fixed (old fields first, as the old tool wrote
// them); fields are only ever added, never renamed or removed.
#include "devops_monitor/report_json.hpp"

#include <cmath>
#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <type_traits>

#include "model/silence_json.hpp"
#include "util/guard.hpp"

namespace devops_monitor {
namespace {

using Json = nlohmann::ordered_json;

std::string dump(const Json& doc) {
  // Invalid UTF-8 (a provider's message, a path) is replaced rather than failing the report.
  return doc.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

template <class T>
Json optional_json(const std::optional<T>& value) {
  return value ? Json(*value) : Json(nullptr);
}

Json thresholds_json(const Thresholds& t) {
  return {{"warning", t.warning}, {"critical", t.critical}};
}

Json key_json(const ApiKeyStatus& k) {
  return {{"provider", k.provider},
          {"key_present", k.key_present},
          {"key_valid", optional_json(k.key_valid)},
          {"error_message", k.error_message},
          {"last_checked", k.last_checked},
          {"id", k.id},
          {"env_var", k.env_var},
          {"state", to_string(k.state)},
          {"http_status", optional_json(k.http_status)},
          {"latency_ms", optional_json(k.latency_ms)},
          {"key_fingerprint", optional_json(k.key_fingerprint)},
          {"key_first_seen", optional_json(k.key_first_seen)},
          {"key_age_days", optional_json(k.key_age_days)},
          {"key_rotated", k.key_rotated},
          {"restriction", optional_json(k.restriction)},
          {"models_available", optional_json(k.models_available)},
          {"models_cut_short", k.models_cut_short},
          {"missing_models", k.missing_models},
          {"models_not_seen", k.models_not_seen},
          {"credit_status", optional_json(k.credit_status)},
          {"credit_remaining", optional_json(k.credit_remaining)},
          {"credit_unit", optional_json(k.credit_unit)},
          {"credit_scope", optional_json(k.credit_scope)},
          {"credit_low", k.credit_low},
          {"credit_min", optional_json(k.credit_min)},
          {"ratelimit_limit", optional_json(k.ratelimit_limit)},
          {"ratelimit_remaining", optional_json(k.ratelimit_remaining)},
          {"ratelimit_reset_seconds", optional_json(k.ratelimit_reset_seconds)},
          {"ratelimit_reset_at", optional_json(k.ratelimit_reset_at)},
          {"ratelimit_unreadable", k.ratelimit_unreadable},
          {"ratelimit_low", k.ratelimit_low},
          {"retry_after_seconds", optional_json(k.retry_after_seconds)},
          {"retry_after_at", optional_json(k.retry_after_at)}};
}

Json disk_json(const DiskHealth& d) {
  return {{"path", d.path},
          {"total_bytes", d.total_bytes},
          {"used_bytes", d.used_bytes},
          {"available_bytes", d.available_bytes},
          {"percent", d.percent},
          {"status", to_string(d.status)},
          {"error", optional_json(d.error)}};
}

Json system_json(const SystemHealth& s) {
  Json disks = Json::array();
  for (const DiskHealth& d : s.disks) disks.push_back(disk_json(d));
  return {
      {"cpu_percent", s.cpu_percent},
      {"memory_percent", s.memory_percent},
      {"disk_percent", s.disk_percent},
      {"timestamp", s.timestamp},
      {"status", to_string(s.status)},
      {"cpu_status", to_string(s.cpu_status)},
      {"memory_status", to_string(s.memory_status)},
      {"disk_status", to_string(s.disk_status)},
      {"memory_total_bytes", s.memory_total_bytes},
      {"memory_available_bytes", s.memory_available_bytes},
      {"disks", disks},
      {"load_average",
       {{"1m", s.load_average.one}, {"5m", s.load_average.five}, {"15m", s.load_average.fifteen}}},
      {"cpu_count", s.cpu_count},
      {"cpu_window_ms", s.cpu_window_ms},
      {"thresholds",
       {{"cpu", thresholds_json(s.thresholds.cpu)},
        {"memory", thresholds_json(s.thresholds.memory)},
        {"disk", thresholds_json(s.thresholds.disk)}}},
      {"cpu_basis", to_string(s.cpu_basis)}};
}

}  // namespace

std::string_view to_string(CpuBasis basis) {
  return basis == CpuBasis::average ? "average" : "window";
}

namespace {

// ---- reading -------------------------------------------------------------------------------

/// A field whose number does not fit its type.
struct OutOfRange : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// `value` as T. Integers are range-checked: a report on disk is outside input, and
/// nlohmann's get<int>() of 1.5e300 is undefined behaviour (found by fuzz/report_json_fuzz.cpp)
/// and of 2^40 silently wraps. Integral floats (1000.0) are still accepted, truncated as before.
template <class T>
T value_as(const Json& value, const char* name) {
  if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
    using Limits = std::numeric_limits<T>;
    const double upper = std::ldexp(1.0, Limits::digits);  // 2^63 for int64_t: exact
    const double lower = Limits::is_signed ? -upper : 0.0;
    bool fits = true;
    if (value.is_number_unsigned()) {
      fits = value.get<std::uint64_t>() <= static_cast<std::uint64_t>(Limits::max());
    } else if (value.is_number_integer()) {
      const auto v = value.get<std::int64_t>();
      fits = v >= static_cast<std::int64_t>(Limits::min()) &&
             (v < 0 || static_cast<std::uint64_t>(v) <= static_cast<std::uint64_t>(Limits::max()));
    } else if (value.is_number_float()) {
      const auto v = value.get<double>();
      fits = std::isfinite(v) && v >= lower && v < upper;
    }
    if (!fits) throw OutOfRange(std::string(name) + " is out of range: " + value.dump());
  }
  return value.get<T>();
}

/// Reads field `name` of `object` into `out` when present and not null; fails on a wrong type
/// or a number out of range.
template <class T>
void read(const Json& object, const char* name, T& out) {
  if (object.contains(name) && !object[name].is_null()) out = value_as<T>(object[name], name);
}

template <class T>
void read(const Json& object, const char* name, std::optional<T>& out) {
  if (object.contains(name) && !object[name].is_null()) out = value_as<T>(object[name], name);
}

Status read_status(const Json& object, const char* name, Status fallback) {
  if (!object.contains(name) || !object[name].is_string()) return fallback;
  return parse_status(object[name].get<std::string>()).value_or(Status::unknown);
}

void read_thresholds(const Json& object, const char* name, Thresholds& out) {
  if (!object.contains(name) || !object[name].is_object()) return;
  read(object[name], "warning", out.warning);
  read(object[name], "critical", out.critical);
}

ApiKeyStatus key_from_json(const Json& j) {
  ApiKeyStatus k;
  read(j, "provider", k.provider);
  read(j, "key_present", k.key_present);
  read(j, "key_valid", k.key_valid);
  read(j, "error_message", k.error_message);
  read(j, "last_checked", k.last_checked);
  read(j, "id", k.id);
  read(j, "env_var", k.env_var);
  std::string state;
  read(j, "state", state);
  // Reports of the old tool have no state: derive it from its two booleans.
  k.state = parse_key_state(state).value_or(
      !k.key_present ? KeyState::missing
                     : (k.key_valid ? (*k.key_valid ? KeyState::valid : KeyState::invalid)
                                    : KeyState::unknown));
  read(j, "http_status", k.http_status);
  read(j, "latency_ms", k.latency_ms);
  read(j, "key_fingerprint", k.key_fingerprint);
  read(j, "key_first_seen", k.key_first_seen);
  read(j, "key_age_days", k.key_age_days);
  read(j, "key_rotated", k.key_rotated);
  read(j, "restriction", k.restriction);
  read(j, "models_available", k.models_available);
  read(j, "models_cut_short", k.models_cut_short);
  read(j, "missing_models", k.missing_models);
  read(j, "models_not_seen", k.models_not_seen);
  read(j, "credit_status", k.credit_status);
  read(j, "credit_remaining", k.credit_remaining);
  read(j, "credit_unit", k.credit_unit);
  read(j, "credit_scope", k.credit_scope);
  read(j, "credit_low", k.credit_low);
  read(j, "credit_min", k.credit_min);
  read(j, "ratelimit_limit", k.ratelimit_limit);
  read(j, "ratelimit_remaining", k.ratelimit_remaining);
  read(j, "ratelimit_reset_seconds", k.ratelimit_reset_seconds);
  read(j, "ratelimit_reset_at", k.ratelimit_reset_at);
  read(j, "ratelimit_unreadable", k.ratelimit_unreadable);
  read(j, "ratelimit_low", k.ratelimit_low);
  read(j, "retry_after_seconds", k.retry_after_seconds);
  read(j, "retry_after_at", k.retry_after_at);
  return k;
}

SystemHealth system_from_json(const Json& j) {
  SystemHealth s;
  read(j, "cpu_percent", s.cpu_percent);
  read(j, "memory_percent", s.memory_percent);
  read(j, "disk_percent", s.disk_percent);
  read(j, "timestamp", s.timestamp);
  s.status = read_status(j, "status", Status::unknown);
  s.cpu_status = read_status(j, "cpu_status", Status::unknown);
  s.memory_status = read_status(j, "memory_status", Status::unknown);
  s.disk_status = read_status(j, "disk_status", Status::unknown);
  read(j, "memory_total_bytes", s.memory_total_bytes);
  read(j, "memory_available_bytes", s.memory_available_bytes);
  if (j.contains("disks") && j["disks"].is_array()) {
    for (const Json& d : j["disks"]) {
      DiskHealth disk;
      read(d, "path", disk.path);
      read(d, "total_bytes", disk.total_bytes);
      read(d, "used_bytes", disk.used_bytes);
      read(d, "available_bytes", disk.available_bytes);
      read(d, "percent", disk.percent);
      read(d, "error", disk.error);
      disk.status = read_status(d, "status", Status::unknown);
      s.disks.push_back(std::move(disk));
    }
  }
  if (j.contains("load_average") && j["load_average"].is_object()) {
    read(j["load_average"], "1m", s.load_average.one);
    read(j["load_average"], "5m", s.load_average.five);
    read(j["load_average"], "15m", s.load_average.fifteen);
  }
  read(j, "cpu_count", s.cpu_count);
  read(j, "cpu_window_ms", s.cpu_window_ms);
  // Reports from before the daemons averaged CPU have none: they were all one window.
  if (j.contains("cpu_basis") && j["cpu_basis"] == "average") s.cpu_basis = CpuBasis::average;
  if (j.contains("thresholds") && j["thresholds"].is_object()) {
    read_thresholds(j["thresholds"], "cpu", s.thresholds.cpu);
    read_thresholds(j["thresholds"], "memory", s.thresholds.memory);
    read_thresholds(j["thresholds"], "disk", s.thresholds.disk);
  }
  return s;
}

Report report_from_json(const Json& j) {
  Report r;
  read(j, "timestamp", r.timestamp);
  if (j.contains("api_keys") && j["api_keys"].is_array()) {
    for (const Json& k : j["api_keys"]) r.api_keys.push_back(key_from_json(k));
  }
  if (j.contains("system_health") && j["system_health"].is_object()) {
    r.system_health = system_from_json(j["system_health"]);
  }
  read(j, "issues_found", r.issues_found);
  read(j, "recommendations", r.recommendations);
  // Reports of the old tool carry no overall status: system health is the best we have.
  r.status = read_status(j, "status", r.system_health.status);
  read(j, "provider_fallback_order", r.provider_fallback_order);
  read(j, "notices", r.notices);
  read(j, "host", r.host);
  read(j, "version", r.version);
  read(j, "duration_ms", r.duration_ms);
  if (j.contains("silences") && j["silences"].is_array()) {
    for (const Json& s : j["silences"]) {
      if (std::optional<Silence> silence = silence_from_json(s)) r.silences.push_back(*silence);
    }
  }
  return r;
}

}  // namespace

std::string to_json(const Report& r) {
  Json keys = Json::array();
  for (const ApiKeyStatus& k : r.api_keys) keys.push_back(key_json(k));
  Json silences = Json::array();
  for (const Silence& s : r.silences) silences.push_back(silence_json(s));
  const Json doc = {{"timestamp", r.timestamp},
                    {"api_keys", keys},
                    {"system_health", system_json(r.system_health)},
                    {"issues_found", r.issues_found},
                    {"recommendations", r.recommendations},
                    {"status", to_string(r.status)},
                    {"provider_fallback_order", r.provider_fallback_order},
                    {"notices", r.notices},
                    {"host", r.host},
                    {"version", r.version},
                    {"duration_ms", r.duration_ms},
                    {"silences", silences}};
  return dump(doc);
}

namespace {

/// Parses `json_text` as an object and maps it with `from_json`; every failure is an Error.
template <class T, class FromJson>
Result<T> parse_object(std::string_view json_text, const std::string& source, FromJson from_json) {
  try {
    const Json doc = Json::parse(json_text, nullptr, /*allow_exceptions=*/false);
    if (doc.is_discarded()) return Error{"cannot read report", "not valid JSON", source};
    if (!doc.is_object()) return Error{"cannot read report", "not a JSON object", source};
    return from_json(doc);
  } catch (const Json::exception& e) {  // a field of the wrong type
    return Error{"cannot read report", e.what(), source};
  } catch (const OutOfRange& e) {
    return Error{"cannot read report", e.what(), source};
  } catch (...) {
    Error error = unexpected_failure("cannot read report");
    error.where = source;
    return error;
  }
}

}  // namespace

Result<Report> parse_report(std::string_view json_text, const std::string& source) {
  return parse_object<Report>(json_text, source, report_from_json);
}

std::string to_json(const SystemHealth& health) {
  return dump(system_json(health));
}
std::string to_json(const ApiKeyStatus& key) {
  return dump(key_json(key));
}

Result<SystemHealth> parse_system_health(std::string_view json_text, const std::string& source) {
  return parse_object<SystemHealth>(json_text, source, system_from_json);
}

Result<ApiKeyStatus> parse_api_key_status(std::string_view json_text, const std::string& source) {
  return parse_object<ApiKeyStatus>(json_text, source, key_from_json);
}

}  // namespace devops_monitor
