"""DevOpsMonitorError, defined in Python so that `import devops_monitor` need not load the
extension (the extension raises this class)."""


class DevOpsMonitorError(Exception):
    """A check or a setting that could not be used. The message is the library's one line:
    what failed, why, and where (a file:line, a path); it never holds key material."""
