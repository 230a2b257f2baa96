// The dashboard's imperative shell: the terminal (cbreak mode, the alternate screen, the
// cursor), the keyboard, the signals and the one-second redraw. The library measures, checks
// and renders; this file only moves lines to the terminal.
//
// Signals are blocked in every thread (app/daemon.hpp), SIGWINCH too, and read from a
// signalfd: one poll() then waits for a key, a signal or the next second, using no CPU in
// between, and no handler ever runs in the middle of a redraw.
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <termios.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <memory>

#include "command.hpp"
#include "daemon.hpp"
#include "devops_monitor/dashboard.hpp"
#include "devops_monitor/text.hpp"
#include "flags.hpp"
#include "output.hpp"

namespace devops_monitor::cli {
namespace {

using DashboardClock = std::chrono::steady_clock;

constexpr const char* kDashboardFooter =
    "A full-screen view, redrawn every second: the overall status, CPU, memory and each\n"
    "disk as bars with the warning and critical thresholds marked, the load, and a row per\n"
    "enabled provider (with or without a key) with its state, latency and its last checks\n"
    "as a sparkline (from the reports already in the report directory, then this session's),\n"
    "the time of the next key check and the last error. System figures are measured every\n"
    "second; keys are checked at start and then every --interval on a thread of their own,\n"
    "so a slow provider never holds the screen. The dashboard writes no reports.\n"
    "Keys: q quits. A resize redraws at the new size. SIGTERM or SIGINT (Ctrl-C) end it and\n"
    "restore the terminal. Colours unless NO_COLOR is set; block characters in a UTF-8\n"
    "locale, ASCII otherwise.\n"
    "--simple (and stdout that is not a terminal, or TERM=dumb): a plain summary at start\n"
    "and after each key round, flushed, without escape codes.\n"
    "Exit status: 0 after q, SIGTERM or SIGINT; 3 could not start (bad flag or config,\n"
    "unreadable procfs).\n"
    "Examples:\n"
    "  devops-monitor dashboard\n"
    "  devops-monitor dashboard --interval 30s --disk / --disk /var\n"
    "  devops-monitor dashboard --simple --interval 5m >> dashboard.log";

struct DashboardFlags {
  SettingsFlags settings;
  std::optional<std::string> interval;
  bool simple = false;
};

constexpr Milliseconds kDefaultDashboardInterval{60000};
constexpr std::chrono::milliseconds kRedrawEvery{1000};
/// How often --simple looks whether a key round has ended (and for SIGTERM/SIGINT).
constexpr std::chrono::milliseconds kSimplePoll{200};

// Alternate screen, cursor hidden, screen cleared; and back: attributes reset, cursor shown,
// main screen. The restore sequence is the last thing the dashboard writes.
constexpr std::string_view kEnterScreen = "\x1b[?1049h\x1b[?25l\x1b[2J";
constexpr std::string_view kLeaveScreen = "\x1b[0m\x1b[?25h\x1b[?1049l";

bool write_to_terminal(int fd, std::string_view text) {
  while (!text.empty()) {
    const ssize_t n = ::write(fd, text.data(), text.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    text.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

/// The threads may still be inside a provider request or a stuck disk probe (stop() lets
/// them go after a moment); returning from main would destroy what they use. The dashboard
/// keeps nothing on disk, so leaving with _exit loses nothing.
[[noreturn]] void leave_dashboard_now(int status) {
  std::fflush(stdout);
  std::fflush(stderr);
  ::_exit(status);
}

bool is_utf8_locale() {
  for (const char* name : {"LC_ALL", "LC_CTYPE", "LANG"}) {
    const char* value = std::getenv(name);
    if (value == nullptr || value[0] == '\0') continue;
    std::string text(value);
    for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return text.find("utf-8") != std::string::npos || text.find("utf8") != std::string::npos;
  }
  return false;
}

bool dashboard_colour() {
  const char* no_color = std::getenv("NO_COLOR");
  return no_color == nullptr || no_color[0] == '\0';
}

/// A terminal that cannot take cursor movement gets the plain summary.
bool screen_capable_terminal() {
  const char* term = std::getenv("TERM");
  return ::isatty(STDOUT_FILENO) == 1 && term != nullptr && term[0] != '\0' &&
         std::string_view(term) != "dumb";
}

/// The terminal as the dashboard needs it, and as it was once this is destroyed: every way
/// out (q, a signal, an error, an exception) passes through the destructor.
class TerminalScreen {
 public:
  TerminalScreen() {
    if (::isatty(STDIN_FILENO) == 1 && ::tcgetattr(STDIN_FILENO, &saved_) == 0) {
      termios raw = saved_;
      // Keys arrive one by one and unechoed; ISIG stays, so Ctrl-C is still SIGINT.
      raw.c_lflag &= ~static_cast<tcflag_t>(ICANON | ECHO);
      raw.c_cc[VMIN] = 1;
      raw.c_cc[VTIME] = 0;
      restore_mode_ = ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &raw) == 0;
    }
    write_to_terminal(STDOUT_FILENO, kEnterScreen);
  }
  ~TerminalScreen() { restore(); }
  TerminalScreen(const TerminalScreen&) = delete;
  TerminalScreen& operator=(const TerminalScreen&) = delete;

  void restore() {
    if (restored_) return;
    restored_ = true;
    if (restore_mode_) ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_);
    write_to_terminal(STDOUT_FILENO, kLeaveScreen);
  }

  /// Whether `q` can be read from stdin (a terminal in cbreak mode).
  [[nodiscard]] bool keys() const { return restore_mode_; }

 private:
  termios saved_{};
  bool restore_mode_ = false;
  bool restored_ = false;
};

/// The terminal's size now; 80x24 when it does not say.
std::pair<int, int> terminal_size() {
  winsize size{};
  if (::ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0 && size.ws_row > 0) {
    return {size.ws_col, size.ws_row};
  }
  return {80, 24};
}

/// One frame, written with one write(): each line at its row, so nothing scrolls.
bool draw(const Dashboard& dashboard, ScreenStyle style, bool clear) {
  const auto [width, height] = terminal_size();
  const std::vector<std::string> lines = render_screen(dashboard.view(), width, height, style);
  std::string frame = clear ? "\x1b[2J" : "";
  for (std::size_t row = 0; row < lines.size(); ++row) {
    frame += "\x1b[" + std::to_string(row + 1) + ";1H" + lines[row];
  }
  return write_to_terminal(STDOUT_FILENO, frame);
}

/// SIGTERM, SIGINT, SIGHUP (the terminal went away) and SIGWINCH, as a file descriptor.
int dashboard_signal_fd() {
  sigset_t set;
  sigemptyset(&set);
  for (int signal : {SIGTERM, SIGINT, SIGHUP, SIGWINCH}) sigaddset(&set, signal);
  return ::signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
}

enum class ScreenEvent { none, quit, resize };

ScreenEvent read_signals(int fd) {
  ScreenEvent event = ScreenEvent::none;
  signalfd_siginfo info{};
  while (::read(fd, &info, sizeof info) == static_cast<ssize_t>(sizeof info)) {
    if (info.ssi_signo == SIGWINCH) {
      if (event == ScreenEvent::none) event = ScreenEvent::resize;
    } else {
      event = ScreenEvent::quit;
    }
  }
  return event;
}

/// Keys typed: `q` (or Q) quits; anything else is ignored. End of input stops reading it.
ScreenEvent read_keys(int& fd) {
  char buffer[64];
  const ssize_t n = ::read(fd, buffer, sizeof buffer);
  if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN)) {
    fd = -1;
    return ScreenEvent::none;
  }
  for (ssize_t i = 0; i < n; ++i) {
    if (buffer[i] == 'q' || buffer[i] == 'Q') return ScreenEvent::quit;
  }
  return ScreenEvent::none;
}

int run_screen(Dashboard& dashboard) {
  const int signals = dashboard_signal_fd();
  if (signals < 0) {
    log_line("cannot watch for signals (signalfd failed); use --simple");
    return 3;
  }
  const ScreenStyle style{.colour = dashboard_colour(), .unicode = is_utf8_locale()};
  TerminalScreen screen;
  int keys = screen.keys() ? STDIN_FILENO : -1;
  bool clear = false;
  for (;;) {
    if (!draw(dashboard, style, clear)) break;  // the terminal is gone
    clear = false;
    const auto next = DashboardClock::now() + kRedrawEvery;
    ScreenEvent event = ScreenEvent::none;
    while (event == ScreenEvent::none && DashboardClock::now() < next) {
      pollfd fds[2] = {{signals, POLLIN, 0}, {keys, POLLIN, 0}};
      const auto wait =
          std::chrono::ceil<std::chrono::milliseconds>(next - DashboardClock::now()).count();
      if (::poll(fds, keys >= 0 ? 2 : 1, static_cast<int>(std::max<long>(wait, 0))) < 0 &&
          errno != EINTR) {
        event = ScreenEvent::quit;
        break;
      }
      if (fds[0].revents & POLLIN) event = read_signals(signals);
      if (event == ScreenEvent::none && keys >= 0 && (fds[1].revents & (POLLIN | POLLHUP))) {
        event = read_keys(keys);
      }
    }
    if (event == ScreenEvent::quit) break;
    if (event == ScreenEvent::resize) clear = true;  // old lines may stand beyond the new size
  }
  dashboard.stop();
  screen.restore();
  ::close(signals);
  return 0;
}

int run_simple(const Dashboard& dashboard) {
  auto print = [&dashboard] {
    const std::string text = render_simple(dashboard.view());
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fflush(stdout);
  };
  print();  // at once, with the keys still being checked
  std::uint64_t printed = 0;
  for (;;) {
    if (wait_for_signal(kSimplePoll) == DaemonSignal::stop) return 0;
    const std::uint64_t rounds = dashboard.rounds_finished();
    if (rounds != printed) {
      printed = rounds;
      print();
    }
  }
}

int run_dashboard(const DashboardFlags& flags) {
  // Before any thread starts: threads inherit the mask, so only this thread takes them.
  block_daemon_signals();
  sigset_t resize;
  sigemptyset(&resize);
  sigaddset(&resize, SIGWINCH);
  pthread_sigmask(SIG_BLOCK, &resize, nullptr);

  Result<Settings> settings = settings_from_flags(flags.settings);
  if (!settings) return fail(settings.error());
  DashboardOptions dashboard_options;
  // --interval, else 60s: the config's [watch] interval is the watch daemon's, not this.
  dashboard_options.key_interval = kDefaultDashboardInterval;
  if (flags.interval) {
    Result<Milliseconds> interval =
        duration_flag(*flags.interval, "--interval", kMinKeyInterval, kMaxKeyInterval);
    if (!interval) return fail(interval.error());
    dashboard_options.key_interval = *interval;
  }
  Result<std::unique_ptr<Dashboard>> dashboard =
      Dashboard::start(std::move(*settings), dashboard_options);
  if (!dashboard) return fail(dashboard.error());
  const bool simple = flags.simple || !screen_capable_terminal();
  const int status = simple ? run_simple(**dashboard) : run_screen(**dashboard);
  (*dashboard)->stop();
  leave_dashboard_now(status);
}

}  // namespace

Command dashboard_command() {
  return {"dashboard", "Live terminal view of the keys and the machine (q quits)",
          [](CLI::App& app) -> Run {
            auto flags = std::make_shared<DashboardFlags>();
            app.footer(kDashboardFooter);
            value_flag(app, "--interval", flags->interval, "DURATION",
                       "Time between the starts of two key check rounds (1s to 7d)", "1m");
            switch_flag(app, "--simple", flags->simple,
                        "Print a plain summary after each key round instead of the full screen");
            add_settings_flags(
                app, flags->settings,
                kConfigFlag | kEnvFileFlag | kTimeoutFlag | kReportDirFlag | kSystemFlags);
            return [flags] { return run_dashboard(*flags); };
          }};
}

}  // namespace devops_monitor::cli
