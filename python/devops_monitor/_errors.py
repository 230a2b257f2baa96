"""DevOpsMonitorError, defined in Python so that `import devops_monitor` need not load the
extension (the extension raises this class)."""


class DevOpsMonitorError(Exception):
    """A check or a setting that could not be used. The message is the library's one line:
    what failed, why, and where (a file:line, a path); it never holds key material."""


class DevOpsMonitorValueError(DevOpsMonitorError, ValueError):
    """A value the library refuses, as Python's own functions refuse such values: a threshold
    that is not a number from 0 to 100 or a warning not below its critical (in the config
    file's words), a path with a NUL byte. A ValueError, and a DevOpsMonitorError as before."""
