"""The old tool's Python API on the C++ engine: names, shapes, behaviour, secrets."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import all_text, canary_key

from devops_monitor import APIKeyStatus, DevOpsMonitor, DevOpsMonitorError, MonitoringReport, SystemHealth

sent_alerts = []


def send_alert() -> None:
    sent_alerts.append(True)


def test_documented_snippet_verbatim(world) -> None:
    # The issue's snippet, line for line (send_alert is defined above).
    from devops_monitor import DevOpsMonitor, APIKeyStatus, SystemHealth, MonitoringReport
    monitor = DevOpsMonitor(report_dir=Path('./reports'))
    report = monitor.perform_health_check()
    if report.system_health['status'] == 'critical':
        send_alert()
    providers = monitor.get_provider_fallback_order()
    monitor.PROVIDERS['CUSTOM_API_KEY'] = {'name': 'Custom Provider', 'test_endpoint': 'https://api.custom.com/v1/test', 'required': False}
    status = monitor.check_api_key_status('OPENAI_API_KEY', {'name': 'OpenAI', 'test_endpoint': 'https://api.openai.com/v1/models'})
    badge_markdown = monitor.generate_status_badge()

    assert isinstance(report, MonitoringReport)
    assert report.system_health["status"] == "healthy" and not sent_alerts
    assert [k.state for k in report.api_keys] == ["valid"] * 6
    assert report.status == "healthy"
    assert providers == [
        "Together AI (Kimi K2)",
        "OpenAI (GPT-4)",
        "Anthropic (Claude)",
        "OpenRouter",
        "Google Gemini",
        "Moonshot AI",
    ]
    assert "Custom Provider" in [e["name"] for e in monitor.PROVIDERS.values()]
    # api.openai.com is not reachable from the test (the proxy refuses): unknown, never invalid.
    assert isinstance(status, APIKeyStatus)
    assert status.provider == "OpenAI" and status.key_present is True
    assert status.key_valid is None and status.state == "unknown"
    assert badge_markdown == "![Status](https://img.shields.io/badge/status-healthy-brightgreen)"
    saved = sorted(p.name for p in (world["work"] / "reports").iterdir())
    assert "latest_report.json" in saved and any(n.startswith("monitoring_report_") for n in saved)


def test_old_names_and_types(world) -> None:
    monitor = DevOpsMonitor(report_dir="reports")
    assert isinstance(monitor.report_dir, Path)
    for name in (
        "perform_health_check",
        "check_api_key_status",
        "check_system_health",
        "get_provider_fallback_order",
        "generate_status_badge",
        "save_report",
        "_identify_issues",
        "_generate_recommendations",
        "_save_report",
    ):
        assert callable(getattr(monitor, name)), name
    assert isinstance(monitor.PROVIDERS, dict)
    assert list(DevOpsMonitor.PROVIDERS) == list(monitor.PROVIDERS)  # the old class attribute
    assert list(monitor.PROVIDERS)[:6] == [
        "TOGETHER_API_KEY",
        "OPENAI_API_KEY",
        "ANTHROPIC_API_KEY",
        "OPENROUTER_API_KEY",
        "GOOGLE_API_KEY",
        "MOONSHOT_API_KEY",
    ]
    for entry in monitor.PROVIDERS.values():
        assert isinstance(entry["name"], str) and isinstance(entry["test_endpoint"], str)
        assert isinstance(entry["required"], bool)

    report = monitor.perform_health_check()
    assert isinstance(report.timestamp, str)
    assert isinstance(report.api_keys, list) and len(report.api_keys) == 6
    assert isinstance(report.system_health, dict)
    for field, kind in (("cpu_percent", float), ("memory_percent", float), ("disk_percent", float)):
        assert isinstance(report.system_health[field], kind), field
    assert isinstance(report.system_health["timestamp"], str)
    assert report.system_health["status"] in ("healthy", "warning", "critical")
    assert report.system_health["cpu_percent"] == 12.5
    assert report.system_health["memory_percent"] == 40.0
    assert isinstance(report.issues_found, list) and isinstance(report.recommendations, list)
    assert report.recommendations == ["System is healthy - continue monitoring"]
    for key in report.api_keys:
        assert isinstance(key, APIKeyStatus)
        assert isinstance(key.provider, str) and isinstance(key.key_present, bool)
        assert key.key_valid is True and key.error_message == "API key is valid"
        assert isinstance(key.last_checked, str)
        # The new information, beside the old.
        assert key.state == "valid" and isinstance(key.latency_ms, int) and len(key.key_fingerprint) == 8
    d = report.to_dict()
    assert list(d)[:5] == ["timestamp", "api_keys", "system_health", "issues_found", "recommendations"]
    assert list(d["api_keys"][0])[:5] == ["provider", "key_present", "key_valid", "error_message", "last_checked"]
    json.dumps(d)
    assert report.provider_fallback_order[0] == "together"

    health = monitor.check_system_health()
    assert isinstance(health, SystemHealth)
    assert health.cpu_percent == 12.5 and health.status == "healthy"
    assert list(health.to_dict())[:5] == ["cpu_percent", "memory_percent", "disk_percent", "timestamp", "status"]


def test_value_classes_take_the_old_keyword_arguments() -> None:
    key = APIKeyStatus(
        provider="OpenAI", key_present=True, key_valid=False, error_message="bad", last_checked="2024-01-01T00:00:00"
    )
    assert key.to_dict() == {
        "provider": "OpenAI",
        "key_present": True,
        "key_valid": False,
        "error_message": "bad",
        "last_checked": "2024-01-01T00:00:00",
    }
    health = SystemHealth(
        cpu_percent=45.2, memory_percent=62.1, disk_percent=54.8, timestamp="2024-01-01T00:00:00", status="healthy"
    )
    assert health.to_dict()["status"] == "healthy"
    report = MonitoringReport(
        timestamp="2024-01-01T00:00:00", api_keys=[], system_health={}, issues_found=[], recommendations=[]
    )
    assert report.to_dict() == {
        "timestamp": "2024-01-01T00:00:00",
        "api_keys": [],
        "system_health": {},
        "issues_found": [],
        "recommendations": [],
    }
    report = MonitoringReport("t", [key], health.to_dict(), ["i"], ["r"])
    assert report.to_dict()["api_keys"][0]["provider"] == "OpenAI"


def test_custom_providers_through_PROVIDERS(world, scripted, monkeypatch) -> None:
    custom = scripted(200)
    key = canary_key("custom")
    monkeypatch.setenv("CUSTOM_API_KEY", key)
    monitor = DevOpsMonitor(report_dir="reports")
    monitor.PROVIDERS["CUSTOM_API_KEY"] = {"name": "Custom Provider", "test_endpoint": custom.url, "required": False}
    del monitor.PROVIDERS["MOONSHOT_API_KEY"]
    monitor.PROVIDERS["OPENAI_API_KEY"]["name"] = "OpenAI (renamed)"
    report = monitor.perform_health_check()
    names = [k.provider for k in report.api_keys]
    assert "Moonshot AI" not in names and "OpenAI (renamed)" in names
    entry = [k for k in report.api_keys if k.provider == "Custom Provider"][0]
    assert entry.state == "valid" and entry.env_var == "CUSTOM_API_KEY" and entry.id == "custom-provider"
    assert custom.received == ["Bearer " + key]  # the key really went there, once
    assert report.provider_fallback_order[-1] == "custom-provider"  # after the built-in ones

    # A disabled provider is not checked; a removed custom one is gone on the next check.
    monitor.PROVIDERS["TOGETHER_API_KEY"]["enabled"] = False
    del monitor.PROVIDERS["CUSTOM_API_KEY"]
    names = [k.provider for k in monitor.perform_health_check().api_keys]
    assert "Together AI (Kimi K2)" not in names and "Custom Provider" not in names
    assert len(custom.received) == 1


def test_threshold_overrides(world) -> None:
    world["procfs"].set_cpu(85.0)
    monitor = DevOpsMonitor(report_dir="reports")
    assert (monitor.WARNING_THRESHOLD, monitor.CRITICAL_THRESHOLD) == (80.0, 90.0)
    health = monitor.check_system_health()
    assert health.cpu_percent == 85.0 and health.status == "warning"

    monitor.WARNING_THRESHOLD = 88
    monitor.CRITICAL_THRESHOLD = 95
    assert monitor.check_system_health().status == "healthy"

    monitor.thresholds["cpu"] = {"warning": 50.0, "critical": 84.0}
    report = monitor.perform_health_check()
    assert report.system_health["status"] == "critical"
    assert report.system_health["thresholds"]["cpu"] == {"warning": 50.0, "critical": 84.0}
    assert any("critically high" in issue for issue in report.issues_found)

    monitor.thresholds["cpu"] = {"warning": 90.0, "critical": 80.0}
    with pytest.raises(DevOpsMonitorError, match="must be below cpu critical"):
        monitor.perform_health_check()


@pytest.mark.parametrize("bad", [float("inf"), float("-inf"), float("nan"), 120, -5])
def test_a_threshold_outside_0_to_100_is_a_value_error_when_set(world, bad) -> None:
    monitor = DevOpsMonitor(report_dir="reports")
    with pytest.raises(ValueError, match=r"^invalid thresholds: thresholds\.warning = \S+ is outside 0 to 100$"):
        monitor.WARNING_THRESHOLD = bad
    with pytest.raises(ValueError, match=r"^invalid thresholds: thresholds\.critical = \S+ is outside 0 to 100$"):
        monitor.CRITICAL_THRESHOLD = bad
    assert (monitor.WARNING_THRESHOLD, monitor.CRITICAL_THRESHOLD) == (80.0, 90.0)
    # Set through the per-resource dict, it is refused by the next call that uses it.
    monitor.thresholds["memory"]["critical"] = bad
    with pytest.raises(ValueError, match=r"^invalid thresholds: thresholds\.memory_critical = \S+ is outside"):
        monitor.check_system_health()


def test_a_warning_not_below_its_critical_is_a_value_error(world) -> None:
    monitor = DevOpsMonitor(report_dir="reports")
    monitor.WARNING_THRESHOLD = 95  # either may be set first: the pair is checked when used
    with pytest.raises(ValueError) as raised:
        monitor.perform_health_check()
    assert str(raised.value) == (
        "invalid thresholds: cpu warning 95 (thresholds.cpu_warning) must be below cpu critical 90 "
        "(thresholds.cpu_critical)"
    )
    assert isinstance(raised.value, DevOpsMonitorError)  # what callers caught before
    assert not (world["work"] / "reports").exists()
    monitor.CRITICAL_THRESHOLD = 99
    assert monitor.check_system_health().status == "healthy"
    monitor.thresholds["disk"] = {"warning": 70.0, "critical": 70.0}
    with pytest.raises(ValueError, match=r"disk warning 70 \(thresholds\.disk_warning\) must be below disk critical 70"):
        monitor.check_all_api_keys()


def test_thresholds_are_refused_in_the_config_files_words(world) -> None:
    # One rule and one wording, the config schema's: the config file and Python say the same.
    config = world["config"]
    config.write_text(config.read_text() + "\n[thresholds]\nwarning = 120\n")
    with pytest.raises(DevOpsMonitorError) as from_file:
        DevOpsMonitor()
    config.write_text(config.read_text().replace("warning = 120", "warning = 50"))
    monitor = DevOpsMonitor()
    with pytest.raises(ValueError) as from_python:
        monitor.WARNING_THRESHOLD = 120
    words = "thresholds.warning = 120 is outside 0 to 100"
    assert words in str(from_file.value) and words in str(from_python.value)


def test_a_nul_byte_in_a_path_is_a_value_error(world, tmp_path) -> None:
    target = tmp_path / "reports"
    with pytest.raises(ValueError, match=r"^invalid report_dir: a path cannot contain a NUL byte$"):
        DevOpsMonitor(report_dir=str(target) + "\0evil")
    with pytest.raises(ValueError, match="NUL byte"):
        DevOpsMonitor(report_dir=Path(str(target) + "\0evil"))
    monitor = DevOpsMonitor(report_dir="reports")
    monitor.report_dir = str(target) + "\0later"
    with pytest.raises(ValueError, match="NUL byte"):
        monitor.perform_health_check()
    with pytest.raises(ValueError, match="NUL byte"):
        monitor.save_report({"status": "healthy"})
    assert not target.exists(), "nothing is made up to the NUL byte"
    with pytest.raises(ValueError, match=r"^invalid config_file: a path cannot contain a NUL byte$"):
        DevOpsMonitor(config_file=str(world["config"]) + "\0.bak")
    with pytest.raises(ValueError, match=r"^invalid env_file: "):
        DevOpsMonitor(env_file="keys.env\0x")


def test_a_check_releases_the_gil(world, scripted, monkeypatch) -> None:
    # A provider answered by a thread of this very interpreter: while the check waits for its
    # answer, the check must not hold the GIL, or the answer could never be written and the key
    # would come out "unknown" after the timeout. Proved by the outcome, not by a clock.
    custom = scripted(200)
    key = canary_key("gil")
    monkeypatch.setenv("GIL_API_KEY", key)
    monitor = DevOpsMonitor(report_dir="reports")
    monitor.PROVIDERS["GIL_API_KEY"] = {"name": "Answered In Python", "test_endpoint": custom.url, "required": False}
    report = monitor.perform_health_check()
    entry = [k for k in report.api_keys if k.provider == "Answered In Python"][0]
    assert entry.state == "valid", entry.error_message
    assert custom.received == ["Bearer " + key]
    assert report.status == "healthy"


def test_errors_become_DevOpsMonitorError(world, tmp_path) -> None:
    config = world["config"]
    text = config.read_text().replace(str(world["procfs"].root), str(tmp_path / "no-such-proc"))
    config.write_text(text)
    monitor = DevOpsMonitor(report_dir="reports")
    with pytest.raises(DevOpsMonitorError) as raised:
        monitor.perform_health_check()
    assert "no-such-proc" in str(raised.value) and "\n" not in str(raised.value)
    assert isinstance(raised.value, Exception)

    monitor = DevOpsMonitor(report_dir="reports")
    monitor.PROVIDERS["OPENAI_API_KEY"]["auth"] = "basic"
    with pytest.raises(DevOpsMonitorError, match="invalid auth"):
        monitor.check_system_health()

    config.write_text("cpu_window = 12\n")
    with pytest.raises(DevOpsMonitorError, match=r"config.toml:1"):
        DevOpsMonitor()


def test_canary_keys_never_shown(world, scripted, monkeypatch, capfd) -> None:
    keys = world["keys"]
    # A provider that rejects the key and echoes it whole, as some do.
    echo = scripted(401, lambda auth: json.dumps({"error": {"message": "Incorrect API key provided: " + auth[7:]}}))
    monitor = DevOpsMonitor(report_dir="reports")
    monitor.PROVIDERS["OPENAI_API_KEY"]["test_endpoint"] = echo.url
    report = monitor.perform_health_check()
    openai = [k for k in report.api_keys if k.id == "openai"][0]
    assert openai.state == "invalid" and openai.key_valid is False
    assert echo.received == ["Bearer " + keys["OPENAI_API_KEY"]]
    single = monitor.check_api_key_status("OPENAI_API_KEY", monitor.PROVIDERS["OPENAI_API_KEY"])
    texts = [
        all_text(report, single, monitor, *report.api_keys),
        json.dumps(report.to_dict()),
        json.dumps(single.to_dict()),
        repr(monitor.PROVIDERS),
        "\n".join(monitor._identify_issues(report.api_keys, report.system_health)),
    ]
    for path in (world["work"] / "reports").iterdir():
        texts.append(path.read_text())
    # An error while keys are set: the message names the problem, never a key.
    world["config"].write_text(world["config"].read_text().replace(str(world["procfs"].root), "/nonexistent"))
    with pytest.raises(DevOpsMonitorError) as raised:
        DevOpsMonitor().perform_health_check()
    texts.append(all_text(raised.value))
    out, err = capfd.readouterr()
    texts += [out, err]
    blob = "\n".join(texts)
    for key in keys.values():
        assert key not in blob
        assert key[8:] not in blob  # not even its tail
    assert "Incorrect API key provided" in openai.error_message  # the message, redacted


def test_underscore_helpers(world) -> None:
    monitor = DevOpsMonitor(report_dir="reports")
    statuses = [
        {"provider": "OpenAI", "key_present": True, "key_valid": False, "error_message": "bad", "last_checked": "t"},
        APIKeyStatus(provider="Anthropic", key_present=False, key_valid=False, error_message="not set", last_checked="t"),
    ]
    health = {"cpu_percent": 95.0, "memory_percent": 50.0, "disk_percent": 50.0, "timestamp": "t", "status": "critical"}
    issues = monitor._identify_issues(statuses, health)
    assert "OpenAI API key is invalid" in issues
    assert any(i.startswith("System resources critically high") for i in issues)
    recommendations = monitor._generate_recommendations(issues, statuses, SystemHealth(**health))
    assert recommendations and all(isinstance(r, str) for r in recommendations)

    healthy = {"cpu_percent": 5.0, "memory_percent": 5.0, "disk_percent": 5.0, "timestamp": "t", "status": "healthy"}
    valid = [
        APIKeyStatus(provider="OpenAI", key_present=True, key_valid=True, error_message="ok", last_checked="t"),
        {"provider": "Google Gemini", "key_present": True, "key_valid": True, "error_message": "ok", "last_checked": "t"},
    ]
    assert monitor._identify_issues(valid, healthy) == []
    assert "No API keys configured - AI features will not work" in monitor._identify_issues([], healthy)
    assert monitor._generate_recommendations([], valid, healthy) == ["System is healthy - continue monitoring"]

    report = MonitoringReport(
        timestamp="2024-01-01T00:00:00", api_keys=valid, system_health=healthy, issues_found=[], recommendations=[]
    )
    path = monitor._save_report(report)
    assert path.parent == Path("reports").resolve() or path.parent.name == "reports"
    saved = json.loads(path.read_text())
    assert [k["provider"] for k in saved["api_keys"]] == ["OpenAI", "Google Gemini"]
    assert json.loads((path.parent / "latest_report.json").read_text()) == saved
    assert monitor.generate_status_badge() == "![Status](https://img.shields.io/badge/status-healthy-brightgreen)"


def test_python_m_devops_monitor_behaves_like_the_command(world) -> None:
    binary = os.environ.get("DEVOPS_MONITOR_BINARY")
    env = dict(os.environ, NO_COLOR="1")
    py = subprocess.run(
        [sys.executable, "-m", "devops_monitor", "--check", "--json", "--report-dir", "py-reports"],
        capture_output=True, text=True, env=env, timeout=30,
    )
    assert py.returncode == 0, py.stderr
    report = json.loads(py.stdout)
    assert report["status"] == "healthy" and len(report["api_keys"]) == 6
    assert (world["work"] / "py-reports" / "latest_report.json").exists()

    human = subprocess.run(
        [sys.executable, "-m", "devops_monitor", "--check"], capture_output=True, text=True, env=env, timeout=30
    )
    assert human.returncode == 0 and "Overall status" in human.stdout and "Report saved" in human.stdout

    world["procfs"].set_cpu(95.0)
    critical = subprocess.run(
        [sys.executable, "-m", "devops_monitor", "--json", "--report-dir", "py-reports"],
        capture_output=True, text=True, env=env, timeout=30,
    )
    assert critical.returncode == 2 and json.loads(critical.stdout)["status"] == "critical"
    bad = subprocess.run([sys.executable, "-m", "devops_monitor", "--bogus"], capture_output=True, text=True, env=env)
    assert bad.returncode == 3

    if binary:
        cpp = subprocess.run(
            [binary, "--check", "--json", "--report-dir", "cpp-reports"], capture_output=True, text=True, env=env,
            timeout=30,
        )
        assert cpp.returncode == 2
        ours = json.loads(critical.stdout)
        theirs = json.loads(cpp.stdout)
        assert list(ours) == list(theirs)
        assert ours["issues_found"] == theirs["issues_found"]
        assert [k["state"] for k in ours["api_keys"]] == [k["state"] for k in theirs["api_keys"]]


def test_to_dict_is_the_report_file(world) -> None:
    # Every field of the report file survives the round trip, those added later included.
    monitor = DevOpsMonitor(report_dir="reports")
    report = monitor.perform_health_check()
    saved = json.loads((world["work"] / "reports" / "latest_report.json").read_text())
    assert report.to_dict() == saved
    assert MonitoringReport.from_dict(saved).to_dict() == saved
