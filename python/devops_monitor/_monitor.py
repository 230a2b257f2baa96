"""DevOpsMonitor: the old tool's class, every method a call into the C++ engine."""

from __future__ import annotations

import os

from ._errors import DevOpsMonitorError
from ._values import APIKeyStatus, MonitoringReport, SystemHealth

# json, pathlib and typing are imported where used: `import devops_monitor` stays well under
# 50 ms (bench/python_speed.sh). The annotations are strings (PEP 563).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any, Dict, List, Mapping, Sequence, Union


class _LazyEngine:
    """The extension, loaded at the first DevOpsMonitor: `import devops_monitor` stays cheap
    (the extension maps vectorscan and libcrypto, and opens libcurl and its ~30 shared
    libraries at the first check)."""

    def __getattr__(self, name: str) -> Any:
        from . import _devops_monitor

        return getattr(_devops_monitor, name)


_engine: Any = _LazyEngine()


def _json() -> Any:
    import json

    return json


def _Path() -> Any:  # noqa: N802
    from pathlib import Path

    return Path

# The provider record's fields a PROVIDERS entry may set, besides the old 'name',
# 'test_endpoint' and 'required' (kept, unused: the old tool did not use it either).
_PROVIDER_FIELDS = ("id", "name", "test_endpoint", "auth", "headers", "dialect", "priority", "enabled")


def _provider_entry(p: Any) -> Dict[str, Any]:
    return {
        "name": p.name,
        "test_endpoint": p.test_endpoint,
        "required": False,
        "id": p.id,
        "auth": p.auth,
        "headers": [tuple(h) for h in p.headers],
        "dialect": p.dialect,
        "priority": p.priority,
        "enabled": p.enabled,
    }


def _apply_entry(provider: Any, entry: Mapping[str, Any]) -> Any:
    for field in _PROVIDER_FIELDS:
        if field in entry and entry[field] is not None:
            value = entry[field]
            if field == "headers":
                value = [tuple(h) for h in (value.items() if hasattr(value, "items") else value)]
            setattr(provider, field, value)
    return provider


def _as_dict(value: Any) -> Dict[str, Any]:
    if isinstance(value, (APIKeyStatus, SystemHealth, MonitoringReport)):
        return value.to_dict()
    return dict(value)


class _BuiltinProviders:
    """``DevOpsMonitor.PROVIDERS`` on the class: the built-in table, as the old class attribute
    was; each instance has its own copy (with the config file's changes) to modify."""

    def __get__(self, obj: Any, cls: Any = None) -> Dict[str, Dict[str, Any]]:
        return {p.env_var: _provider_entry(p) for p in _engine.builtin_providers()}


