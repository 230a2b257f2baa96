#!/usr/bin/env python3
"""prometheus_scrape.py BINARY FAKE_PROVIDERS [PROMETHEUS]

The real-Prometheus scrape test (ctest deploy.prometheus.real_scrape): `devops-monitor serve`
on a kernel-chosen loopback port, its six providers answered by build/tests/fake-providers
and its /proc replaced by a procfs tree with exact values; the real Prometheus server
(default /usr/bin/prometheus) on another loopback port, scraping it every second, its TSDB in
a temporary directory (never /var/lib). Once the target is up, the series are read back
through Prometheus' HTTP query API and their values checked. A canary key, built at run time,
must not appear in any stored series.

Every process it starts dies with it: each gets PR_SET_PDEATHSIG (SIGKILL when this script
dies, even by SIGKILL), the fake providers end by themselves after 60 s, and the whole run is
bounded by an alarm. Prints "prometheus_scrape: OK ..." on success.
"""
import ctypes
import http.server
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request

RUN_LIMIT_S = 45  # ctest's TIMEOUT is 60; the run takes about 8 s
UP_WAIT_S = 30  # Prometheus started, first round done, target scraped
PR_SET_PDEATHSIG = 1

# The procfs values the metrics must show, exactly.
CPU_BUSY_STEP, CPU_IDLE_STEP = 1, 7  # 12.5 % busy between any two readings
MEMORY_PERCENT = 40.0
LOADAVG = "0.52 0.40 0.33 2/345 6789\n"


def fail(message):
    print(f"prometheus_scrape: FAIL: {message}", flush=True)
    sys.exit(1)


def die_with_parent():
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def bcrypt(password):
    # The crypt module (libxcrypt) makes bcrypt hashes; deprecated in 3.11, still present. Cost
    # 10: serve refuses less.
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        import crypt
    return crypt.crypt(password, crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=1 << 10))


def free_port():
    # Prometheus cannot be told port 0 and report it; this is the usual small race.
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_atomically(path, text):
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="ascii") as f:
        f.write(text)
    os.replace(tmp, path)


