"""devops_monitor: the old tool's Python API on devops-monitor's C++ engine.

    from devops_monitor import DevOpsMonitor
    monitor = DevOpsMonitor(report_dir=Path('./reports'))
    report = monitor.perform_health_check()
    if report.system_health['status'] == 'critical':
        send_alert()

Every check runs in the C++ library (the GIL is released meanwhile); errors are
DevOpsMonitorError with the library's one-line message. Keys never reach Python.
"""

from ._errors import DevOpsMonitorError
from ._monitor import DevOpsMonitor
from ._values import APIKeyStatus, MonitoringReport, SystemHealth


def __getattr__(name: str) -> str:
    # The version is the extension's (the C++ project's); read it only when asked.
    if name == "__version__":
        from ._devops_monitor import __version__

        return __version__
    raise AttributeError(f"module 'devops_monitor' has no attribute {name!r}")


__all__ = [
    "APIKeyStatus",
    "DevOpsMonitor",
    "DevOpsMonitorError",
    "MonitoringReport",
    "SystemHealth",
    "__version__",
]
