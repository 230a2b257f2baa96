"""The old tool's value classes: APIKeyStatus, SystemHealth, MonitoringReport.

Plain classes (not dataclasses: importing dataclasses pulls in inspect, a third of the import
time budget) that take the old keyword arguments, keep the old attributes with their old types,
and carry what devops-monitor adds as further attributes. ``to_dict()`` gives the report file's
JSON form. No repr shows a key fingerprint (the report file does; a log line need not).
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing costs import time; the annotations are strings (PEP 563)
    from typing import Any, Dict, List, Optional

_OLD_KEY_FIELDS = ("provider", "key_present", "key_valid", "error_message", "last_checked")


def _rest(data: Dict[str, Any], known: tuple) -> Dict[str, Any]:
    return {k: v for k, v in data.items() if k not in known}


def _more_field(obj: Any, name: str) -> Any:
    # Only reached when normal lookup failed: a field a newer report carries.
    try:
        more = object.__getattribute__(obj, "_more")
    except AttributeError:
        more = {}
    if name in more:
        return more[name]
    raise AttributeError(f"{type(obj).__name__!r} object has no attribute {name!r}")


class _Value:
    """What the three value classes share: the old fields (``_OLD``), the fields devops-monitor
    adds (``_EXTRAS``, left out of ``to_dict()`` while None), and the fields a newer report
    carries that this version does not name (kept in ``_more``, readable as attributes)."""

    __slots__ = ()
    _OLD: tuple = ()
    _EXTRAS: tuple = ()

    def __getattr__(self, name: str) -> Any:
        return _more_field(self, name)

    @classmethod
    def _from_fields(cls, old: Dict[str, Any], data: Dict[str, Any]) -> Any:
        extras = {k: data[k] for k in cls._EXTRAS if k in data and data[k] is not None}
        value = cls(**old, **extras)
        value._more = _rest(data, cls._OLD + cls._EXTRAS)
        return value

    def _old_dict(self) -> Dict[str, Any]:
        return {name: getattr(self, name) for name in self._OLD}

    def to_dict(self) -> Dict[str, Any]:
        """The old fields, then those devops-monitor adds that are known."""
        out = self._old_dict()
        for name in self._EXTRAS:
            value = getattr(self, name)
            if value is not None:
                out[name] = value
        out.update(self._more)
        return out

    def __eq__(self, other: object) -> bool:
        return isinstance(other, type(self)) and self.to_dict() == other.to_dict()

    __hash__ = None  # mutable values, compared by content


_KEY_EXTRAS = (
    "id",
    "env_var",
    "state",
    "http_status",
    "latency_ms",
    "key_fingerprint",
    "key_first_seen",
    "key_age_days",
    "key_rotated",
)


class APIKeyStatus(_Value):
    """The verdict on one provider key.

    Old fields: ``provider`` (display name), ``key_present``, ``key_valid`` (True, False, or
    None when it could not be told), ``error_message``, ``last_checked`` (RFC 3339).
    Added: ``id``, ``env_var``, ``state`` (missing, valid, invalid, quota_exhausted,
    rate_limited, unknown, unsupported), ``http_status``, ``latency_ms``, ``key_fingerprint``
    (first 8 hex digits of the key's SHA-256), ``key_first_seen``, ``key_age_days``,
    ``key_rotated``.
    """

    __slots__ = _OLD_KEY_FIELDS + ("_more",) + _KEY_EXTRAS
    _OLD = _OLD_KEY_FIELDS
    _EXTRAS = _KEY_EXTRAS

    def __init__(
        self,
        provider: str,
        key_present: bool,
        key_valid: Optional[bool] = None,
        error_message: Optional[str] = None,
        last_checked: Optional[str] = None,
        *,
        id: Optional[str] = None,
        env_var: Optional[str] = None,
        state: Optional[str] = None,
        http_status: Optional[int] = None,
        latency_ms: Optional[int] = None,
        key_fingerprint: Optional[str] = None,
        key_first_seen: Optional[str] = None,
        key_age_days: Optional[int] = None,
        key_rotated: Optional[bool] = None,
    ) -> None:
        self.provider = provider
        self.key_present = key_present
        self.key_valid = key_valid
        self.error_message = error_message
        self.last_checked = last_checked
        self.id = id
        self.env_var = env_var
        self.state = state
        self.http_status = http_status
        self.latency_ms = latency_ms
        self.key_fingerprint = key_fingerprint
        self.key_first_seen = key_first_seen
        self.key_age_days = key_age_days
        self.key_rotated = key_rotated
        self._more: Dict[str, Any] = {}

    @classmethod
    def from_dict(cls, data: Dict[str, Any]) -> "APIKeyStatus":
        """From a report's ``api_keys`` entry (ours or the old tool's). Fields this class does
        not name (added by later versions of the report) are kept as attributes too."""
        return cls._from_fields({k: data.get(k) for k in _OLD_KEY_FIELDS}, data)

    def __repr__(self) -> str:
        return (
            f"APIKeyStatus(provider={self.provider!r}, key_present={self.key_present!r}, "
            f"key_valid={self.key_valid!r}, error_message={self.error_message!r}, "
            f"last_checked={self.last_checked!r}, state={self.state!r})"
        )


_OLD_HEALTH_FIELDS = ("cpu_percent", "memory_percent", "disk_percent", "timestamp", "status")
_HEALTH_EXTRAS = (
    "cpu_status",
    "memory_status",
    "disk_status",
    "memory_total_bytes",
    "memory_available_bytes",
    "disks",
    "load_average",
    "cpu_count",
    "cpu_window_ms",
    "thresholds",
)


class SystemHealth(_Value):
    """CPU, memory and disk use in percent and their status (healthy, warning, critical).

    Old fields: ``cpu_percent``, ``memory_percent``, ``disk_percent`` (the fullest disk),
    ``timestamp``, ``status``. Added: per-metric statuses, memory bytes, ``disks`` (a list of
    dicts), ``load_average``, ``cpu_count``, ``cpu_window_ms``, ``thresholds``.
    """

    __slots__ = _OLD_HEALTH_FIELDS + ("_more",) + _HEALTH_EXTRAS
    _OLD = _OLD_HEALTH_FIELDS
    _EXTRAS = _HEALTH_EXTRAS

    def __init__(
        self,
        cpu_percent: float,
        memory_percent: float,
        disk_percent: float,
        timestamp: str,
        status: str,
        *,
        cpu_status: Optional[str] = None,
        memory_status: Optional[str] = None,
        disk_status: Optional[str] = None,
        memory_total_bytes: Optional[int] = None,
        memory_available_bytes: Optional[int] = None,
        disks: Optional[List[Dict[str, Any]]] = None,
        load_average: Optional[Dict[str, float]] = None,
        cpu_count: Optional[int] = None,
        cpu_window_ms: Optional[int] = None,
        thresholds: Optional[Dict[str, Dict[str, float]]] = None,
    ) -> None:
        self.cpu_percent = cpu_percent
        self.memory_percent = memory_percent
        self.disk_percent = disk_percent
        self.timestamp = timestamp
        self.status = status
        self.cpu_status = cpu_status
        self.memory_status = memory_status
        self.disk_status = disk_status
        self.memory_total_bytes = memory_total_bytes
        self.memory_available_bytes = memory_available_bytes
        self.disks = disks
        self.load_average = load_average
        self.cpu_count = cpu_count
        self.cpu_window_ms = cpu_window_ms
        self.thresholds = thresholds
        self._more: Dict[str, Any] = {}

    @classmethod
    def from_dict(cls, data: Dict[str, Any]) -> "SystemHealth":
        return cls._from_fields({k: data.get(k) for k in _OLD_HEALTH_FIELDS}, data)

    def __repr__(self) -> str:
        return (
            f"SystemHealth(cpu_percent={self.cpu_percent!r}, memory_percent={self.memory_percent!r}, "
            f"disk_percent={self.disk_percent!r}, timestamp={self.timestamp!r}, status={self.status!r})"
        )


_OLD_REPORT_FIELDS = ("timestamp", "api_keys", "system_health", "issues_found", "recommendations")
_REPORT_EXTRAS = ("status", "provider_fallback_order", "notices", "host", "version", "duration_ms")


class MonitoringReport(_Value):
    """The result of one health check, as the old tool shaped it.

    Old fields: ``timestamp``, ``api_keys`` (a list of APIKeyStatus), ``system_health`` (a
    dict: ``cpu_percent``, ``memory_percent``, ``disk_percent``, ``timestamp``, ``status``, and
    what devops-monitor adds), ``issues_found``, ``recommendations``. Added: ``status`` (the
    overall status: the worse of the keys and the system), ``provider_fallback_order``
    (provider ids, best first), ``notices``, ``host``, ``version``, ``duration_ms``.
    """

    __slots__ = _OLD_REPORT_FIELDS + ("_more",) + _REPORT_EXTRAS
    _OLD = _OLD_REPORT_FIELDS
    _EXTRAS = _REPORT_EXTRAS

    def __init__(
        self,
        timestamp: str,
        api_keys: List[APIKeyStatus],
        system_health: Dict[str, Any],
        issues_found: List[str],
        recommendations: List[str],
        *,
        status: Optional[str] = None,
        provider_fallback_order: Optional[List[str]] = None,
        notices: Optional[List[str]] = None,
        host: Optional[str] = None,
        version: Optional[str] = None,
        duration_ms: Optional[int] = None,
    ) -> None:
        self.timestamp = timestamp
        self.api_keys = api_keys
        self.system_health = system_health
        self.issues_found = issues_found
        self.recommendations = recommendations
        self.status = status
        self.provider_fallback_order = provider_fallback_order
        self.notices = notices
        self.host = host
        self.version = version
        self.duration_ms = duration_ms
        self._more: Dict[str, Any] = {}

    @classmethod
    def from_dict(cls, data: Dict[str, Any]) -> "MonitoringReport":
        """From a report file's JSON (ours or the old tool's); fields this class does not name
        are kept as attributes too."""
        old = {
            "timestamp": data.get("timestamp", ""),
            "api_keys": [APIKeyStatus.from_dict(k) for k in data.get("api_keys", [])],
            "system_health": dict(data.get("system_health", {})),
            "issues_found": list(data.get("issues_found", [])),
            "recommendations": list(data.get("recommendations", [])),
        }
        return cls._from_fields(old, data)

    def _old_dict(self) -> Dict[str, Any]:
        health = self.system_health
        if isinstance(health, SystemHealth):
            health = health.to_dict()
        return {
            "timestamp": self.timestamp,
            "api_keys": [k.to_dict() if isinstance(k, APIKeyStatus) else dict(k) for k in self.api_keys],
            "system_health": dict(health),
            "issues_found": list(self.issues_found),
            "recommendations": list(self.recommendations),
        }

    def __repr__(self) -> str:
        status = self.system_health.get("status") if isinstance(self.system_health, dict) else None
        return (
            f"MonitoringReport(timestamp={self.timestamp!r}, status={self.status!r}, "
            f"system_status={status!r}, api_keys={len(self.api_keys)} keys, "
            f"issues_found={self.issues_found!r})"
        )
