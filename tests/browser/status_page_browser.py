#!/usr/bin/env python3
"""status_page_browser.py BINARY [--screenshot PNG]

The status page in a real browser (ctest browser.status_page): a report directory with 90 days
of hourly reports (2,160 files, plus a truncated and a foreign one) is generated here; then
`devops-monitor serve --listen 127.0.0.1:0 --no-save` serves it and Debian's headless Chromium
loads `/`, `/?range=90d` and the file `devops-monitor report --html` writes. Chromium is driven
over the DevTools protocol (python3-websocket), so the checks query the rendered DOM and see
every console message, uncaught exception and CSP violation. The capture is proved first: a page
that calls console.error must be caught. A provider name and an issue carrying <script> and an
<img onerror> must stay text; no canary key and no fingerprint may be on any page.

With --screenshot, the served page is captured (1100 px wide, full height, light scheme): the
README's docs/status-page.png is made this way.

Every process dies with this script (PR_SET_PDEATHSIG) and the run is bounded by an alarm.
Prints "status_page_browser: OK ..." with the time it took.
"""
import argparse
import base64
import ctypes
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

import websocket  # Debian's python3-websocket

RUN_LIMIT_S = 60  # ctest's TIMEOUT is 90; the run takes about 10 s
PR_SET_PDEATHSIG = 1
HOURS = 90 * 24

# Outside text that must stay text: it would mark the body if it ever ran.
EVIL_NAME = "<script>document.body.dataset.xss='name'</script><img src=x onerror=\"document.body.dataset.xss='img'\">Evil AI"
EVIL_ISSUE = "Disk / is filling <script>document.body.dataset.xss='issue'</script>"


def fail(message):
    print(f"status_page_browser: FAIL: {message}", flush=True)
    sys.exit(1)


def die_with_parent():
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    os.setsid()


def iso(t):
    return time.strftime("%Y-%m-%dT%H:%M:%S.000+00:00", time.gmtime(t))


def canaries():
    """A key-shaped canary and a fingerprint, built at run time (nothing key-like committed)."""
    rng = random.Random(20261206)
    alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
    key = "sk-" + "proj-" + "".join(rng.choice(alnum) for _ in range(48))
    fingerprint = "".join(rng.choice("0123456789abcdef") for _ in range(8))
    return key, fingerprint


def key_entry(pid, name, state, latency, t, fingerprint):
    valid = {"valid": True, "invalid": False, "rate_limited": True}.get(state)
    return {"provider": name, "key_present": state != "missing", "key_valid": valid,
            "error_message": "API key is valid" if state == "valid" else "check failed",
            "last_checked": iso(t), "id": pid, "env_var": pid.upper() + "_API_KEY",
            "state": state, "http_status": 200 if state == "valid" else None,
            "latency_ms": latency, "key_fingerprint": fingerprint, "key_first_seen": None,
            "key_age_days": None, "key_rotated": False}


# Anthropic's slow answers: hour 700 of 2,160 and five hours before the newest report, so every
# range's latency chart reaches 10000 ms (its y axis then has five-digit labels).
SLOW_REPORTS = (700, HOURS - 5)
SLOW_MS = 10000


