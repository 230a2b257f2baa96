// The Watcher: the pure step (watch_step.hpp) plus its effects, handed to one background
// thread so that a hanging webhook or a slow action never delays the next check.
#include <fmt/format.h>
#include <unistd.h>

#include <utility>

#include "devops_monitor/report_json.hpp"
#include "devops_monitor/watch.hpp"
#include "http/url.hpp"
#include "keys/dotenv.hpp"
#include "keys/load_keys.hpp"
#include "notify/notice.hpp"
#include "notify/webhook.hpp"
#include "store/report_files.hpp"
#include "util/environment.hpp"
#include "util/time_format.hpp"
#include "watch/action_runner.hpp"
#include "watch/background_worker.hpp"
#include "watch/heartbeat.hpp"
#include "watch/silence_step.hpp"
#include "watch/watch_step.hpp"

extern char** environ;  // NOLINT: POSIX

namespace devops_monitor {
namespace {

using WatchNotifiers = std::vector<std::unique_ptr<notify::Notifier>>;

std::vector<std::string> watch_environment_entries() {
  std::vector<std::string> out;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    out.emplace_back(*entry);
  }
  return out;
}

/// The key values an action's output must not show: each provider's variable, from this
/// process's environment and from the .env file, read now (a rotated key is seen).
std::vector<std::string> watch_secrets(const Settings& settings) {
  const EnvLookup environment = process_environment();
  DotenvFile dotenv;
  if (settings.env_file) {
    Result<DotenvFile> loaded =
        load_dotenv(*settings.env_file, environment, dotenv_origin(settings));
    if (loaded) dotenv = std::move(*loaded);
  }
  std::vector<std::string> secrets;
  for (const Provider& provider : settings.providers) {
    if (std::optional<std::string> value = environment(provider.env_var)) secrets.push_back(*value);
    if (std::optional<std::string> value = dotenv.get(provider.env_var)) secrets.push_back(*value);
  }
  for (const WebhookSettings& hook : settings.webhooks) secrets.push_back(hook.url);
  return secrets;
}

/// The report file for an action: absolute, so an action that changes directory still finds
/// it; empty when the report was not saved.
std::string absolute_report_path(const CheckNotes& notes) {
  if (!notes.report_file) return "";
  std::error_code ec;
  const std::filesystem::path absolute = std::filesystem::absolute(*notes.report_file, ec);
  return ec ? notes.report_file->string() : absolute.string();
}

}  // namespace

struct Watcher::State {
  State(WatchLog log_sink, std::size_t limit) : log(std::move(log_sink)), worker(limit, log) {}

  WatchLog log;
  Settings settings;
  std::vector<std::string> environment;
  // Shared with the jobs already queued: a reload replaces it, never changes it under them.
  std::shared_ptr<const WatchNotifiers> notifiers = std::make_shared<WatchNotifiers>();
  // What has been announced, per component: the next check is confirmed against it.
  ConfirmationState confirmed;
  // The last check's report: the silences active then, for "a silence ended on a bad state".
  std::optional<Report> previous;
  watch::BackgroundWorker worker;  // last: its thread stops before the rest goes away
};

Watcher::Watcher(WatchLog log, std::size_t queue_limit)
    : state_(std::make_unique<State>(std::move(log), queue_limit)) {}

Watcher::~Watcher() {
  state_->worker.stop(Milliseconds(0));
}

void Watcher::configure(const Settings& settings,
                        std::optional<std::vector<std::string>> environment) {
  state_->settings = settings;
  state_->environment = environment ? std::move(*environment) : watch_environment_entries();
  state_->notifiers = std::make_shared<const WatchNotifiers>(notify::webhook_notifiers(settings));
}

void Watcher::set_previous(std::optional<Report> previous) {
  state_->confirmed = confirmed_from(previous ? &*previous : nullptr);
  state_->previous = std::move(previous);
}

