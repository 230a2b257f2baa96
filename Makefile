# devops-monitor: the two commands of the README do all the set-up on a fresh Debian 12.
#   make run    install missing Debian packages (as root), configure, build, run a health check
#   make install  the tool, its manual page, the library (headers, CMake and pkg-config files)
#               and the Python package under PREFIX (/usr/local); DESTDIR is honoured
#   make test   the same set-up, then the whole test suite: the outside components and the
#               fault sweep in the gcc build; unit and behaviour tests, the sampled fault
#               sweep and each libFuzzer target (1 s) under ASan/UBSan with clang
#   make fuzz   every libFuzzer target for FUZZ_SECONDS (60) seconds (docs/fuzzing.md)

BUILD_DIR    ?= build
PREFIX       ?= /usr/local
SANITIZE_DIR ?= build-sanitize
RELEASE_DIR  ?= build-release
JOBS         ?= 2
# Tests mostly wait (on child processes, servers, timeouts): more of them than cores at once.
TEST_JOBS    ?= 4
FUZZ_SECONDS ?= 60
# Unity batches: a clean build in a third of the time (docs/design.md, "Build time").
UNITY        := -DCMAKE_UNITY_BUILD=ON -DCMAKE_UNITY_BUILD_BATCH_SIZE=16

# npm, for the workflow validator (tools/): the machine's own Node.js when it has one, else
# Debian's.
NODE_PACKAGES := $(if $(shell command -v npm 2>/dev/null),,nodejs npm)

# Everything the build, the tests and the bench need, all from Debian's repositories.
# libclang-rt-14-dev: the sanitizer and libFuzzer runtimes of clang 14 (fuzz/).
# prometheus: promtool (deploy/prometheus tests; Debian has no promtool package) and the real
#   server the scrape test starts on loopback.
#   The packages are tools here, never services: during the install a policy-rc.d keeps
#   their services from starting, and Prometheus' service is disabled afterwards.
# systemd: systemd-analyze for the deploy/systemd tests (minimal containers lack it).
# prometheus-node-exporter, wrk: the peer and the load generator of bench/serve_speed.sh.
# libyaml-cpp-dev: serve's --web-config is node_exporter's YAML web configuration file.
# libmicrohttpd-dev: serve's HTTP(S) server, a maintained library used through its public API.
#   Its TLS is GnuTLS, which libcurl's librtmp already loads; libgnutls28-dev: serve checks the
#   web config's TLS files with GnuTLS before the server starts.
# libvectorscan-dev: scan's prefilter, the rules' literal prefixes in one SIMD literal database.
# jq: the peer of bench/history_speed.sh.
# groff-base: the manual page is checked to render without a warning (tests/install/).
# prometheus-alertmanager: amtool checks deploy/alertmanager; the real Alertmanager receives the
#   real Prometheus' alerts in the end-to-end test (tests/deploy/alertmanager_e2e.py). A tool
#   here too: its service is disabled after the install, and the test uses its own ports.
# chromium, python3-websocket: the status page is tested in a real browser, headless Chromium
#   driven over the DevTools protocol (tests/browser/status_page_browser.py).
# pybind11-dev, python3-dev: the Python package's extension (python/); python3-pytest runs its
#   tests; python3-venv, python3-pip, python3-setuptools: `pip install --no-build-isolation .`
#   into a venv or a --target directory, as docs/library.md shows (no Python package index needed).
# git, pre-commit: `scan` reads ignore rules, the index and history through git itself, and its
#   hook is tested under the real pre-commit framework (.pre-commit-hooks.yaml).
PACKAGES := cmake ninja-build g++ clang libclang-rt-14-dev pkg-config ca-certificates \
            libcurl4-openssl-dev libssl-dev nlohmann-json3-dev libcli11-dev libfmt-dev \
            libtomlplusplus-dev libcpp-httplib-dev libgtest-dev libgmock-dev \
            python3 python3-jsonschema python3-psutil openssl time libxml2-utils clang-format \
            ccache libfuse3-dev fuse3 python3-yaml prometheus systemd ripgrep \
            prometheus-node-exporter wrk libyaml-cpp-dev libmicrohttpd-dev libgnutls28-dev \
            jq chromium python3-websocket \
            pybind11-dev python3-dev python3-pytest python3-venv python3-pip python3-setuptools \
            groff-base prometheus-alertmanager git pre-commit libvectorscan-dev \
            $(NODE_PACKAGES)