def report_at(i, t, fingerprint):
    """Report i of the generated history: CPU waves with spikes over critical, a disk filling."""
    state_anthropic = "invalid" if 1500 <= i < 1560 else "valid"
    state_openai = "unknown" if i % 37 == 0 else "valid"
    cpu = 35 + 25 * ((i % 24) / 24) + (60 if i % 97 == 0 else 0)
    cpu = min(cpu, 99.0)
    disk_root = 50 + 35 * i / HOURS
    status = "critical" if cpu > 90 else ("warning" if cpu > 80 or disk_root > 80 else "healthy")
    thresholds = {k: {"warning": 80.0, "critical": 90.0} for k in ("cpu", "memory", "disk")}
    return {
        "timestamp": iso(t),
        "api_keys": [
            key_entry("openai", "OpenAI", state_openai, 200 + (i * 7) % 150, t, fingerprint),
            key_entry("anthropic", "Anthropic", state_anthropic,
                      SLOW_MS if i in SLOW_REPORTS else 90 + (i * 3) % 60, t, fingerprint),
            key_entry("evil", EVIL_NAME, "rate_limited" if i % 50 == 0 else "valid", 400, t,
                      fingerprint),
        ],
        "system_health": {
            "cpu_percent": round(cpu, 1), "memory_percent": 55.0 + (i % 10), "disk_percent": round(disk_root, 1),
            "timestamp": iso(t), "status": status, "cpu_status": "healthy",
            "memory_status": "healthy", "disk_status": "healthy",
            "memory_total_bytes": 17179869184, "memory_available_bytes": 8589934592,
            "disks": [
                {"path": "/", "total_bytes": 100 << 30, "used_bytes": int((100 << 30) * disk_root / 100),
                 "available_bytes": int((100 << 30) * (100 - disk_root) / 100),
                 "percent": round(disk_root, 1), "status": "healthy", "error": None},
                {"path": "/data", "total_bytes": 500 << 30, "used_bytes": 100 << 30,
                 "available_bytes": 400 << 30, "percent": 20.0, "status": "healthy", "error": None},
            ],
            "load_average": {"1m": 0.5, "5m": 0.4, "15m": 0.3}, "cpu_count": 8,
            "cpu_window_ms": 1000, "thresholds": thresholds,
        },
        "issues_found": [], "recommendations": ["System is healthy - continue monitoring"],
        "status": status, "provider_fallback_order": ["openai", "anthropic", "evil"],
        "notices": [], "host": "page-test", "version": "test", "duration_ms": 900,
    }


def report_time(i, now):
    """Hourly, the newest a minute before `now`: each line then ends at its chart's right edge."""
    return now - 60 - (HOURS - 1 - i) * 3600


def make_history(directory, now, fingerprint, canary_key):
    start = now - HOURS * 3600
    for i in range(HOURS):
        t = report_time(i, now)
        name = time.strftime("monitoring_report_%Y%m%d_%H%M%S.json", time.gmtime(t))
        with open(os.path.join(directory, name), "w") as f:
            json.dump(report_at(i, t, fingerprint), f)
    latest = report_at(HOURS - 1, report_time(HOURS - 1, now), fingerprint)
    latest["issues_found"] = [EVIL_ISSUE]
    latest["recommendations"] = ["<b onmouseover=\"document.body.dataset.xss='advice'\">Free space</b>"]
    latest["api_keys"][0]["error_message"] = "rejected " + canary_key  # never shown
    latest["status"] = "warning"
    with open(os.path.join(directory, "latest_report.json"), "w") as f:
        json.dump(latest, f)
    # Junk the history must skip without stopping.
    stamp = time.strftime("%Y%m%d_%H%M%S", time.gmtime(start + 45 * 86400 + 10))
    with open(os.path.join(directory, f"monitoring_report_{stamp}_2.json"), "w") as f:
        f.write('{"timestamp": "2026-')
    with open(os.path.join(directory, f"monitoring_report_{stamp}_3.json"), "w") as f:
        f.write('{"hello": "world"}')


