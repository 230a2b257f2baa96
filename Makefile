# devops-monitor: the two commands of the README do all the set-up on a fresh Debian 12.
#   make run    install missing Debian packages (as root), configure, build, run a health check
#   make test   the same set-up, then the whole test suite (also under ASan/UBSan with clang)

BUILD_DIR    ?= build
SANITIZE_DIR ?= build-sanitize
JOBS         ?= 2

# Everything the build, the tests and the bench need, all from Debian's repositories.
PACKAGES := cmake ninja-build g++ clang pkg-config ca-certificates \
            libcurl4-openssl-dev libssl-dev nlohmann-json3-dev libcli11-dev libfmt-dev \
            libtomlplusplus-dev libcpp-httplib-dev libgtest-dev libgmock-dev \
            python3 python3-jsonschema python3-psutil openssl time libxml2-utils clang-format \
            ccache libfuse3-dev fuse3

.PHONY: all deps configure build run test test-unit test-sanitize format-check bench clean

all: build

deps:
	@missing=""; \
	for p in $(PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing Debian packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	  else \
	    echo "devops-monitor: missing Debian packages; run as root: apt-get install -y$$missing" >&2; \
	    exit 1; \
	  fi; \
	fi

$(BUILD_DIR)/build.ninja: CMakeLists.txt | deps
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDEVOPS_MONITOR_WERROR=ON

configure: deps $(BUILD_DIR)/build.ninja

build: configure
	cmake --build $(BUILD_DIR) -j $(JOBS)

# A check with the defaults; make succeeds whenever the check ran (exit 0, 1 or 2),
# whatever the health it found.
run: build
	@./$(BUILD_DIR)/devops-monitor --check; status=$$?; \
	if [ $$status -le 2 ]; then echo "(devops-monitor exit status $$status)"; else exit $$status; fi

test: build format-check
	ctest --test-dir $(BUILD_DIR) --output-on-failure -j $(JOBS)
	$(MAKE) --no-print-directory test-sanitize

# The whole suite again, built with clang 14 under AddressSanitizer and UBSan.
test-sanitize: deps
	CC=clang CXX=clang++ cmake -S . -B $(SANITIZE_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Debug \
	  -DDEVOPS_MONITOR_WERROR=ON -DDEVOPS_MONITOR_SANITIZE=ON
	cmake --build $(SANITIZE_DIR) -j $(JOBS)
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  ctest --test-dir $(SANITIZE_DIR) --output-on-failure -j $(JOBS)

format-check: deps
	@files=$$(git ls-files '*.cpp' '*.hpp' '*.hpp.in' 2>/dev/null); \
	if [ -n "$$files" ]; then clang-format --dry-run --Werror $$files; fi

bench: build
	bench/check_speed.sh $(BUILD_DIR)

clean:
	rm -rf $(BUILD_DIR) $(SANITIZE_DIR)
