// _devops_monitor: the Python extension, a thin pybind11 layer over the public C++ API
// (include/devops_monitor/*.hpp only, never src/). The pure-Python package devops_monitor gives
// it the old tool's shapes.
//
// Reports and their parts cross the boundary as their JSON form (report_json.hpp): the stable
// contract the report files already are, so Python sees exactly what a report file holds and
// the binding needs no second mapping of every field.
//
// The GIL is released around everything that waits (checks, saving, reading the report
// directory): a check does not freeze the caller's other threads. No Python object is touched
// while it is released: arguments are converted before, results after.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "devops_monitor/config.hpp"
#include "devops_monitor/error.hpp"
#include "devops_monitor/monitor.hpp"
#include "devops_monitor/provider.hpp"
#include "devops_monitor/render.hpp"
#include "devops_monitor/report_json.hpp"
#include "devops_monitor/report_store.hpp"
#include "devops_monitor/rules.hpp"
#include "devops_monitor/settings.hpp"
#include "devops_monitor/status.hpp"
#include "devops_monitor/text.hpp"
#include "devops_monitor/version.hpp"

namespace py = pybind11;
using namespace devops_monitor;

namespace {

/// Carries an Error's one line to Python as DevOpsMonitorError. Error messages never hold key
/// material (error.hpp), so the exception text cannot either.
class PyDevOpsMonitorError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A value Python's own functions would refuse with ValueError (a threshold out of range, a
/// path with a NUL byte): raised as DevOpsMonitorValueError, which is both a ValueError and a
/// DevOpsMonitorError.
class PyInvalidValue : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

void raise_invalid(const Result<void>& checked) {
  if (!checked) throw PyInvalidValue(printable(checked.error().message()));
}

/// A path for the library: a NUL byte would end it early in every system call, so that
/// "reports\0x" made "reports" (and the config file "a\0b" read "a").
std::string path_arg(const char* name, const std::string& path) {
  if (path.find('\0') != std::string::npos) {
    throw PyInvalidValue(std::string("invalid ") + name + ": a path cannot contain a NUL byte");
  }
  return path;
}

template <class T>
T value_or_raise(Result<T> result) {
  if (!result) throw PyDevOpsMonitorError(printable(result.error().message()));
  return std::move(*result);
}

std::vector<std::string> messages(const std::vector<Error>& errors) {
  std::vector<std::string> out;
  out.reserve(errors.size());
  for (const Error& e : errors) out.push_back(printable(e.message()));
  return out;
}

std::string auth_text(const Provider& p) {
  switch (p.auth) {
    case AuthKind::header:
      return "header:" + p.auth_header;
    case AuthKind::none:
      return "none";
    case AuthKind::bearer:
      break;
  }
  return "bearer";
}

void set_auth(Provider& p, const std::string& text) {
  if (text == "bearer") {
    p.auth = AuthKind::bearer;
    p.auth_header.clear();
  } else if (text == "none") {
    p.auth = AuthKind::none;
    p.auth_header.clear();
  } else if (text.rfind("header:", 0) == 0 && text.size() > 7) {
    p.auth = AuthKind::header;
    p.auth_header = text.substr(7);
  } else {
    throw PyDevOpsMonitorError("invalid auth: expected \"bearer\", \"header:<Name>\" or \"none\"");
  }
}

std::string dialect_text(Dialect d) {
  switch (d) {
    case Dialect::anthropic:
      return "anthropic";
    case Dialect::google:
      return "google";
    case Dialect::openrouter:
      return "openrouter";
    case Dialect::generic:
      break;
  }
  return "generic";
}

void set_dialect(Provider& p, const std::string& text) {
  if (text == "generic") {
    p.dialect = Dialect::generic;
  } else if (text == "anthropic") {
    p.dialect = Dialect::anthropic;
  } else if (text == "google") {
    p.dialect = Dialect::google;
  } else if (text == "openrouter") {
    p.dialect = Dialect::openrouter;
  } else {
    throw PyDevOpsMonitorError(
        "invalid dialect: expected generic, anthropic, google or openrouter");
  }
}

using ThresholdMap = std::map<std::string, std::pair<double, double>>;

ThresholdMap thresholds_of(const Settings& s) {
  return {{"cpu", {s.thresholds.cpu.warning, s.thresholds.cpu.critical}},
          {"memory", {s.thresholds.memory.warning, s.thresholds.memory.critical}},
          {"disk", {s.thresholds.disk.warning, s.thresholds.disk.critical}}};
}

/// The levels checked with the config file's rules and words (config.hpp), never written twice.
void set_thresholds(Settings& s, const ThresholdMap& map) {
  ThresholdSet set = s.thresholds;
  for (const auto& [name, levels] : map) {
    const Thresholds t{levels.first, levels.second};
    if (name == "cpu") {
      set.cpu = t;
    } else if (name == "memory") {
      set.memory = t;
    } else if (name == "disk") {
      set.disk = t;
    } else {
      throw PyInvalidValue("invalid thresholds: unknown resource (" + printable(name) + ")");
    }
  }
  raise_invalid(check_thresholds(set));
  s.thresholds = set;
}

Status status_arg(const std::string& text) {
  std::optional<Status> s = parse_status(text);
  if (!s) throw PyDevOpsMonitorError("invalid status: " + printable(text));
  return *s;
}

BadgeFormat badge_arg(const std::string& text) {
  std::optional<BadgeFormat> f = parse_badge_format(text);
  if (!f) throw PyDevOpsMonitorError("invalid badge format: " + printable(text));
  return *f;
}

/// What perform_health_check returns to Python: the report JSON and the notes.
py::tuple check_result(const std::string& report_json, const CheckNotes& notes) {
  py::dict n;
  n["warnings"] = messages(notes.warnings);
  n["report_file"] =
      notes.report_file ? py::object(py::str(notes.report_file->string())) : py::object(py::none());
  std::vector<std::string> pruned;
  for (const auto& p : notes.pruned_reports) pruned.push_back(p.string());
  n["pruned_reports"] = pruned;
  n["keep_error"] = notes.keep_error ? py::object(py::str(printable(notes.keep_error->message())))
                                     : py::object(py::none());
  return py::make_tuple(report_json, n);
}

}  // namespace