std::string Watcher::handle(const Report& report, const CheckNotes& notes) {
  State& state = *state_;
  const Report* previous = state.previous ? &*state.previous : nullptr;
  const int checks_needed = state.settings.watch_confirm;
  // Confirmation decides what is announced; silences then filter it. Nothing else here knows
  // of either.
  watch::WatchStep step = watch::without_silenced(
      watch::watch_step(state.confirmed, report, checks_needed), previous, report);
  std::vector<Transition> ended = watch::silences_ended_while_bad(previous, report, step);
  const std::string report_file = notes.report_file ? notes.report_file->string() : "";
  std::string line = watch::check_line(report, report_file, step.changes,
                                       describe_unconfirmed(step.confirmed, checks_needed));
  if (!report.silences.empty()) {
    std::string silenced;
    for (const std::string& component : silenced_components(report.silences)) {
      silenced += (silenced.empty() ? "" : ", ") + component;
    }
    line += "; silenced: " + silenced;
  }
  if (!ended.empty()) line += "; " + watch::describe_ended_silences(ended);

  if (!step.changes.empty() || !ended.empty()) {
    // One notice per check for every webhook: all of its transitions together.
    notify::Notice built = notify::notice_from(report, step.changes);
    built.silences_ended = notify::notice_from(report, std::move(ended)).changes;
    auto notice = std::make_shared<const notify::Notice>(std::move(built));
    for (std::size_t i = 0; i < state.notifiers->size(); ++i) {
      state.worker.post(
          fmt::format("delivery to webhooks[{}]", i),
          [notifiers = state.notifiers, i, notice, log = state.log](const std::atomic<bool>&) {
            const Result<void> sent = (*notifiers)[i]->send(*notice);
            if (!sent) log(sent.error().message());
          });
    }
  }
  if (step.action) {
    const std::vector<std::string>& command =
        watch::action_command(state.settings.actions, *step.action);
    if (!command.empty()) {
      watch::ActionRun run{.argv = command,
                           .environment = watch::action_environment(
                               state.environment, state.settings, *step.action, report.status,
                               step.previous_overall, absolute_report_path(notes)),
                           .timeout = state.settings.actions.timeout,
                           .secrets = watch_secrets(state.settings)};
      const std::string name(watch::action_name(*step.action));
      state.worker.post("action " + name, [run = std::move(run), name,
                                           log = state.log](const std::atomic<bool>& cancel) {
        log(watch::describe_outcome(name, run, watch::run_action(run, &cancel)));
      });
    }
  }
  if (!state.settings.heartbeat_url.empty()) {
    // Queued behind this check's deliveries: the switch hears of a check whose effects are
    // under way. The job's name carries the host only; the URL's path is a token.
    state.worker.post(
        "heartbeat to " + url_host(state.settings.heartbeat_url),
        [settings = state.settings, log = state.log](const std::atomic<bool>& cancel) {
          if (auto problem = watch::send_heartbeat(settings, cancel)) log(*problem);
        });
  }
  state.confirmed = std::move(step.confirmed);
  state.previous = report;
  return line;
}

bool Watcher::stop(std::chrono::milliseconds grace) {
  return state_->worker.stop(grace);
}

std::size_t Watcher::pending() const {
  return state_->worker.pending();
}

std::optional<Report> watch_previous_report(const Settings& settings,
                                            std::chrono::system_clock::time_point now,
                                            std::string* why) {
  auto say = [why](std::string text) {
    if (why != nullptr) *why = std::move(text);
  };
  const std::filesystem::path latest = settings.report_dir / kLatestReportName;
  Result<std::optional<Report>> report = read_latest_report(settings.report_dir);
  if (!report) {
    say("previous report ignored: " + report.error().message());
    return std::nullopt;
  }
  if (!*report) {
    say("no previous report");
    return std::nullopt;
  }
  const Report& previous = **report;
  const std::optional<SystemTime> taken = parse_rfc3339(previous.timestamp);
  if (!taken || *taken > now + std::chrono::minutes(5) ||
      now - *taken > 2 * settings.watch_interval) {
    say(fmt::format("previous report ignored: {} is from {}, not within two intervals",
                    latest.string(), previous.timestamp));
    return std::nullopt;
  }
  say(fmt::format("previous report {} from {} ({})", latest.string(), previous.timestamp,
                  to_string(previous.status)));
  return std::move(**report);
}

}  // namespace devops_monitor
