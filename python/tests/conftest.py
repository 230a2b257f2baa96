"""Fixtures for the Python package's tests: the fake providers (build/tests/fake-providers,
real HTTP on 127.0.0.1), a procfs whose CPU counters move with an exact busy share, canary keys
built at run time, and a working directory of their own.

ctest sets DEVOPS_MONITOR_FAKE_PROVIDERS, DEVOPS_MONITOR_BINARY, DEVOPS_MONITOR_BUILD_DIR and
PYTHONPATH (the build's package); see python/python.cmake.
"""

from __future__ import annotations

import http.server
import os
import secrets
import subprocess
import threading
import time
from pathlib import Path
from typing import Callable, Dict, Iterator, List, Tuple

import pytest

# Tests change directory and start subprocesses: keep the package findable from anywhere.
if os.environ.get("PYTHONPATH"):
    os.environ["PYTHONPATH"] = os.pathsep.join(os.path.abspath(p) for p in os.environ["PYTHONPATH"].split(os.pathsep))

ENV_VARS = [
    "TOGETHER_API_KEY",
    "OPENAI_API_KEY",
    "ANTHROPIC_API_KEY",
    "OPENROUTER_API_KEY",
    "GOOGLE_API_KEY",
    "MOONSHOT_API_KEY",
]


def canary_key(tag: str) -> str:
    """A key-shaped secret made at run time (never a key-shaped literal in the repository)."""
    return "-".join(["sk", "canary" + tag]) + secrets.token_hex(16)


class FakeProcfs:
    """stat, meminfo and loadavg under a directory. stat's counters advance one step every 5 ms
    with the same busy share each step, so any two readings give exactly `cpu_percent`. The
    writer is a Python thread: it runs only while a check has released the GIL."""

    TICKS = 10000

    def __init__(self, root: Path, cpu_percent: float = 12.5, memory_percent: float = 40.0) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        total_kb = 16 * 1024 * 1024
        available_kb = round(total_kb * (100.0 - memory_percent) / 100.0)
        (root / "meminfo").write_text(
            f"MemTotal:       {total_kb} kB\nMemFree:        {available_kb // 2} kB\n"
            f"MemAvailable:   {available_kb} kB\nBuffers:           1024 kB\n"
            "Cached:          204800 kB\nSwapTotal:             0 kB\n"
        )
        (root / "loadavg").write_text("0.52 0.40 0.33 2/345 6789\n")
        self.set_cpu(cpu_percent)
        self._step = 0
        self._stop = threading.Event()
        self._write()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def set_cpu(self, cpu_percent: float) -> None:
        self._busy = round(self.TICKS * cpu_percent / 100.0)

    def _write(self) -> None:
        busy = 100000 + self._step * self._busy
        idle = 500000 + self._step * (self.TICKS - self._busy)
        user = busy // 2
        system = busy - user
        text = f"cpu  {user} 0 {system} {idle} 0 0 0 0 0 0\n"
        for i in range(2):
            text += f"cpu{i} {user // 2} 0 {system // 2} {idle // 2} 0 0 0 0 0 0\n"
        text += "intr 0\nctxt 12345\nbtime 1700000000\nprocesses 100\nprocs_running 1\nprocs_blocked 0\n"
        tmp = self.root / "stat.next"
        tmp.write_text(text)
        os.replace(tmp, self.root / "stat")

    def _run(self) -> None:
        deadline = time.monotonic() + 120  # stops by itself even if a test never does
        while not self._stop.wait(0.005) and time.monotonic() < deadline:
            self._step += 1
            self._write()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)


class FakeProviders:
    """build/tests/fake-providers: every built-in provider's endpoint on 127.0.0.1, answering
    "valid" after a latency; it exits by itself after its lifetime."""

    def __init__(self, latency_ms: int = 30, lifetime_s: int = 60) -> None:
        binary = os.environ.get("DEVOPS_MONITOR_FAKE_PROVIDERS")
        if not binary or not os.access(binary, os.X_OK):
            pytest.skip("DEVOPS_MONITOR_FAKE_PROVIDERS is not set (run through ctest)")
        self.process = subprocess.Popen([binary, str(latency_ms), str(lifetime_s)], stdout=subprocess.PIPE)
        assert self.process.stdout is not None
        # The fake closes stdout once the config is complete.
        self.config = self.process.stdout.read().decode()
        assert "moonshot" in self.config, "fake-providers printed no config"

    def stop(self) -> None:
        self.process.kill()
        self.process.wait(timeout=5)


class ScriptedProvider:
    """A provider of our own on 127.0.0.1: answers every GET with (status, body) and records
    the Authorization header it received. Serves from a daemon thread; stop() ends it."""

    def __init__(self, status: int = 200, body: Callable[[str], str] = lambda auth: '{"data": []}') -> None:
        self.received: List[str] = []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                auth = self.headers.get("Authorization", "")
                outer.received.append(auth)
                payload = body(auth).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.timeout = 1
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1/models"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Dict[str, object]]:
    """A working directory with a config pointing every built-in provider at the fakes and the
    procfs at a fixture, six canary keys in the environment, and a proxy that refuses anything
    not on loopback (so the documented snippet's real hosts are never contacted)."""
    fakes = FakeProviders()
    procfs = FakeProcfs(tmp_path / "proc")
    home = tmp_path / "home"
    home.mkdir()
    work = tmp_path / "work"
    work.mkdir()
    config = home / "config.toml"
    config.write_text(
        f'procfs = "{procfs.root}"\ncpu_window = "200ms"\ntimeout = "2s"\ndisks = ["/"]\n\n' + fakes.config
    )
    config.chmod(0o600)
    keys = {var: canary_key(var.split("_")[0].lower()) for var in ENV_VARS}
    for var, key in keys.items():
        monkeypatch.setenv(var, key)
    monkeypatch.setenv("DEVOPS_MONITOR_CONFIG", str(config))
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    # Port 9 (discard) on loopback refuses: a request to a real host fails at once.
    for proxy in ("https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.setenv(proxy, "http://127.0.0.1:9")
    monkeypatch.delenv("no_proxy", raising=False)
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.chdir(work)
    try:
        yield {"fakes": fakes, "procfs": procfs, "config": config, "keys": keys, "work": work}
    finally:
        procfs.stop()
        fakes.stop()


@pytest.fixture
def scripted() -> Iterator[Callable[..., ScriptedProvider]]:
    servers: List[ScriptedProvider] = []

    def start(status: int = 200, body: Callable[[str], str] = lambda auth: '{"data": []}') -> ScriptedProvider:
        server = ScriptedProvider(status, body)
        servers.append(server)
        return server

    try:
        yield start
    finally:
        for server in servers:
            server.stop()


def all_text(*parts: object) -> str:
    return "\n".join(repr(p) + "\n" + str(p) for p in parts)


__all__: Tuple[str, ...] = ("canary_key", "all_text")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Where every test must run (`make test` sets DEVOPS_MONITOR_NO_SKIPS=1), a skipped test
    is a failure: a test that cannot run here must not pass silently."""
    outcome = yield
    report = outcome.get_result()
    if report.skipped and os.environ.get("DEVOPS_MONITOR_NO_SKIPS"):
        report.outcome = "failed"
        report.longrepr = f"skipped, and every test must run (DEVOPS_MONITOR_NO_SKIPS): {report.longrepr}"