PYBIND11_MODULE(_devops_monitor, m) {
  m.doc() = "devops-monitor's C++ engine. Use the devops_monitor package, not this module.";
  m.attr("__version__") = kVersion;

  // The exception class lives in Python (devops_monitor/_errors.py) so that importing the
  // package does not load this extension; the reference is kept for the life of the process.
  static PyObject* const error_type = [] {
    py::object cls = py::module_::import("devops_monitor._errors").attr("DevOpsMonitorError");
    return cls.release().ptr();
  }();
  m.attr("DevOpsMonitorError") = py::handle(error_type);
  static PyObject* const value_error_type = [] {
    py::object cls = py::module_::import("devops_monitor._errors").attr("DevOpsMonitorValueError");
    return cls.release().ptr();
  }();
  m.attr("DevOpsMonitorValueError") = py::handle(value_error_type);
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const PyDevOpsMonitorError& e) {
      PyErr_SetString(error_type, e.what());
    } catch (const PyInvalidValue& e) {
      PyErr_SetString(value_error_type, e.what());
    }
  });

  py::class_<Provider>(m, "Provider", "One provider record (devops_monitor/provider.hpp).")
      .def(py::init<>())
      .def("copy", [](const Provider& p) { return Provider(p); })
      .def_readwrite("id", &Provider::id)
      .def_readwrite("name", &Provider::name)
      .def_readwrite("env_var", &Provider::env_var)
      .def_readwrite("test_endpoint", &Provider::test_endpoint)
      .def_property("auth", &auth_text, &set_auth)
      .def_readwrite("headers", &Provider::headers)
      .def_property(
          "dialect", [](const Provider& p) { return dialect_text(p.dialect); }, &set_dialect)
      .def_readwrite("priority", &Provider::priority)
      .def_readwrite("enabled", &Provider::enabled)
      // Never the endpoint: a custom endpoint may carry a token in its query.
      .def("__repr__", [](const Provider& p) {
        return "<Provider " + printable(p.id) + " (" + printable(p.env_var) + ")>";
      });

  py::class_<Settings>(m, "Settings", "Everything a check needs (devops_monitor/settings.hpp).")
      .def(py::init<>())
      .def("copy", [](const Settings& s) { return Settings(s); })
      .def_property(
          "report_dir", [](const Settings& s) { return s.report_dir.string(); },
          [](Settings& s, const std::string& v) { s.report_dir = path_arg("report_dir", v); })
      .def_readwrite("save_report", &Settings::save_report)
      .def_property(
          "procfs", [](const Settings& s) { return s.procfs.string(); },
          [](Settings& s, const std::string& v) { s.procfs = path_arg("procfs", v); })
      .def_property(
          "disks",
          [](const Settings& s) {
            std::vector<std::string> out;
            for (const auto& d : s.disks) out.push_back(d.string());
            return out;
          },
          [](Settings& s, const std::vector<std::string>& v) {
            s.disks.clear();
            for (const std::string& disk : v) s.disks.emplace_back(path_arg("disks", disk));
          })
      .def_property(
          "cpu_window_ms", [](const Settings& s) { return s.cpu_window.count(); },
          [](Settings& s, long long v) {
            if (v < kMinCpuWindow.count() || v > kMaxCpuWindow.count()) {
              throw PyDevOpsMonitorError("invalid cpu_window_ms: 100 to 600000");
            }
            s.cpu_window = Milliseconds(v);
          })
      .def_property(
          "timeout_ms", [](const Settings& s) { return s.timeout.count(); },
          [](Settings& s, long long v) {
            if (v < kMinTimeout.count() || v > kMaxTimeout.count()) {
              throw PyDevOpsMonitorError("invalid timeout_ms: 100 to 300000");
            }
            s.timeout = Milliseconds(v);
          })
      .def_readwrite("retention_days", &Settings::retention_days)
      .def_property("thresholds", &thresholds_of, &set_thresholds)
      .def_readwrite("providers", &Settings::providers)
      .def("__repr__", [](const Settings& s) {
        return "<Settings report_dir=" + printable(s.report_dir.string()) + ">";
      });

  m.def("builtin_providers", &builtin_providers, "The six built-in providers, by priority.");
  m.def("provider_id_for_name", [](const std::string& name) { return provider_id_for_name(name); });

  m.def(
      "load_settings",
      [](std::optional<std::string> config_file, std::optional<std::string> env_file) {
        SettingsSources sources;
        if (config_file) sources.config_file = path_arg("config_file", *config_file);
        if (env_file) sources.env_file = path_arg("env_file", *env_file);
        SettingsNotes notes;
        Result<Settings> settings = [&] {
          py::gil_scoped_release release;
          return load_settings(sources, &notes);
        }();
        return py::make_tuple(value_or_raise(std::move(settings)), messages(notes.warnings));
      },
      py::arg("config_file") = py::none(), py::arg("env_file") = py::none(),
      "Settings as the command line loads them: the config file, then ./.env. Returns "
      "(settings, warnings).");

  m.def(
      "perform_health_check",
      [](const Settings& settings) {
        CheckNotes notes;
        std::string json;
        {
          py::gil_scoped_release release;
          const Monitor monitor(settings);
          Result<Report> report = monitor.perform_health_check(&notes);
          if (!report) throw PyDevOpsMonitorError(printable(report.error().message()));
          json = to_json(*report);
        }
        return check_result(json, notes);
      },
      "A full check, saved unless settings.save_report is False: (report JSON, notes).");

  m.def(
      "check_system_health",
      [](const Settings& settings) {
        py::gil_scoped_release release;
        return to_json(value_or_raise(Monitor(settings).check_system_health()));
      },
      "CPU, memory and disks against the thresholds, as JSON.");

  m.def(
      "check_api_key_status",
      [](const Settings& settings, const std::string& env_var, const Provider& provider) {
        py::gil_scoped_release release;
        return to_json(value_or_raise(Monitor(settings).check_api_key_status(env_var, provider)));
      },
      "One key, looked up as env_var and checked as provider says, as JSON.");

  m.def(
      "check_api_keys",
      [](const Settings& settings) {
        std::vector<std::string> out;
        CheckNotes notes;
        {
          py::gil_scoped_release release;
          for (const ApiKeyStatus& k : value_or_raise(Monitor(settings).check_api_keys(&notes))) {
            out.push_back(to_json(k));
          }
        }
        return py::make_tuple(out, messages(notes.warnings));
      },
      "Every enabled provider's key, concurrently: (list of JSON, warnings).");

  m.def(
      "keep",
      [](const Settings& settings, const std::string& report_json) {
        Report report = value_or_raise(parse_report(report_json, "report"));
        CheckNotes notes;
        std::string path;
        {
          py::gil_scoped_release release;
          path = value_or_raise(ReportStore(settings).keep(report, &notes)).string();
        }
        return py::make_tuple(path, messages(notes.warnings));
      },
      "Saves a report in settings.report_dir: (file written, warnings).");

  m.def(
      "status_badge",
      [](const Settings& settings, const std::string& format) {
        const BadgeFormat f = badge_arg(format);
        py::gil_scoped_release release;
        // The old tool's badge was "unknown" when there was nothing to read, a missing report
        // directory included; the command refuses that case, the Python API keeps its word.
        Result<std::string> badge = ReportStore(settings).badge(f);
        return badge ? std::move(*badge) : render_badge(Status::unknown, f);
      },
      "The badge of the report directory's latest_report.json.");

  m.def(
      "render_badge",
      [](const std::string& status, const std::string& format) {
        return render_badge(status_arg(status), badge_arg(format));
      },
      "A badge for a status.");

  m.def(
      "render",
      [](const std::string& report_json, const std::string& format,
         std::optional<std::string> report_path, std::optional<std::string> save_error,
         std::size_t pruned_reports, bool color) {
        Report report = value_or_raise(parse_report(report_json, "report"));
        std::optional<OutputFormat> f = parse_output_format(format);
        if (!f) throw PyDevOpsMonitorError("invalid output format: " + printable(format));
        RenderOptions options;
        options.human.color = color;
        options.human.report_path = std::move(report_path);
        options.human.save_error = std::move(save_error);
        options.human.pruned_reports = pruned_reports;
        return render(report, *f, options);
      },
      py::arg("report_json"), py::arg("format"), py::arg("report_path") = py::none(),
      py::arg("save_error") = py::none(), py::arg("pruned_reports") = 0, py::arg("color") = false,
      "The report in a format: human, json, nagios or prometheus (as the command prints it).");

  m.def(
      "advise",
      [](const std::vector<std::string>& keys_json, const std::string& health_json) {
        std::vector<ApiKeyStatus> keys;
        for (const std::string& k : keys_json) {
          keys.push_back(value_or_raise(parse_api_key_status(k, "api_statuses")));
        }
        SystemHealth health = value_or_raise(parse_system_health(health_json, "health"));
        Advice advice = advise(keys, health);
        return py::make_tuple(advice.issues, advice.recommendations);
      },
      "(issues, recommendations) for key statuses and a system health, as JSON.");

  m.def(
      "normalize_report",
      [](const std::string& report_json) {
        return to_json(value_or_raise(parse_report(report_json, "report")));
      },
      "A report's JSON as the library reads and writes it.");

  m.def("exit_code", [](const std::string& status) { return exit_code(status_arg(status)); });
  m.def("api_keys_status", [](const std::vector<std::string>& keys_json) {
    std::vector<ApiKeyStatus> keys;
    for (const std::string& k : keys_json) {
      keys.push_back(value_or_raise(parse_api_key_status(k, "api_statuses")));
    }
    return std::string(to_string(api_keys_status(keys)));
  });
  m.def(
      "fallback_order",
      [](const std::vector<std::string>& keys_json) {
        std::vector<ApiKeyStatus> keys;
        for (const std::string& k : keys_json) {
          keys.push_back(value_or_raise(parse_api_key_status(k, "api_statuses")));
        }
        return fallback_order(keys);
      },
      "Provider ids to use, best first, from key statuses as JSON.");
  m.def("printable", [](const std::string& text) { return printable(text); });
  m.def(
      "check_threshold_level",
      [](const std::string& key, double value) {
        raise_invalid(check_threshold_level(key, value));
      },
      "Raises DevOpsMonitorValueError, in the config file's words, when `value` cannot be the "
      "[thresholds] level `key` (\"warning\", \"cpu_critical\", ...).");
}
