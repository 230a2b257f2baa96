"""The package as cmake --install lays it out: importable from there in a fresh interpreter."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


def test_installed_package_imports_in_a_fresh_interpreter(tmp_path: Path) -> None:
    build_dir = os.environ.get("DEVOPS_MONITOR_BUILD_DIR")
    site = os.environ.get("DEVOPS_MONITOR_PYTHON_INSTALL_DIR")
    if not build_dir or not site:
        pytest.skip("run through ctest (DEVOPS_MONITOR_BUILD_DIR, DEVOPS_MONITOR_PYTHON_INSTALL_DIR)")
    # DESTDIR keeps the real site directory untouched; the layout under it is the real one.
    env = dict(os.environ, DESTDIR=str(tmp_path / "root"))
    subprocess.run(
        ["cmake", "--install", build_dir, "--component", "python"], check=True, env=env,
        stdout=subprocess.DEVNULL, timeout=60,
    )
    installed = tmp_path / "root" / site.lstrip("/")
    names = sorted(p.name for p in (installed / "devops_monitor").iterdir())
    assert "py.typed" in names and "_devops_monitor.pyi" in names and "__main__.py" in names
    assert any(n.startswith("_devops_monitor.") and n.endswith(".so") for n in names)
    # A fresh interpreter that sees only the installed copy (not the build tree).
    clean = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    clean["PYTHONPATH"] = str(installed)
    probe = subprocess.run(
        [sys.executable, "-c",
         "import devops_monitor, sys; from devops_monitor import DevOpsMonitor, APIKeyStatus, SystemHealth, "
         "MonitoringReport, DevOpsMonitorError; print(devops_monitor.__file__); print(devops_monitor.__version__)"],
        capture_output=True, text=True, env=clean, cwd=tmp_path, timeout=30,
    )
    assert probe.returncode == 0, probe.stderr
    assert probe.stdout.splitlines()[0].startswith(str(installed))
