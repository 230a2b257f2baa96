#!/usr/bin/env python3
"""alertmanager_e2e.py BINARY PROMETHEUS ALERTMANAGER DEPLOY_DIR

What a person receives from a fleet (ctest deploy.alertmanager.end_to_end). On loopback, at
ports chosen at run time: eleven `devops-monitor serve` instances, the real Prometheus with
DEPLOY_DIR/prometheus/alerts.yml, the real Alertmanager with
DEPLOY_DIR/alertmanager/alertmanager.yml, and a webhook receiver (a small HTTP server here
that records each notification). Five instances are critical by their own config (a memory
threshold below the fake procfs' 40 %) and hold an invalid key; five are healthy with a
valid key; one flaps (its procfs' memory goes 40 % -> 95 % -> 40 % -> 95 %, healthy
periods shorter than the rules' keep_firing_for). Then:

  1. the first notification is one for DevopsMonitorCritical naming the five critical
     instances, nothing else;
  2. one critical instance is killed and restarted on the same port with the same config:
     Prometheus sees it down, then up without an overall status (its first key round is
     running), then critical again; no 'resolved' and no new firing reaches the receiver
     (its startsAt never changes);
  3. the flapping instance is announced once, in the group's next notification, and never
     resolved;
  4. nothing names a healthy instance, and the invalid keys of the critical hosts are held
     back by inhibition (Alertmanager has them, inhibited by DevopsMonitorCritical).

Only timings and addresses differ from the shipped files, in temporary copies: scrape and
evaluation every 1 s; every `for:` and `keep_firing_for:` of the rules divided by
TIME_SCALE (5m -> 15 s); Alertmanager's group_wait, group_interval and repeat_interval set
below; the webhook URL pointed at the receiver. The key stand-in answers after KEY_DELAY_S
so that a restarted serve's first round is long enough for a scrape to see it.

Every process it starts dies with it (PR_SET_PDEATHSIG, killed in `finally`), the whole run
is bounded by an alarm. Prints "alertmanager_e2e: OK ..." on success; about 35 s.
"""
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request

import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from prometheus_scrape import (QuietHandler, die_with_parent, free_port,  # noqa: E402
                               serve_in_background, tail, write_atomically)

RUN_LIMIT_S = 100  # ctest's TIMEOUT is 120
TIME_SCALE = 20  # rule durations: a minute of the shipped rules is 3 s here
KEY_DELAY_S = 2.0
GROUP_WAIT, GROUP_INTERVAL = "3s", "6s"
GROUP_INTERVAL_S = 6
CRITICAL, HEALTHY, FLAPPING = "critical", "healthy", "flapping"
MEMORY_OK, MEMORY_FULL = 40.0, 95.0


def fail(message):
    print(f"alertmanager_e2e: FAIL: {message}", flush=True)
    sys.exit(1)


def say(message):
    print(f"alertmanager_e2e: {message}", flush=True)


class KeyProvider:
    """A provider whose model list answers a key starting with "good" and rejects any other
    (401), each after KEY_DELAY_S."""

    def __init__(self):
        class Handler(QuietHandler):
            def do_GET(self):
                key = self.headers.get("Authorization", "").removeprefix("Bearer ")
                time.sleep(KEY_DELAY_S)
                if key.startswith("good"):
                    self.answer_json(200, {"object": "list",
                                           "data": [{"id": "m1", "object": "model"}]})
                else:
                    self.answer_json(401, {"error": {"message": "Incorrect API key provided",
                                                     "type": "invalid_request_error"}})

        self.server = serve_in_background(Handler)
        self.port = self.server.server_address[1]


