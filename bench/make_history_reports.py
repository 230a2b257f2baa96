#!/usr/bin/env python3
"""Writes COUNT hourly reports ending now into DIR, in devops-monitor's report format (the
fields and order of src/report/report_json.cpp): six providers, two disks, a disk that fills
slowly, an outage now and then. For bench/history_speed.sh and by hand:
    python3 bench/make_history_reports.py DIR [COUNT]"""
import datetime
import json
import os
import random
import sys

PROVIDERS = [
    ("together", "Together AI (Kimi K2)", "TOGETHER_API_KEY"),
    ("openai", "OpenAI (GPT-4)", "OPENAI_API_KEY"),
    ("anthropic", "Anthropic (Claude)", "ANTHROPIC_API_KEY"),
    ("openrouter", "OpenRouter", "OPENROUTER_API_KEY"),
    ("google", "Google Gemini", "GOOGLE_API_KEY"),
    ("moonshot", "Moonshot AI", "MOONSHOT_API_KEY"),
]
THRESHOLDS = {"warning": 80.0, "critical": 90.0}


def level(percent):
    return "healthy" if percent < 80 else ("warning" if percent <= 90 else "critical")


def key(rng, pid, name, env, stamp):
    roll = rng.random()
    state = "valid" if roll < 0.97 else ("unknown" if roll < 0.99 else "rate_limited")
    return {
        "provider": name, "key_present": True,
        "key_valid": None if state == "unknown" else True,
        "error_message": "API key is valid" if state == "valid" else "could not tell",
        "last_checked": stamp, "id": pid, "env_var": env, "state": state,
        "http_status": None if state == "unknown" else (200 if state == "valid" else 429),
        "latency_ms": int(rng.gauss(250, 60)) if state != "unknown" else 10000,
        "key_fingerprint": "0a1b2c3d", "key_first_seen": None, "key_age_days": None,
        "key_rotated": False,
    }


def report(rng, when, index, count):
    stamp = when.isoformat(timespec="milliseconds")
    cpu = max(0.0, min(100.0, rng.gauss(30, 15)))
    memory = max(0.0, min(100.0, rng.gauss(55, 5)))
    root = 40.0 + 40.0 * index / count + rng.random()  # fills slowly
    home = 62.0 + rng.random()
    disks = [
        {"path": path, "total_bytes": 100 << 30, "used_bytes": int(p * (1 << 30)),
         "available_bytes": int((100 - p) * (1 << 30)), "percent": round(p, 1),
         "status": level(p), "error": None}
        for path, p in (("/", root), ("/home", home))
    ]
    system_status = max((level(cpu), level(memory), level(root)),
                        key=["healthy", "warning", "critical"].index)
    keys = [key(rng, *p, stamp) for p in PROVIDERS]
    return {
        "timestamp": stamp, "api_keys": keys,
        "system_health": {
            "cpu_percent": round(cpu, 1), "memory_percent": round(memory, 1),
            "disk_percent": round(max(root, home), 1), "timestamp": stamp,
            "status": system_status, "cpu_status": level(cpu), "memory_status": level(memory),
            "disk_status": level(max(root, home)), "memory_total_bytes": 16 << 30,
            "memory_available_bytes": int((100 - memory) / 100 * (16 << 30)), "disks": disks,
            "load_average": {"1m": 0.5, "5m": 0.4, "15m": 0.3}, "cpu_count": 8,
            "cpu_window_ms": 1000,
            "thresholds": {"cpu": THRESHOLDS, "memory": THRESHOLDS, "disk": THRESHOLDS},
        },
        "issues_found": [], "recommendations": ["System is healthy - continue monitoring"],
        "status": system_status, "provider_fallback_order": [p[0] for p in PROVIDERS],
        "notices": [], "host": "bench", "version": "bench", "duration_ms": 1200,
    }


def main():
    directory = sys.argv[1]
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 2160
    os.makedirs(directory, exist_ok=True)
    rng = random.Random(10)
    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    for i in range(count):
        when = now - datetime.timedelta(hours=count - 1 - i, minutes=5)
        name = "monitoring_report_" + when.strftime("%Y%m%d_%H%M%S") + ".json"
        with open(os.path.join(directory, name), "w", encoding="utf-8") as out:
            json.dump(report(rng, when, i, count), out, indent=2)
            out.write("\n")


if __name__ == "__main__":
    main()