class DevOpsMonitor:
    """Checks API keys and system health, as the old ``devops_monitor.DevOpsMonitor``.

    Settings are loaded as the ``devops-monitor`` command loads them: the config file
    (``$DEVOPS_MONITOR_CONFIG``, else the installed one; or ``config_file``), then ``./.env``
    (or ``env_file``); keys set in the process environment win over the ``.env`` file.

    ``PROVIDERS`` maps each key's environment variable to its provider (``name``,
    ``test_endpoint``, ``required``, and devops-monitor's ``id``, ``auth``, ``headers``,
    ``dialect``, ``priority``, ``enabled``); add, change or delete entries and the next check
    uses them. ``WARNING_THRESHOLD`` and ``CRITICAL_THRESHOLD`` set all three resources at
    once; ``thresholds`` (``{'cpu': {'warning': 80.0, 'critical': 90.0}, ...}``) each one.
    Thresholds follow the config file's rules and raise ValueError in its words: a level is a
    number from 0 to 100 (checked when set), each warning below its critical (checked by the
    next call that uses them). A path with a NUL byte raises ValueError too.
    """

    PROVIDERS = _BuiltinProviders()

    def __init__(
        self,
        report_dir: Union[str, "os.PathLike[str]", None] = None,
        *,
        config_file: Union[str, "os.PathLike[str]", None] = None,
        env_file: Union[str, "os.PathLike[str]", None] = None,
    ) -> None:
        settings, warnings = _engine.load_settings(
            os.fspath(config_file) if config_file is not None else None,
            os.fspath(env_file) if env_file is not None else None,
        )
        self._settings = settings
        #: Warnings from loading the settings (a skipped .env line, an ignored config file).
        self.warnings: List[str] = list(warnings)
        self.report_dir = _Path()(report_dir) if report_dir is not None else _Path()(settings.report_dir)
        self._base_providers = {p.env_var: p for p in settings.providers}
        self.PROVIDERS: Dict[str, Dict[str, Any]] = {p.env_var: _provider_entry(p) for p in settings.providers}
        t = settings.thresholds
        self.thresholds: Dict[str, Dict[str, float]] = {
            name: {"warning": float(t[name][0]), "critical": float(t[name][1])} for name in ("cpu", "memory", "disk")
        }
        #: Notes of the last perform_health_check(): warnings, report_file, pruned_reports, keep_error.
        self.last_check_notes: Dict[str, Any] = {}
        # What the engine would refuse is refused now (a NUL byte in report_dir raises
        # ValueError), not at the first check, after part of the path was made.
        self._effective_settings()

    # -- thresholds -----------------------------------------------------------------------

    @property
    def WARNING_THRESHOLD(self) -> float:  # noqa: N802 (the old name)
        """The warning threshold in percent (CPU's; setting it sets CPU, memory and disk)."""
        return self.thresholds["cpu"]["warning"]

    @WARNING_THRESHOLD.setter
    def WARNING_THRESHOLD(self, value: float) -> None:  # noqa: N802
        # The range now, in the config file's words (thresholds.warning = 120 is outside 0 to
        # 100); warning below critical at the next check, so either may be set first.
        _engine.check_threshold_level("warning", float(value))
        for levels in self.thresholds.values():
            levels["warning"] = float(value)

    @property
    def CRITICAL_THRESHOLD(self) -> float:  # noqa: N802
        """The critical threshold in percent (CPU's; setting it sets CPU, memory and disk)."""
        return self.thresholds["cpu"]["critical"]

    @CRITICAL_THRESHOLD.setter
    def CRITICAL_THRESHOLD(self, value: float) -> None:  # noqa: N802
        _engine.check_threshold_level("critical", float(value))
        for levels in self.thresholds.values():
            levels["critical"] = float(value)

    # -- settings for the engine ----------------------------------------------------------

    def _provider(self, env_var: str, entry: Mapping[str, Any], position: int) -> Any:
        base = self._base_providers.get(env_var)
        if base is not None:
            provider = base.copy()
        else:
            provider = _engine.Provider()
            provider.env_var = env_var
            provider.name = str(entry.get("name") or env_var)
            provider.id = _engine.provider_id_for_name(provider.name) or env_var.lower()
            # Custom providers come after the built-in ones, in the order they were added.
            provider.priority = 1000 + position
        return _apply_entry(provider, entry)

    def _effective_settings(self) -> Any:
        settings = self._settings.copy()
        settings.report_dir = os.fspath(self.report_dir)
        settings.providers = [
            self._provider(env_var, entry, i) for i, (env_var, entry) in enumerate(self.PROVIDERS.items())
        ]
        settings.thresholds = {
            name: (float(levels["warning"]), float(levels["critical"])) for name, levels in self.thresholds.items()
        }
        return settings

    # -- the old methods --------------------------------------------------------------------

    def perform_health_check(self) -> MonitoringReport:
        """A full check: every key and the system, concurrently; the report is saved in
        report_dir (a failure to save is one more issue, never an exception). Raises
        DevOpsMonitorError when the check cannot run (unreadable procfs, bad settings)."""
        report_json, notes = _engine.perform_health_check(self._effective_settings())
        self.last_check_notes = notes
        return MonitoringReport.from_dict(_json().loads(report_json))

    def check_api_key_status(self, env_var: str, provider_config: Mapping[str, Any]) -> APIKeyStatus:
        """Looks up ``env_var`` and checks it against ``provider_config`` (a PROVIDERS entry:
        at least ``name`` and ``test_endpoint``)."""
        provider = self._provider(env_var, provider_config, len(self.PROVIDERS))
        return APIKeyStatus.from_dict(
            _json().loads(_engine.check_api_key_status(self._effective_settings(), env_var, provider))
        )

    def check_system_health(self) -> SystemHealth:
        """CPU (over the CPU window), memory and disks against the thresholds."""
        return SystemHealth.from_dict(_json().loads(_engine.check_system_health(self._effective_settings())))

    def check_all_api_keys(self) -> List[APIKeyStatus]:
        """Every enabled provider's key, concurrently, in priority order."""
        keys, _warnings = _engine.check_api_keys(self._effective_settings())
        return [APIKeyStatus.from_dict(_json().loads(k)) for k in keys]

    def get_provider_fallback_order(self) -> List[str]:
        """Names of the providers to use, best first (those that can serve now, then those
        that could not be verified), as the old method returned them. Checks the keys."""
        keys, _warnings = _engine.check_api_keys(self._effective_settings())
        names = {_json().loads(k).get("id"): _json().loads(k).get("provider") for k in keys}
        return [names.get(i, i) for i in _engine.fallback_order(keys)]

    def generate_status_badge(self) -> str:
        """The old Markdown badge for report_dir's latest_report.json:
        ``![Status](https://img.shields.io/badge/status-healthy-brightgreen)``."""
        return _engine.status_badge(self._effective_settings(), "markdown").rstrip("\n")

    def save_report(self, report: Union[MonitoringReport, Mapping[str, Any]]) -> Path:
        """Saves a report in report_dir as monitoring_report_<UTC time>.json and
        latest_report.json; returns the file written."""
        path, _warnings = _engine.keep(self._effective_settings(), _json().dumps(_as_dict(report)))
        return _Path()(path)

    # -- the old underscore helpers ---------------------------------------------------------

    def _health_json(self, health: Any) -> str:
        data = _as_dict(health)
        # The old tool's health carries no per-metric status: judge each against the thresholds.
        for name in ("cpu", "memory", "disk"):
            if f"{name}_status" not in data and f"{name}_percent" in data:
                value = float(data[f"{name}_percent"] or 0.0)
                t = self.thresholds[name]
                data[f"{name}_status"] = (
                    "critical" if value > t["critical"] else "warning" if value >= t["warning"] else "healthy"
                )
        data.setdefault("status", "healthy")
        return _json().dumps(data)

    def _advise(self, api_statuses: Sequence[Any], health: Any) -> Any:
        keys = [_json().dumps(_as_dict(k)) for k in api_statuses]
        return _engine.advise(keys, self._health_json(health))

    def _identify_issues(self, api_statuses: Sequence[Any], health: Any) -> List[str]:
        """The report's issues for these key statuses (objects or dicts) and this health."""
        return list(self._advise(api_statuses, health)[0])

    def _generate_recommendations(self, issues: Sequence[str], api_statuses: Sequence[Any], health: Any) -> List[str]:
        """The report's recommendations (from the statuses and the health; ``issues`` is
        accepted for the old signature)."""
        return list(self._advise(api_statuses, health)[1])

    def _save_report(self, report: Union[MonitoringReport, Mapping[str, Any]]) -> Path:
        return self.save_report(report)

    def __repr__(self) -> str:
        return f"DevOpsMonitor(report_dir={os.fspath(self.report_dir)!r}, providers={len(self.PROVIDERS)})"