class WebhookReceiver:
    """Records each notification Alertmanager posts (its webhook JSON), in arrival order."""

    def __init__(self):
        self.notifications = []
        self.lock = threading.Lock()
        receiver = self

        class Handler(QuietHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                with receiver.lock:
                    receiver.notifications.append(json.loads(body))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.server = serve_in_background(Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/devops-monitor"

    def received(self):
        with self.lock:
            return list(self.notifications)


class Procfs:
    """One stat and loadavg for all instances (stat's counters advance every 20 ms: 12.5 %
    CPU), and a meminfo per instance, so that one instance's memory can change alone."""

    def __init__(self, root):
        self.root = root
        self.shared = os.path.join(root, "shared")
        os.makedirs(self.shared)
        write_atomically(os.path.join(self.shared, "loadavg"), "0.52 0.40 0.33 2/345 6789\n")
        self.ticks = 1000
        self.advance()
        self.stop = threading.Event()
        threading.Thread(target=self.run, daemon=True).start()

    def advance(self):
        self.ticks += 1
        busy, idle = self.ticks, self.ticks * 7
        line = lambda name, b, i: f"{name} {b} 0 0 {i} 0 0 0 0 0 0\n"
        text = line("cpu ", busy * 2, idle * 2) + line("cpu0", busy, idle) + line("cpu1", busy, idle)
        write_atomically(os.path.join(self.shared, "stat"), text + "intr 0\nctxt 0\nbtime 0\n")

    def run(self):
        while not self.stop.wait(0.02):
            self.advance()

    def add(self, name):
        path = os.path.join(self.root, name)
        os.mkdir(path)
        for shared in ("stat", "loadavg"):
            os.symlink(os.path.join(self.shared, shared), os.path.join(path, shared))
        self.set_memory(name, MEMORY_OK)
        return path

    def set_memory(self, name, percent):
        total_kb = 16 * 1024 * 1024
        available_kb = int(total_kb * (100 - percent) / 100)
        write_atomically(os.path.join(self.root, name, "meminfo"),
                         f"MemTotal:       {total_kb} kB\nMemFree:        {available_kb} kB\n"
                         f"MemAvailable:   {available_kb} kB\nBuffers:        0 kB\n"
                         f"Cached:         0 kB\n")


def scaled_rules(source, target):
    """The shipped rules with every `for` and `keep_firing_for` divided by TIME_SCALE."""
    with open(source, encoding="utf-8") as f:
        rules = yaml.safe_load(f)
    units = {"s": 1, "m": 60, "h": 3600}
    for group in rules["groups"]:
        for rule in group["rules"]:
            for field in ("for", "keep_firing_for"):
                if field in rule:
                    m = re.fullmatch(r"(\d+)([smh])", rule[field])
                    if not m:
                        fail(f"{source}: {rule['alert']}: {field} {rule[field]!r} is not N[smh]")
                    rule[field] = f"{int(m.group(1)) * units[m.group(2)] // TIME_SCALE}s"
    with open(target, "w", encoding="utf-8") as f:
        yaml.safe_dump(rules, f, sort_keys=False)
    return rules


def test_alertmanager_config(source, target, webhook_url):
    """The shipped configuration with the test's timings and the receiver's URL."""
    with open(source, encoding="utf-8") as f:
        config = yaml.safe_load(f)
    config["route"].update(group_wait=GROUP_WAIT, group_interval=GROUP_INTERVAL,
                           repeat_interval="1h")
    for receiver in config["receivers"]:
        for webhook in receiver.get("webhook_configs", []):
            webhook["url"] = webhook_url
    with open(target, "w", encoding="utf-8") as f:
        yaml.safe_dump(config, f, sort_keys=False)
    return config


class Fleet:
    def __init__(self, work):
        self.work = work
        self.procs, self.logs = {}, {}

    def start(self, name, argv, env=None):
        self.logs[name] = os.path.join(self.work, f"{name}.log")
        log = open(self.logs[name], "ab")
        self.procs[name] = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, env=env,
                                            stdin=subprocess.DEVNULL, preexec_fn=die_with_parent)
        log.close()

    def check_alive(self, what):
        for name, proc in self.procs.items():
            if proc.poll() is not None:
                fail(f"{name} exited with status {proc.returncode} while waiting for {what}\n"
                     + tail(self.logs[name]))

    def wait_for(self, what, predicate, timeout):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            self.check_alive(what)
            value = predicate()
            if value:
                return value
            time.sleep(0.2)
        fail(f"no {what} within {timeout} s\n" + "".join(tail(p, 6) for p in self.logs.values()))

    def stop_all(self):
        for proc in self.procs.values():
            if proc.poll() is None:
                proc.kill()
            proc.wait()


def get_json(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return json.load(r)
    except OSError:
        return None  # not up yet


def query(prom, expr):
    answer = get_json(f"http://{prom}/api/v1/query?" + urllib.parse.urlencode({"query": expr}))
    if answer is None:
        return None
    if answer.get("status") != "success":
        fail(f"query {expr}: {answer}")
    return answer["data"]["result"]


def healthz_ok(address):
    try:
        with urllib.request.urlopen(f"http://{address}/healthz", timeout=2) as r:
            return r.status == 200
    except OSError:
        return False


def instances_of(notification):
    return sorted(a["labels"]["instance"] for a in notification["alerts"])


def describe(notification):
    alerts = ", ".join(f"{a['labels']['alertname']} {a['labels']['instance']} {a['status']}"
                       for a in notification["alerts"])
    return f"{notification['status']} {notification['groupLabels']}: {alerts}"


def main(argv):
    if len(argv) != 5:
        sys.exit(__doc__)
    binary, prometheus, alertmanager = (os.path.abspath(p) for p in argv[1:4])
    deploy = os.path.abspath(argv[4])
    for path in (binary, prometheus, alertmanager):
        if not os.access(path, os.X_OK):
            fail(f"{path} is not an executable (apt-get install prometheus prometheus-alertmanager)")
    signal.signal(signal.SIGALRM, lambda *_: fail(f"the run took over {RUN_LIMIT_S} s"))
    signal.alarm(RUN_LIMIT_S)
    t0 = time.monotonic()
    work = tempfile.mkdtemp(prefix="alertmanager_e2e.")
    fleet = Fleet(work)
    procfs = None
    try:
        provider = KeyProvider()
        receiver = WebhookReceiver()
        procfs = Procfs(os.path.join(work, "proc"))
        env_file = os.path.join(work, "keys.env")  # empty: no key from a ./.env
        open(env_file, "w").close()
        base_env = {k: v for k, v in os.environ.items()
                    if not k.endswith("_API_KEY")
                    and k.lower() not in ("http_proxy", "https_proxy", "all_proxy", "no_proxy")}

        def config_for(kind):
            path = os.path.join(work, f"{kind}.toml")
            # The disk is the real one under the work directory: loose thresholds keep a
            # full build disk out of it. The critical hosts are critical by their own
            # memory threshold, below the procfs' 40 %.
            memory = "memory_warning = 20.0\nmemory_critical = 30.0\n" if kind == CRITICAL else ""
            with open(path, "w", encoding="ascii") as f:
                f.write(f"[thresholds]\ndisk_warning = 99.0\ndisk_critical = 99.5\n{memory}"
                        f'\n[providers.fleet]\nname = "Fleet"\nenv_var = "FLEET_API_KEY"\n'
                        f'test_endpoint = "http://127.0.0.1:{provider.port}/v1/models"\n')
            return path

        configs = {kind: config_for(kind) for kind in (CRITICAL, HEALTHY)}
        kinds = {f"c{i}": CRITICAL for i in range(1, 6)}
        kinds.update({f"h{i}": HEALTHY for i in range(1, 6)})
        kinds["flap"] = FLAPPING
        serve_args = {}
        addresses = {}
        for name, kind in kinds.items():
            env = dict(base_env, FLEET_API_KEY=("bad" if kind == CRITICAL else "good") + "-" + name)
            serve_args[name] = ([binary, "serve", "--config",
                                 configs[CRITICAL if kind == CRITICAL else HEALTHY],
                                 "--env-file", env_file, "--procfs", procfs.add(name),
                                 "--disk", work, "--no-save",
                                 "--report-dir", os.path.join(work, f"{name}-reports")], env)
            argv, env = serve_args[name]
            fleet.start(name, argv + ["--listen", "127.0.0.1:0"], env)
        for name in kinds:
            def listening(name=name):
                m = re.search(r"listening on (127\.0\.0\.1:\d+)", open(fleet.logs[name]).read())
                return m and m.group(1)
            addresses[name] = fleet.wait_for(f"'listening on' from {name}", listening, 15)
        critical = sorted(addresses[n] for n, k in kinds.items() if k == CRITICAL)
        healthy = sorted(addresses[n] for n, k in kinds.items() if k == HEALTHY)
        flapper = addresses["flap"]
        # Each has judged its key once: Prometheus' first scrapes see the whole fleet.
        fleet.wait_for("/healthz 200 from every serve",
                       lambda: all(healthz_ok(a) for a in addresses.values()), 20)
        say(f"{len(addresses)} serve instances ready {time.monotonic() - t0:.1f} s after the start")

        am = f"127.0.0.1:{free_port()}"
        am_config = os.path.join(work, "alertmanager.yml")
        test_alertmanager_config(os.path.join(deploy, "alertmanager", "alertmanager.yml"),
                                 am_config, receiver.url)
        fleet.start("alertmanager", [alertmanager, f"--config.file={am_config}",
                                     f"--storage.path={os.path.join(work, 'am')}",
                                     f"--web.listen-address={am}", "--cluster.listen-address=",
                                     "--log.level=warn"])
        fleet.wait_for("Alertmanager ready", lambda: get_json(f"http://{am}/api/v2/status"), 20)

        rules = os.path.join(work, "alerts.yml")
        scaled_rules(os.path.join(deploy, "prometheus", "alerts.yml"), rules)
        prom = f"127.0.0.1:{free_port()}"
        prom_config = os.path.join(work, "prometheus.yml")
        with open(prom_config, "w", encoding="ascii") as f:
            yaml.safe_dump({
                "global": {"scrape_interval": "1s", "evaluation_interval": "1s"},
                "rule_files": [rules],
                "alerting": {"alertmanagers": [{"static_configs": [{"targets": [am]}]}]},
                "scrape_configs": [{"job_name": "devops-monitor",
                                    "static_configs": [{"targets": list(addresses.values())}]}],
            }, f, sort_keys=False)
        fleet.start("prometheus", [prometheus, f"--config.file={prom_config}",
                                   f"--storage.tsdb.path={os.path.join(work, 'tsdb')}",
                                   f"--web.listen-address={prom}", "--log.level=warn"])

        # 1. One notification for the incident on five hosts.
        first = fleet.wait_for("a first notification", receiver.received, 30)[0]
        say(f"first notification {time.monotonic() - t0:.1f} s after the start: {describe(first)}")
        if first["groupLabels"] != {"alertname": "DevopsMonitorCritical"}:
            fail(f"the first notification is not the critical group: {describe(first)}")
        if instances_of(first) != critical or any(a["status"] != "firing" for a in first["alerts"]):
            fail(f"the first notification should name the 5 critical instances {critical}, "
                 f"firing: {describe(first)}")
        started_at = {a["labels"]["instance"]: a["startsAt"] for a in first["alerts"]}

        # 2. A critical instance restarts: down for a scrape or more, up without an overall
        # status during its first key round, then critical again.
        restarted = addresses["c1"]
        killed = fleet.procs.pop("c1")
        killed.kill()
        killed.wait()
        fleet.wait_for(f"up == 0 for {restarted}",
                       lambda: query(prom, f'up{{instance="{restarted}"}} == 0'), 10)
        argv, env = serve_args["c1"]
        fleet.start("c1", argv + ["--listen", restarted], env)
        before_round = (f'up{{instance="{restarted}"}} == 1 unless on(instance) '
                        f'devops_monitor_status{{component="overall"}}')
        fleet.wait_for(f"a scrape of {restarted} before its first round", lambda: query(prom, before_round), 10)
        fleet.wait_for(f"{restarted} critical again", lambda: query(
            prom, f'devops_monitor_status{{instance="{restarted}",component="overall"}} == 2'), 15)
        say(f"{restarted} restarted: seen down, then up with no overall status, then critical")

        # 3. The flapping instance: critical, then healthy and critical twice, ending critical.
        firing = 'ALERTS{alertname="DevopsMonitorCritical",alertstate="firing",instance="%s"}'
        for percent in (MEMORY_FULL, MEMORY_OK, MEMORY_FULL, MEMORY_OK, MEMORY_FULL):
            procfs.set_memory("flap", percent)
            status = 2 if percent == MEMORY_FULL else 0
            fleet.wait_for(f"{flapper} overall status {status}", lambda: query(
                prom, f'devops_monitor_status{{instance="{flapper}",component="overall"}} == {status}'), 10)
            if status == 2:
                fleet.wait_for(f"{flapper}'s alert firing", lambda: query(prom, firing % flapper), 10)
            time.sleep(1.0)
        flapped_at = time.monotonic()
        say(f"{flapper} flapped (critical, healthy, critical, healthy, critical)")

        # The group's next notification adds the flapping host; after it, quiet.
        fleet.wait_for("a notification naming the flapping instance", lambda: any(
            flapper in instances_of(n) for n in receiver.received()), 2 * GROUP_INTERVAL_S + 5)
        quiet_until = max(time.monotonic(), flapped_at) + GROUP_INTERVAL_S + 3
        while time.monotonic() < quiet_until:
            fleet.check_alive("the quiet period")
            time.sleep(0.5)

        got = receiver.received()
        for i, notification in enumerate(got):
            say(f"notification {i + 1}: {describe(notification)}")
        if len(got) != 2:
            fail(f"expected 2 notifications (the incident, the flapping host joining it), got {len(got)}")
        second = got[1]
        if second["groupLabels"] != {"alertname": "DevopsMonitorCritical"} or \
                instances_of(second) != sorted(critical + [flapper]) or \
                any(a["status"] != "firing" for a in second["alerts"]):
            fail(f"the second notification should name the critical and the flapping instances, "
                 f"all firing: {describe(second)}")
        for a in second["alerts"]:
            where = a["labels"]["instance"]
            if where in started_at and a["startsAt"] != started_at[where]:
                fail(f"{where}'s alert started anew ({started_at[where]} -> {a['startsAt']}): "
                     f"a restart or a flap was announced as a new incident")
        named = {i for n in got for i in instances_of(n)}
        if named & set(healthy):
            fail(f"a healthy instance was notified: {sorted(named & set(healthy))}")

        # 4. The critical hosts' invalid keys reached Alertmanager and are inhibited.
        keys = get_json(f"http://{am}/api/v2/alerts?" + urllib.parse.urlencode(
            {"filter": 'alertname="DevopsMonitorApiKeyInvalid"'})) or []
        inhibited = sorted(a["labels"]["instance"] for a in keys if a["status"]["inhibitedBy"])
        if inhibited != critical:
            fail(f"DevopsMonitorApiKeyInvalid should be inhibited on {critical}, Alertmanager "
                 f"has {[(a['labels']['instance'], a['status']) for a in keys]}")

        say("first notification as received:\n" + json.dumps(first, indent=2))
        say(f"OK, {len(got)} notifications for {len(critical) + 1} critical of {len(addresses)} "
            f"instances in {time.monotonic() - t0:.1f} s")
        return 0
    finally:
        signal.alarm(0)
        if procfs:
            procfs.stop.set()
        fleet.stop_all()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