class Browser:
    """Headless Chromium with a temporary profile, one tab driven over the DevTools protocol."""

    def __init__(self, chromium, profile):
        self.process = subprocess.Popen(
            [chromium, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--no-default-browser-check", "--disable-extensions", "--disable-sync",
             "--remote-debugging-port=0", "--remote-allow-origins=*",
             f"--user-data-dir={profile}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, preexec_fn=die_with_parent)
        port_file = os.path.join(profile, "DevToolsActivePort")
        deadline = time.monotonic() + 20
        while not (os.path.exists(port_file) and open(port_file).read().count("\n") >= 1):
            if time.monotonic() > deadline or self.process.poll() is not None:
                fail("Chromium did not open its DevTools port")
            time.sleep(0.05)
        port = int(open(port_file).read().split("\n")[0])
        request = urllib.request.Request(f"http://127.0.0.1:{port}/json/new?about:blank", method="PUT")
        target = json.load(urllib.request.urlopen(request, timeout=10))
        self.ws = websocket.create_connection(target["webSocketDebuggerUrl"], timeout=15,
                                              suppress_origin=True)
        self.next_id = 0
        self.console = []  # console calls, exceptions and log errors (CSP violations)
        self.loaded = False
        for method in ("Page.enable", "Runtime.enable", "Log.enable"):
            self.call(method)

    def close(self):
        try:
            self.ws.close()
        except Exception:
            pass
        self.process.kill()
        self.process.wait(timeout=10)

    def _event(self, message):
        method = message.get("method")
        params = message.get("params", {})
        if method == "Runtime.consoleAPICalled":
            text = " ".join(str(a.get("value", a.get("description", ""))) for a in params.get("args", []))
            self.console.append(f"console.{params.get('type')}: {text}")
        elif method == "Runtime.exceptionThrown":
            self.console.append("exception: " + json.dumps(params.get("exceptionDetails", {}))[:300])
        elif method == "Log.entryAdded":
            entry = params.get("entry", {})
            if entry.get("level") in ("error", "warning"):
                self.console.append(f"log.{entry.get('level')}: {entry.get('text')}")
        elif method == "Page.loadEventFired":
            self.loaded = True

    def call(self, method, **params):
        self.next_id += 1
        my_id = self.next_id
        self.ws.send(json.dumps({"id": my_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == my_id:
                if "error" in message:
                    fail(f"DevTools {method}: {message['error']}")
                return message.get("result", {})
            self._event(message)

    def open(self, url):
        self.console = []
        self.loaded = False
        self.call("Page.navigate", url=url)
        deadline = time.monotonic() + 15
        while not self.loaded:
            if time.monotonic() > deadline:
                fail(f"{url} did not load")
            self._event(json.loads(self.ws.recv()))
        # Give late messages (a CSP report, a console call) a moment to arrive.
        self.ws.settimeout(0.3)
        try:
            while True:
                self._event(json.loads(self.ws.recv()))
        except websocket.WebSocketTimeoutException:
            pass
        finally:
            self.ws.settimeout(15)

    def js(self, expression):
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        if "exceptionDetails" in result:
            fail(f"evaluating {expression!r}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def screenshot(self, path, width=1100, max_height=2600):
        self.call("Emulation.setDeviceMetricsOverride", width=width, height=900,
                  deviceScaleFactor=1, mobile=False)
        height = min(max_height, self.js("Math.ceil(document.documentElement.scrollHeight)"))
        self.call("Emulation.setDeviceMetricsOverride", width=width, height=height,
                  deviceScaleFactor=1, mobile=False)
        shot = self.call("Page.captureScreenshot", format="png")
        with open(path, "wb") as f:
            f.write(base64.b64decode(shot["data"]))


# Only the providers of the generated history (the page then has no rows of unused ones).
CONFIG = """
[providers.openai]
name = "OpenAI"
[providers.anthropic]
name = "Anthropic"
[providers.together]
enabled = false
[providers.openrouter]
enabled = false
[providers.google]
enabled = false
[providers.moonshot]
enabled = false
"""


def start_serve(binary, report_dir, config, env, cwd):
    process = subprocess.Popen(
        [binary, "serve", "--listen", "127.0.0.1:0", "--no-save", "--report-dir", report_dir,
         "--key-interval", "1h", "--config", config],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env, cwd=cwd,
        preexec_fn=die_with_parent)
    lines = []
    seen = threading.Condition()

    def read():
        for line in process.stderr:
            with seen:
                lines.append(line.rstrip("\n"))
                seen.notify_all()

    threading.Thread(target=read, daemon=True).start()

    def wait_for(pattern, limit):
        deadline = time.monotonic() + limit
        with seen:
            while True:
                for line in lines:
                    match = re.search(pattern, line)
                    if match:
                        return match
                left = deadline - time.monotonic()
                if left <= 0 or process.poll() is not None:
                    fail(f"serve never logged /{pattern}/; it logged: {lines}")
                seen.wait(left)

    port = int(wait_for(r"listening on 127\.0\.0\.1:(\d+)", 15).group(1))
    wait_for(r"; status ", 15)  # the first key round is done: the page shows its report
    return process, port, lines


def expect(condition, message):
    if not condition:
        fail(message)


def check_common(browser, where, canary_key, fingerprint):
    """What every page must be: no script ran, no key material, charts with text alternatives."""
    expect(browser.console == [], f"{where}: console messages: {browser.console}")
    expect(browser.js("document.body.dataset.xss === undefined"), f"{where}: injected markup ran")
    expect(browser.js("document.scripts.length") == 0, f"{where}: a <script> element exists")
    expect(browser.js("document.images.length") == 0, f"{where}: an <img> element exists")
    html = browser.js("document.documentElement.outerHTML")
    expect(canary_key not in html and canary_key[:12] not in html, f"{where}: the canary key is on the page")
    expect(fingerprint not in html, f"{where}: a key fingerprint is on the page")
    rows = browser.js("[...document.querySelectorAll('.provider')].map(p => p.dataset.provider)")
    expect(rows == ["openai", "anthropic", "evil"], f"{where}: provider rows {rows}")
    for provider in ("openai", "anthropic", "evil"):
        expect(browser.js(f"document.querySelectorAll('.provider[data-provider=\"{provider}\"] svg.uptime').length") == 1,
               f"{where}: no uptime row for {provider}")
    expect(browser.js("[...document.querySelectorAll('.provider')].some(p => p.querySelector('h3').textContent.includes(\"<script>document.body.dataset.xss='name'</script>\"))"),
           f"{where}: the provider name with <script> is not shown as text")
    bars = browser.js("document.querySelectorAll('.provider[data-provider=\"openai\"] rect.bar[tabindex=\"0\"]').length")
    expect(bars == 90, f"{where}: openai has {bars} focusable bars, expected the last 90 checks")
    expect(browser.js("[...document.querySelectorAll('rect.bar')].every(r => r.querySelector('title') && / UTC — /.test(r.querySelector('title').textContent))"),
           f"{where}: a bar without its time/state tooltip")
    expect(browser.js("[...document.querySelectorAll('svg.chart, svg.uptime')].every(s => s.getAttribute('role') === 'img' && s.querySelector('title').textContent && s.querySelector('desc').textContent)"),
           f"{where}: a chart without role=img, <title> and <desc>")
    expect(browser.js("document.querySelector('#overall-status') !== null"), f"{where}: no overall status")


def check_visible_range(browser, where, range_label, expect_reports):
    visible = browser.js("[...document.querySelectorAll('section.range')].filter(s => getComputedStyle(s).display !== 'none').map(s => s.id)")
    expect(visible == [f"range-{range_label}"], f"{where}: visible range sections {visible}, expected range-{range_label}")
    section = f"document.querySelector('#range-{range_label}')"
    charts = browser.js(f"{section}.querySelectorAll('svg.chart').length")
    # Three latency charts (openai, anthropic, evil), CPU, memory, / and /data.
    expect(charts == 7, f"{where}: {charts} charts in range {range_label}, expected 7")
    for kind in ("warning", "critical"):
        lines = browser.js(f"{section}.querySelectorAll('.threshold.{kind} line').length")
        expect(lines == 4, f"{where}: {lines} {kind} threshold lines, expected 4 (CPU, memory, 2 disks)")
        label = browser.js(f"{section}.querySelector('.threshold.{kind} text').textContent")
        expect(label == f"{kind} 80%" if kind == "warning" else label == "critical 90%",
               f"{where}: threshold label {label!r}")
    drawn = browser.js(f"{section}.querySelector('[data-resource=cpu] path.series').getAttribute('d').split(/[ML]/).length - 1")
    expect(drawn >= 20, f"{where}: the CPU line of {range_label} has only {drawn} points")
    reports = browser.js(f"parseInt({section}.querySelector('.stats').textContent)")
    expect(reports >= expect_reports, f"{where}: {reports} reports in range {range_label}, expected at least {expect_reports}")


# Chromium's layout of every visible chart and uptime row: each drawn element's box (texts
# included, so a clipped y label fails) and, for a line chart, where its grid and its line end,
# in CSS pixels. Elements inside <title>, <desc> or a <pattern> draw nothing of their own here.
LAYOUT_JS = r"""
(() => {
  const out = [];
  const visible = s => { const r = s.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
  const screenX = (el, x, y) => {
    const p = el.ownerSVGElement.createSVGPoint();
    p.x = x; p.y = y;
    return p.matrixTransform(el.getScreenCTM()).x;
  };
  for (const svg of document.querySelectorAll('svg.chart, svg.uptime')) {
    if (!visible(svg)) continue;
    const box = svg.getBoundingClientRect();
    const where = svg.querySelector('title').textContent;
    const outside = [];
    for (const el of svg.querySelectorAll('text, line, path, rect, circle')) {
      if (el.closest('title, desc, pattern')) continue;
      const r = el.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;
      if (r.left < box.left - 0.5 || r.right > box.right + 0.5 ||
          r.top < box.top - 0.5 || r.bottom > box.bottom + 0.5) {
        outside.push({tag: el.tagName, text: el.textContent.slice(0, 40),
                      left: Math.round(r.left - box.left), right: Math.round(r.right - box.left),
                      top: Math.round(r.top - box.top), bottom: Math.round(r.bottom - box.top),
                      width: Math.round(box.width), height: Math.round(box.height)});
      }
    }
    const chart = {where, width: box.width, outside, labels: [], gridRight: null, lineEnd: null};
    if (svg.classList.contains('chart')) {
      chart.labels = [...svg.querySelectorAll('text')].map(t => t.textContent);
      const grid = [...svg.querySelectorAll('.grid line')];
      if (grid.length) {
        chart.gridRight = Math.max(...grid.map(l => screenX(l, l.x2.baseVal.value, l.y2.baseVal.value))) - box.left;
      }
      const ends = [];
      const path = svg.querySelector('path.series');
      if (path) {
        const end = path.getPointAtLength(path.getTotalLength());
        ends.push(screenX(path, end.x, end.y));
      }
      for (const c of svg.querySelectorAll('.dots circle')) ends.push(screenX(c, c.cx.baseVal.value, c.cy.baseVal.value));
      if (ends.length) chart.lineEnd = Math.max(...ends) - box.left;
    }
    out.push(chart);
  }
  return out;
})()
"""

# How far the plot may stop short of its chart's right edge (a margin, not a gutter), and how
# far a line whose newest point is a minute old may stop short of the plot's right edge.
PLOT_RIGHT_MARGIN_PX = 12
LINE_END_SLACK_PX = 3


def check_chart_layout(browser, where):
    """Every visible chart and uptime row draws inside its own box; each line reaches the right."""
    charts = browser.js(LAYOUT_JS)
    expect(len(charts) >= 7 + 3, f"{where}: only {len(charts)} visible charts and uptime rows")
    problems = []
    for chart in charts:
        name = f"{where}: {chart['where']}"
        for element in chart["outside"][:3]:
            problems.append(f"{name}: <{element['tag']}> {element['text']!r} drawn at x {element['left']}..{element['right']},"
                            f" y {element['top']}..{element['bottom']} outside its {element['width']}x{element['height']} box")
        if chart["gridRight"] is None:
            continue
        if chart["width"] - chart["gridRight"] > PLOT_RIGHT_MARGIN_PX:
            problems.append(f"{name}: the plot ends at {chart['gridRight']:.0f} px of {chart['width']:.0f} px")
        if chart["lineEnd"] is not None and chart["gridRight"] - chart["lineEnd"] > LINE_END_SLACK_PX:
            problems.append(f"{name}: the line ends at {chart['lineEnd']:.0f} px, the plot at {chart['gridRight']:.0f} px")
    expect(not problems, "\n".join(problems))
    slow = [c for c in charts if c["where"].startswith("Anthropic latency")]
    expect(len(slow) == 1 and "10000 ms" in slow[0]["labels"],
           f"{where}: no Anthropic latency chart with a 10000 ms label: {[c['labels'] for c in slow]}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("--screenshot", help="write the served page as PNG here")
    parser.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    args = parser.parse_args()
    args.binary = os.path.abspath(args.binary)
    if not os.path.exists(args.chromium):
        fail("chromium is missing: run `make deps` as root (Debian package chromium)")
    signal.alarm(RUN_LIMIT_S)  # the whole run is bounded, whatever hangs
    began = time.monotonic()
    canary_key, fingerprint = canaries()
    tmp = tempfile.mkdtemp(prefix="status-page-")
    serve = browser = None
    try:
        reports = os.path.join(tmp, "reports")
        home = os.path.join(tmp, "home")
        os.makedirs(reports)
        os.makedirs(home)
        now = time.time()
        make_history(reports, now, fingerprint, canary_key)
        generated = time.monotonic() - began
        # No provider key in the environment: the key rounds make no request at all.
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": home,
               "XDG_CONFIG_HOME": os.path.join(home, ".config"), "LANG": "C.UTF-8", "TZ": "UTC"}

        config = os.path.join(home, "config.toml")
        with open(config, "w") as f:
            f.write(CONFIG)
        serve, port, serve_log = start_serve(args.binary, reports, config, env, home)
        base = f"http://127.0.0.1:{port}"
        with urllib.request.urlopen(base + "/", timeout=10) as answer:
            headers = answer.headers
            expect(answer.status == 200, f"/ answered {answer.status}")
            expect(headers["Content-Type"] == "text/html; charset=utf-8", f"Content-Type {headers['Content-Type']}")
            csp = headers.get("Content-Security-Policy", "")
            expect("default-src 'none'" in csp and "script-src" not in csp, f"CSP {csp!r}")
            expect(headers.get("X-Content-Type-Options") == "nosniff", "no X-Content-Type-Options")
        try:
            urllib.request.urlopen(base + "/?range=1y", timeout=10)
            fail("/?range=1y was answered")
        except urllib.error.HTTPError as e:
            expect(e.code == 400, f"/?range=1y answered {e.code}, expected 400")

        browser = Browser(args.chromium, os.path.join(tmp, "profile"))
        # The console capture must catch what it is there to catch.
        probe = os.path.join(tmp, "probe.html")
        with open(probe, "w") as f:
            f.write("<!DOCTYPE html><title>probe</title><script>console.error('probe-error')</script>")
        browser.open("file://" + probe)
        expect(any("probe-error" in m for m in browser.console), f"the console capture missed console.error: {browser.console}")

        browser.open(base + "/")
        check_common(browser, "serve /", canary_key, fingerprint)
        check_visible_range(browser, "serve /", "7d", 160)
        check_chart_layout(browser, "serve /")
        expect(browser.js("document.querySelector('nav a[aria-current]').getAttribute('href')") == "/?range=7d",
               "serve /: the 7d link is not marked current")
        # Two columns of charts (the README's picture) and a phone's one: the layout holds, and
        # no chart or uptime row is wider than the window.
        for width in (1100, 360):
            browser.call("Emulation.setDeviceMetricsOverride", width=width, height=900,
                         deviceScaleFactor=1, mobile=False)
            check_chart_layout(browser, f"serve / at {width} px")
            widest = browser.js("Math.max(...[...document.querySelectorAll('svg.chart, svg.uptime')].map(s => s.getBoundingClientRect().right))")
            expect(widest <= width, f"serve / at {width} px: a chart reaches x {widest:.0f} px")
        if args.screenshot:
            browser.screenshot(args.screenshot)
        browser.call("Emulation.clearDeviceMetricsOverride")

        browser.open(base + "/?range=90d")
        check_common(browser, "serve /?range=90d", canary_key, fingerprint)
        check_visible_range(browser, "serve /?range=90d", "90d", 2100)
        check_chart_layout(browser, "serve /?range=90d")

        browser.open(base + "/?range=24h")
        check_common(browser, "serve /?range=24h", canary_key, fingerprint)
        check_chart_layout(browser, "serve /?range=24h")

        # The file: every range in it, switched by links without script; the issues of
        # latest_report.json (the served page shows the key round's report instead).
        page_file = os.path.join(tmp, "out", "status.html")
        os.makedirs(os.path.dirname(page_file))
        written = subprocess.run(
            [args.binary, "report", "--html", page_file, "--since", "30d", "--report-dir", reports,
             "--config", config],
            capture_output=True, text=True, env=env, cwd=home, timeout=30)
        expect(written.returncode == 0, f"report --html exited {written.returncode}: {written.stderr}")
        expect(written.stderr.count("warning:") == 2, f"report --html: expected two skipped files: {written.stderr!r}")
        expect(written.stdout == "", f"report --html printed {written.stdout!r}")
        expect(os.listdir(os.path.dirname(page_file)) == ["status.html"], "a temp file was left beside the page")
        # Failures are one line and exit 3: no report directory, a file that cannot be written
        # (its directory would be under a regular file; a missing directory is created).
        for argv, needle in (([page_file, "--report-dir", os.path.join(tmp, "none")], "no report directory"),
                             ([os.path.join(page_file, "dir", "x.html"), "--report-dir", reports], "cannot create")):
            failed = subprocess.run([args.binary, "report", "--html", *argv, "--config", config],
                                    capture_output=True, text=True, env=env, cwd=home, timeout=30)
            last = failed.stderr.strip().splitlines()[-1] if failed.stderr.strip() else ""
            expect(failed.returncode == 3 and needle in last and last.startswith("devops-monitor: "),
                   f"report --html {argv}: exit {failed.returncode}, stderr {failed.stderr!r}")
        browser.open("file://" + page_file)
        check_common(browser, "report --html", canary_key, fingerprint)
        check_visible_range(browser, "report --html", "30d", 700)
        check_chart_layout(browser, "report --html")
        expect(browser.js("document.querySelectorAll('section.range').length") == 4, "report --html: not four ranges")
        issue = browser.js("document.querySelector('#issues li').textContent")
        expect(issue == EVIL_ISSUE, f"report --html: the issue shows as {issue!r}")
        advice = browser.js("document.querySelector('#recommendations li').textContent")
        expect(advice.startswith("<b onmouseover="), f"report --html: the advice shows as {advice!r}")
        # A link to #range-90d: a same-document navigation, no load event.
        browser.js("document.querySelector('nav a[href=\"#range-90d\"]').click()")
        expect(browser.js("location.hash") == "#range-90d", "the 90d link did not navigate")
        check_visible_range(browser, "report --html#range-90d", "90d", 2100)
        check_chart_layout(browser, "report --html#range-90d")
        # The reader's dark preference is followed.
        light = browser.js("getComputedStyle(document.body).backgroundColor")
        browser.call("Emulation.setEmulatedMedia", features=[{"name": "prefers-color-scheme", "value": "dark"}])
        dark = browser.js("getComputedStyle(document.body).backgroundColor")
        expect(light == "rgb(255, 255, 255)" and dark == "rgb(13, 17, 23)", f"colour schemes: light {light}, dark {dark}")

        # Without latest_report.json the newest timestamped report stands in for it.
        os.rename(os.path.join(reports, "latest_report.json"), os.path.join(tmp, "latest_report.json"))
        no_latest = os.path.join(tmp, "out", "no-latest.html")
        written = subprocess.run(
            [args.binary, "report", "--html", no_latest, "--report-dir", reports, "--config", config],
            capture_output=True, text=True, env=env, cwd=home, timeout=30)
        expect(written.returncode == 0, f"report --html without latest_report.json exited {written.returncode}: {written.stderr}")
        browser.open("file://" + no_latest)
        check_common(browser, "report --html without latest_report.json", canary_key, fingerprint)
        header = browser.js("document.querySelector('header').innerText")
        newest = time.strftime("Last checked %Y-%m-%d %H:%M UTC", time.gmtime(report_time(HOURS - 1, now)))
        expect(newest in header and "! Warning" in header and "page-test" in header,
               f"report --html without latest_report.json: the header says {header!r}, expected {newest!r}, '! Warning' and the host")
        states = browser.js("document.querySelectorAll('.provider .state').length")
        expect(states == 3, f"report --html without latest_report.json: {states} current key states, expected 3")

        expect(serve.poll() is None, f"serve died: {serve_log}")
        serve.send_signal(signal.SIGTERM)
        expect(serve.wait(timeout=10) == 0, "serve did not stop cleanly on SIGTERM")
        print(f"status_page_browser: OK in {time.monotonic() - began:.1f} s "
              f"(history of {HOURS} reports generated in {generated:.1f} s)", flush=True)
    finally:
        if browser:
            browser.close()
        if serve and serve.poll() is None:
            serve.kill()
            serve.wait(timeout=10)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    try:
        main()
    except (websocket.WebSocketException, OSError, subprocess.TimeoutExpired) as error:
        fail(f"{type(error).__name__}: {error}")