ACTION_VALIDATOR := tools/node_modules/.bin/action-validator

.PHONY: all deps tools configure build run install test build-sanitize test-sanitize fuzz \
        format-check bench bench-scan bench-scan-quick bench-serve bench-serve-release bench-history bench-python clean

all: build

deps:
	@missing=""; \
	for p in $(PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing Debian packages:$$missing"; \
	    if [ ! -e /usr/sbin/policy-rc.d ]; then \
	      printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d; \
	      trap 'rm -f /usr/sbin/policy-rc.d' EXIT; \
	    fi; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing || exit 1; \
	    case " $$missing " in *" prometheus "*) systemctl disable prometheus.service >/dev/null 2>&1 || true;; esac; \
	    case " $$missing " in *" prometheus-node-exporter "*) systemctl disable prometheus-node-exporter.service >/dev/null 2>&1 || true;; esac; \
	    case " $$missing " in *" prometheus-alertmanager "*) systemctl disable prometheus-alertmanager.service >/dev/null 2>&1 || true;; esac; \
	  else \
	    echo "devops-monitor: missing Debian packages; run as root: apt-get install -y$$missing" >&2; \
	    exit 1; \
	  fi; \
	fi

# Development tools from the npm registry, at the versions tools/package-lock.json pins.
tools: $(ACTION_VALIDATOR)

$(ACTION_VALIDATOR): tools/package.json tools/package-lock.json | deps
	cd tools && npm ci --no-audit --no-fund --loglevel=error
	touch $@

# The unit and behaviour suites are built and run in the sanitizer build only (test below).
$(BUILD_DIR)/build.ninja: CMakeLists.txt | deps
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=MinSizeRel -DDEVOPS_MONITOR_WERROR=ON $(UNITY) \
	  -DDEVOPS_MONITOR_UNIT_AND_BEHAVIOUR_TESTS=OFF

configure: deps $(BUILD_DIR)/build.ninja

build: configure
	cmake --build $(BUILD_DIR) -j $(JOBS)

# A check with the defaults; make succeeds whenever the check ran (exit 0, 1 or 2),
# whatever the health it found.
run: build
	@./$(BUILD_DIR)/devops-monitor --check; status=$$?; \
	if [ $$status -le 2 ]; then echo "(devops-monitor exit status $$status)"; else exit $$status; fi

# Exactly what `cmake --install $(BUILD_DIR)` installs, under PREFIX (never into a directory
# the Debian package manager owns); DESTDIR=/tmp/x stages it there instead.
install: build
	DESTDIR="$(DESTDIR)" cmake --install $(BUILD_DIR) --prefix "$(PREFIX)"

# The gcc build (the binary `make run` ships) runs what needs that binary or that compiler:
# the outside components (workflows, deploy files, real Prometheus and Chromium), the installed
# package, the Python package and the full fault sweep (every N of "the Nth call fails"). The
# unit and behaviour suites run once, in the sanitizer build, which also fuzzes: building and
# running everything twice would not fit a clean clone's 10 minutes on 2 cores.
# DEVOPS_MONITOR_NO_SKIPS: a test that cannot run here (no root, no mount namespaces, no IPv6
# loopback) fails instead of skipping: nothing passes silently.
test: build tools format-check
	DEVOPS_MONITOR_NO_SKIPS=1 ctest --test-dir $(BUILD_DIR) --output-on-failure -j $(TEST_JOBS)
	$(MAKE) --no-print-directory test-sanitize

# The clang 14 build under AddressSanitizer and UBSan; it also builds the libFuzzer targets.
build-sanitize: deps
	CC=clang CXX=clang++ cmake -S . -B $(SANITIZE_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Debug \
	  -DDEVOPS_MONITOR_WERROR=ON -DDEVOPS_MONITOR_SANITIZE=ON $(UNITY)
	cmake --build $(SANITIZE_DIR) -j $(JOBS)

# The suite in that build: unit and behaviour tests, the sampled fault sweep, each fuzz target
# for 1 second (its corpus and a little more; `make fuzz` fuzzes for real); the tests of
# outside components (label "components") ran in the gcc build (tests/CMakeLists.txt).
test-sanitize: build-sanitize tools
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 FUZZ_SECONDS=1 \
	  DEVOPS_MONITOR_NO_SKIPS=1 ctest --test-dir $(SANITIZE_DIR) --output-on-failure \
	  -j $(TEST_JOBS) -LE components

# Every fuzz target for FUZZ_SECONDS seconds each. The corpora grow in
# $(SANITIZE_DIR)/fuzz-corpus across runs (never in fuzz/corpus); crashing inputs are saved
# in $(SANITIZE_DIR)/fuzz/artifacts.
fuzz: build-sanitize
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 FUZZ_SECONDS=$(FUZZ_SECONDS) \
	  FUZZ_CORPUS_ROOT=$(abspath $(SANITIZE_DIR))/fuzz-corpus \
	  ctest --test-dir $(SANITIZE_DIR) -L fuzz --output-on-failure -j $(JOBS)

format-check: deps
	@files=$$(git ls-files '*.cpp' '*.hpp' '*.hpp.in' 2>/dev/null); \
	if [ -n "$$files" ]; then clang-format --dry-run --Werror $$files; fi

bench: build
	bench/check_speed.sh $(BUILD_DIR)

# devops-monitor scan against grep -rE, rg -j2 (ripgrep package) and secretlint (bench/node) on
# a generated tree of SCAN_MB MB, then recall on the key corpus (bench/scan_recall.sh), then
# scan --staged in a 10,000-file repository (bench/scan_staged.sh). bench-scan-quick: a 100 MB
# tree, 3 runs.
SCAN_MB   ?= 1024
SCAN_RUNS ?= 5
bench-scan: build
	bench/scan_speed.sh $(BUILD_DIR) $(SCAN_MB) $(SCAN_RUNS)
	bench/scan_recall.sh $(BUILD_DIR)
	bench/scan_staged.sh $(BUILD_DIR)

bench-scan-quick:
	$(MAKE) bench-scan SCAN_MB=100 SCAN_RUNS=3

# devops-monitor serve beside prometheus-node-exporter (latency over one kept-alive
# connection, wrk -c32, RSS), and watch's idle CPU; serve's targets are ratios to
# node_exporter's figures of the same run.
bench-serve: build
	bench/serve_speed.sh $(BUILD_DIR)

# The same bench on a plain -DCMAKE_BUILD_TYPE=Release build, where the targets must hold too.
bench-serve-release: deps
	cmake -S . -B $(RELEASE_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release
	cmake --build $(RELEASE_DIR) -j $(JOBS) --target devops-monitor fake-providers
	bench/serve_speed.sh $(RELEASE_DIR)

# devops-monitor history over 2,160 generated hourly reports against a jq one-liner.
bench-history: build
	bench/history_speed.sh $(BUILD_DIR)

# The Python package: DevOpsMonitor().perform_health_check() beside the command, and import time.
bench-python: build
	bench/python_speed.sh $(BUILD_DIR)

clean:
	rm -rf $(BUILD_DIR) $(SANITIZE_DIR) $(RELEASE_DIR)