class QuietHandler(http.server.BaseHTTPRequestHandler):
    """A stand-in's request handler: no request log on stderr, and JSON answers in one call."""

    def log_message(self, *args):
        pass

    def answer_json(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def serve_in_background(handler_class):
    """A ThreadingHTTPServer on 127.0.0.1 and a free port, served by a daemon thread: it stops
    with the test process, whatever way the test ends."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler_class)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


class EchoProvider:
    """A provider on 127.0.0.1 that answers every request 429 with the bearer key it was sent
    in its error message, and remembers which keys it saw. Stops with the process."""

    def __init__(self):
        provider = self
        self.keys_seen = set()

        class Handler(QuietHandler):
            def do_GET(self):
                key = self.headers.get("Authorization", "").removeprefix("Bearer ")
                provider.keys_seen.add(key)
                self.answer_json(429, {"error": {"message": f"Rate limit reached for key {key}",
                                                 "type": "rate_limit_exceeded"}})

        self.server = serve_in_background(Handler)
        self.port = self.server.server_address[1]


class FakeProcfs:
    """stat, meminfo and loadavg; stat's counters advance every 10 ms in fixed steps, so the
    CPU share between any two readings is exactly CPU_BUSY_STEP / (busy + idle)."""

    def __init__(self, root):
        self.root = root
        self.stop = threading.Event()
        self.ticks = 1000
        total_kb = 16 * 1024 * 1024
        available_kb = int(total_kb * (100 - MEMORY_PERCENT) / 100)
        write_atomically(os.path.join(root, "meminfo"),
                         f"MemTotal:       {total_kb} kB\nMemFree:        {available_kb} kB\n"
                         f"MemAvailable:   {available_kb} kB\nBuffers:        0 kB\n"
                         f"Cached:         0 kB\n")
        write_atomically(os.path.join(root, "loadavg"), LOADAVG)
        self.advance()
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def advance(self):
        self.ticks += 1
        busy, idle = self.ticks * CPU_BUSY_STEP, self.ticks * CPU_IDLE_STEP
        line = lambda name, b, i: f"{name} {b} 0 0 {i} 0 0 0 0 0 0\n"
        text = line("cpu ", busy * 2, idle * 2) + line("cpu0", busy, idle) + line("cpu1", busy, idle)
        write_atomically(os.path.join(self.root, "stat"), text + "intr 0\nctxt 0\nbtime 0\n")

    def run(self):
        while not self.stop.wait(0.01):
            self.advance()


def start(argv, log_path, env=None):
    log = open(log_path, "wb")
    return subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, env=env,
                            preexec_fn=die_with_parent, stdin=subprocess.DEVNULL)


def wait_for(what, predicate, timeout, procs, logs):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        for name, proc in procs.items():
            if proc.poll() is not None:
                fail(f"{name} exited with status {proc.returncode} while waiting for {what}\n"
                     + tail(logs[name]))
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    fail(f"no {what} within {timeout} s\n" + "".join(tail(p) for p in logs.values()))


def tail(path, lines=15):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            text = f.read().splitlines()[-lines:]
    except OSError:
        return ""
    return f"--- {os.path.basename(path)} (last lines)\n" + "\n".join(text) + "\n"


def query(prom, expr):
    url = f"http://{prom}/api/v1/query?" + urllib.parse.urlencode({"query": expr})
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            answer = json.load(r)
    except OSError:
        return None  # not up yet
    if answer.get("status") != "success":
        fail(f"query {expr}: {answer}")
    return answer["data"]["result"]


def value_of(prom, expr):
    result = query(prom, expr)
    if not result:
        return None
    if len(result) != 1:
        fail(f"{expr}: expected one series, got {result}")
    return float(result[0]["value"][1])


def expect(prom, expr, wanted, tolerance=1e-9):
    got = value_of(prom, expr)
    if got is None or abs(got - wanted) > tolerance:
        fail(f"{expr} is {got}, expected {wanted}")
    print(f"prometheus_scrape: {expr} = {got:g}", flush=True)


def main(argv):
    if len(argv) not in (3, 4):
        sys.exit(__doc__)
    binary, fake_providers = os.path.abspath(argv[1]), os.path.abspath(argv[2])
    prometheus = argv[3] if len(argv) == 4 else "/usr/bin/prometheus"
    for path in (binary, fake_providers, prometheus):
        if not os.access(path, os.X_OK):
            fail(f"{path} is not an executable (apt-get install prometheus, make build)")
    signal.signal(signal.SIGALRM, lambda *_: fail(f"the run took over {RUN_LIMIT_S} s"))
    signal.alarm(RUN_LIMIT_S)

    work = tempfile.mkdtemp(prefix="prometheus_scrape.")
    procs, logs = {}, {}
    procfs = None
    t0 = time.monotonic()
    try:
        # The fake providers print a config naming their endpoints, then serve for 60 s.
        logs["fake-providers"] = os.path.join(work, "fake-providers.log")
        config = os.path.join(work, "config.toml")
        with open(config, "wb") as out:
            procs["fake-providers"] = subprocess.Popen(
                [fake_providers, "0", "60"], stdout=out, stderr=open(logs["fake-providers"], "wb"),
                preexec_fn=die_with_parent, stdin=subprocess.DEVNULL)
        wait_for("fake provider config", lambda: "moonshot" in open(config).read(), 10,
                 {"fake-providers": procs["fake-providers"]}, logs)
        time.sleep(0.1)  # the config is complete when the fake closes stdout; moonshot is last
        # A provider that echoes the key it was sent in its answer, as some providers' errors
        # do: a 429 (rate limited: the key works, the status stays healthy) whose message holds
        # the key whole. Without an echo, "the canary is stored nowhere" could not fail.
        echo = EchoProvider()
        with open(config, "a", encoding="ascii") as f:
            # The disk is the real one under the work directory: loose thresholds keep a
            # full build disk from turning the expected "healthy" into a warning.
            f.write("\n[thresholds]\ndisk_warning = 99.0\ndisk_critical = 99.5\n")
            f.write(f'\n[providers.echo]\nname = "Echo"\nenv_var = "ECHO_API_KEY"\n'
                    f'test_endpoint = "http://127.0.0.1:{echo.port}/v1/models"\n')
        os.mkdir(os.path.join(work, "proc"))
        procfs = FakeProcfs(os.path.join(work, "proc"))

        # Keys and a canary built at run time (no key-shaped literal in the repository).
        canary = "sk-" + "canary" + "".join(chr(ord("a") + (i * 7) % 26) for i in range(32))
        env = {k: v for k, v in os.environ.items()
               if k.lower() not in ("http_proxy", "https_proxy", "all_proxy", "no_proxy")}
        for var in ("TOGETHER", "ANTHROPIC", "OPENROUTER", "GOOGLE", "MOONSHOT"):
            env[f"{var}_API_KEY"] = f"scrape-test-{var.lower()}-" + "x" * 4
        env["OPENAI_API_KEY"] = canary
        env["ECHO_API_KEY"] = canary

        # An empty .env of its own: no key from a ./.env where ctest happens to run.
        env_file = os.path.join(work, "keys.env")
        open(env_file, "w").close()
        common = ["--config", config, "--env-file", env_file, "--procfs", procfs.root,
                  "--disk", work]

        def start_serve(name, *extra):
            logs[name] = os.path.join(work, f"{name}.log")
            procs[name] = start([binary, "serve", "--listen", "127.0.0.1:0", *common,
                                 "--report-dir", os.path.join(work, f"{name}-reports"), *extra],
                                logs[name], env)

            def listening():
                m = re.search(r"listening on (127\.0\.0\.1:\d+)", open(logs[name]).read())
                return m and m.group(1)
            return wait_for(f"'listening on' line from {name}", listening, 10, procs, logs)

        # The second exporter is the commented fleet variant of deploy/prometheus/scrape.yml:
        # HTTPS and basic auth from a node_exporter web config (self-signed certificate for
        # 127.0.0.1, a bcrypt hash of a password made at run time).
        tls_crt, tls_key = os.path.join(work, "tls.crt"), os.path.join(work, "tls.key")
        made = subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
             "-nodes", "-keyout", tls_key, "-out", tls_crt, "-days", "1", "-subj",
             "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
            capture_output=True, text=True)
        if made.returncode != 0:
            fail(f"openssl could not make a certificate: {made.stderr.strip()}")
        password = os.urandom(12).hex()
        with open(os.path.join(work, "password"), "w", encoding="ascii") as f:
            f.write(password)
        with open(os.path.join(work, "wrong-password"), "w", encoding="ascii") as f:
            f.write(password[::-1] + "x")
        with open(os.path.join(work, "web.yml"), "w", encoding="ascii") as f:
            f.write("tls_server_config:\n  cert_file: tls.crt\n  key_file: tls.key\n"
                    f"basic_auth_users:\n  prometheus: '{bcrypt(password)}'\n")

        exporter = start_serve("serve")
        exporter_tls = start_serve("serve-tls", "--web-config", os.path.join(work, "web.yml"))

        prom = f"127.0.0.1:{free_port()}"
        prom_config = os.path.join(work, "prometheus.yml")
        tls_job = ("    scheme: https\n"
                   f"    tls_config:\n      ca_file: {tls_crt}\n"
                   "    basic_auth:\n      username: prometheus\n"
                   "      password_file: {password_file}\n"
                   f"    static_configs:\n      - targets: ['{exporter_tls}']\n")
        with open(prom_config, "w", encoding="ascii") as f:
            f.write("global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
                    "scrape_configs:\n  - job_name: devops-monitor\n"
                    f"    static_configs:\n      - targets: ['{exporter}']\n"
                    "  - job_name: devops-monitor-tls\n"
                    + tls_job.format(password_file=os.path.join(work, "password"))
                    + "  - job_name: devops-monitor-wrong-password\n"
                    + tls_job.format(password_file=os.path.join(work, "wrong-password")))
        logs["prometheus"] = os.path.join(work, "prometheus.log")
        procs["prometheus"] = start(
            [prometheus, f"--config.file={prom_config}",
             f"--storage.tsdb.path={os.path.join(work, 'tsdb')}",
             f"--web.listen-address={prom}", "--log.level=warn"],
            logs["prometheus"])

        up = 'up{job="devops-monitor"}'
        up_tls = 'up{job="devops-monitor-tls"}'
        up_wrong = 'up{job="devops-monitor-wrong-password"}'
        wait_for(f"{up} == 1", lambda: value_of(prom, up) == 1, UP_WAIT_S, procs, logs)
        wait_for(f"{up_tls} == 1", lambda: value_of(prom, up_tls) == 1, UP_WAIT_S, procs, logs)
        wait_for(f"a scrape of {up_wrong}", lambda: value_of(prom, up_wrong) is not None,
                 UP_WAIT_S, procs, logs)
        print(f"prometheus_scrape: target up {time.monotonic() - t0:.1f} s after the start",
              flush=True)
        key_series = 'devops_monitor_api_key_state{job="devops-monitor",provider="openai",state="valid"}'
        # The key series exist from the first scrape after the first key round.
        wait_for(key_series, lambda: value_of(prom, key_series) is not None, UP_WAIT_S,
                 procs, logs)
        started = time.monotonic()

        job = 'job="devops-monitor"'
        expect(prom, up, 1)
        expect(prom, up_tls, 1)
        expect(prom, up_wrong, 0)
        with urllib.request.urlopen(f"http://{prom}/api/v1/targets", timeout=5) as r:
            targets = json.load(r)["data"]["activeTargets"]
        wrong = [t for t in targets if t["labels"]["job"] == "devops-monitor-wrong-password"]
        if not wrong or "401" not in wrong[0].get("lastError", ""):
            fail(f"a wrong password should be refused with 401, Prometheus says {wrong}")
        expect(prom, 'devops_monitor_status{job="devops-monitor-tls",component="overall"}', 0)
        expect(prom, 'devops_monitor_status{job="devops-monitor",component="overall"}', 0)
        expect(prom, 'devops_monitor_status{job="devops-monitor",component="api_keys"}', 0)
        expect(prom, key_series, 1)
        for state in ("invalid", "missing", "unknown", "quota_exhausted"):
            expect(prom, f'devops_monitor_api_key_state{{{job},provider="openai",state="{state}"}}', 0)
        expect(prom, f'count(devops_monitor_api_key_state{{{job},state="valid"}} == 1)', 6)
        expect(prom, f"devops_monitor_cpu_usage_ratio{{{job}}}", CPU_BUSY_STEP / (CPU_BUSY_STEP + CPU_IDLE_STEP))
        expect(prom, f"devops_monitor_memory_usage_ratio{{{job}}}", MEMORY_PERCENT / 100, 1e-6)
        expect(prom, f"devops_monitor_load15{{{job}}}", 0.33)
        # Key insight: Moonshot's balance (the fake serves balance_ok.json, USD on a
        # non-.cn host), OpenAI's two-model valid.json with nothing required.
        expect(prom, f'devops_monitor_api_key_credit_remaining{{{job},provider="moonshot",unit="USD"}}',
               49.58894, 1e-9)
        expect(prom, f'devops_monitor_api_key_models_available{{{job},provider="openai"}}', 2)
        expect(prom, f'devops_monitor_api_key_models_missing{{{job},provider="openai"}}', 0)
        expect(prom, f'devops_monitor_threshold_ratio{{{job},resource="disk",level="critical"}}', 0.995)
        expect(prom, f"devops_monitor_check_errors_total{{{job}}}", 0)
        expect(prom, f"count(devops_monitor_build_info{{{job}}})", 1)
        age = value_of(prom, f"time() - devops_monitor_last_success_timestamp_seconds{{{job}}}")
        if age is None or not -5 < age < 60:
            fail(f"devops_monitor_last_success_timestamp_seconds is {age} s old")

        # Scraped more than once: the series keep their samples (a second scrape, 1 s later).
        wait_for("a second scrape", lambda: (value_of(
            prom, 'count_over_time(up{job="devops-monitor"}[1m])') or 0) >= 2,
            max(1.0, 5 - (time.monotonic() - started)), procs, logs)

        # No stored series carries the canary key, whole or in part.
        url = f"http://{prom}/api/v1/series?" + urllib.parse.urlencode(
            {"match[]": '{job=~"devops-monitor.*"}'})
        with urllib.request.urlopen(url, timeout=5) as r:
            stored = r.read().decode()
        expect(prom, f'devops_monitor_api_key_state{{{job},provider="echo",state="rate_limited"}}', 1)
        if echo.keys_seen != {canary}:
            fail(f"the echoing provider was sent {len(echo.keys_seen)} keys, not the canary")
        with urllib.request.urlopen(f"http://{exporter}/report", timeout=5) as r:
            served_report = r.read().decode()
        pieces = [canary] + [canary[i:i + 8] for i in range(3, len(canary) - 7)]
        for where, text in [("a series stored by Prometheus", stored),
                            ("serve's /report", served_report)] + [
                (f"{name}'s log", open(logs[name], errors="replace").read())
                for name in ("serve", "serve-tls", "prometheus")]:
            if any(piece in text for piece in pieces):
                fail(f"a piece of the canary key is in {where}")

        # serve ends by SIGTERM within a second.
        procs["serve"].send_signal(signal.SIGTERM)
        try:
            procs["serve"].wait(timeout=2)
        except subprocess.TimeoutExpired:
            fail("serve still running 2 s after SIGTERM")
        series_count = len(json.loads(stored)["data"])
        print(f"prometheus_scrape: OK, {series_count} series scraped by Prometheus from {exporter}",
              flush=True)
        return 0
    finally:
        signal.alarm(0)
        if procfs:
            procfs.stop.set()
        for proc in procs.values():
            if proc.poll() is None:
                proc.kill()
            proc.wait()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
