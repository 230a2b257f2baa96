// serve, a front-end of the engine: each reading and each round the engine reports is rendered
// once, outside any lock, and published; a request only copies the latest publication out. So
// a scrape never waits for a measurement, a key check or a rendering, and costs the same
// however often it comes. The status page (`/`) is rendered on request and kept per range
// until the next round.
#include <map>
#include <mutex>

#include "check/take_snapshot.hpp"
#include "devops_monitor/serve.hpp"
#include "devops_monitor/text.hpp"
#include "engine/engine.hpp"
#include "history/forecast.hpp"
#include "history/history.hpp"
#include "page/page_input.hpp"
#include "page/page_sources.hpp"
#include "serve/exporter_answers.hpp"
#include "serve/http_server.hpp"
#include "serve/page_endpoint.hpp"
#include "store/silences_file.hpp"
#include "util/guard.hpp"

namespace devops_monitor::serve {
namespace {

// What stop() gives the engine's threads before letting them go.
constexpr Milliseconds kEngineStopGrace{300};

}  // namespace

/// What the engine's listeners and the HTTP handler share; each holds it by shared_ptr.
struct ServeShared {
  ServeShared(ThresholdSet t, MetricsServer::Log l, std::filesystem::path report_dir)
      : thresholds(t), host(this_host_name()), log(std::move(l)), silences(std::move(report_dir)) {}

  const ThresholdSet thresholds;
  const std::string host;
  const MetricsServer::Log log;
  // Read again only when silences.json changes: a stat per reading is all a silence costs.
  SilencesCache silences;

  std::mutex mutex;
  Published published;
  std::uint64_t published_rounds = 0;  // a reading never replaces a newer round's publication
  // What runs out and when, from the page's history: computed when the history changes (at
  // start and once per round), never per reading or scrape.
  history::Forecasts forecasts;

  // The status page's history, loaded once at start and then one sample per round (90 days
  // kept), and the newest report; each replaced whole, so a rendering works on a snapshot.
  // page_mutex is the page's own: /metrics never waits for a rendering.
  std::mutex page_mutex;
  std::shared_ptr<const std::vector<history::Sample>> page_history =
      std::make_shared<const std::vector<history::Sample>>();
  std::shared_ptr<const Report> page_latest;  // null: no report yet
  std::map<PageRange, std::shared_ptr<const std::string>> pages;
  std::uint64_t page_generation = 0;
  std::string cached_silences;  // the active silences the cached pages show

  static std::string silence_ids(const std::vector<Silence>& active) {
    std::string ids;
    for (const Silence& silence : active) ids += silence.id + "\n" + silence.ends_at + "\n";
    return ids;
  }

  void log_line(std::string_view line) const {
    if (log) log(printable(line));
  }

  /// Renders `state` outside the lock and publishes it unless a later round got there first.
  /// The silences active now; a silences.json that cannot be read is logged when it changes.
  std::vector<Silence> active_silences_now() {
    CheckNotes notes;
    std::vector<Silence> active =
        active_silences(silences.current(&notes), std::chrono::system_clock::now());
    for (const Error& warning : notes.warnings) log_line("warning: " + warning.message());
    return active;
  }

  void publish(const engine::EngineState& state, std::shared_ptr<const std::string> report_json) {
    history::Forecasts foreseen;
    {
      const std::lock_guard lock(mutex);
      foreseen = forecasts;
    }
    auto metrics = std::make_shared<const std::string>(
        render_metrics(state, thresholds, host, foreseen, active_silences_now()));
    const std::lock_guard lock(mutex);
    if (state.rounds_finished < published_rounds) return;
    published_rounds = state.rounds_finished;
    published.metrics = std::move(metrics);
    published.ready = state.ready();
    if (report_json) published.report_json = std::move(report_json);
  }

  void on_round(const engine::Round& round, const engine::EngineState& state) {
    if (!round.report) {
      log_line("key round failed, keeping the previous results: " + round.report.error().message());
      publish(state, nullptr);
      return;
    }
    const Report& report = *round.report;
    const std::string saved =
        round.notes.report_file ? "; report " + round.notes.report_file->string() : "";
    log_line("keys checked in " + std::to_string(round.duration.count()) +
             " ms: " + engine::key_summary(report.api_keys) + "; status " +
             std::string(to_string(report.status)) + saved);
    // The page's history first: its forecasts then go out with this round's publication.
    add_to_page(report, round.started_at);
    publish(state, std::make_shared<const std::string>(public_report_json(report)));
  }

  HttpAnswer page(std::string_view query) {
    const std::optional<PageRange> range = page_range_of_query(query);
    if (!range) return bad_range_answer();
    std::shared_ptr<const std::vector<history::Sample>> samples;
    std::shared_ptr<const Report> latest;
    std::shared_ptr<const std::string> cached;
    std::string cached_silences_now;
    std::uint64_t generation = 0;
    {
      const std::lock_guard lock(page_mutex);
      if (const auto found = pages.find(*range); found != pages.end()) cached = found->second;
      cached_silences_now = cached_silences;
      samples = page_history;
      latest = page_latest;
      generation = page_generation;
    }
    // The maintenance shown is the one of now, not of the last round.
    std::vector<Silence> active = active_silences_now();
    if (cached && silence_ids(active) == cached_silences_now) {
      return page_answer(*cached);  // copied outside the lock
    }
    std::optional<Report> shown;
    if (latest) {
      shown = *latest;
      shown->silences = active;
    }
    auto html = std::make_shared<const std::string>(page::render_status_page(page::page_input(
        std::move(shown), *samples, {*range}, *range, std::chrono::system_clock::now(), true)));
    const std::lock_guard lock(page_mutex);
    if (silence_ids(active) != cached_silences) {
      pages.clear();
      cached_silences = silence_ids(active);
    }
    if (generation == page_generation) pages[*range] = html;
    return page_answer(*html);
  }

  /// A round's report joins the page's history (only the rounds thread calls this).
  void add_to_page(const Report& report, SystemTime started_at) {
    const SystemTime time = parse_rfc3339(report.timestamp).value_or(started_at);
    std::shared_ptr<const std::vector<history::Sample>> before;
    {
      const std::lock_guard lock(page_mutex);
      before = page_history;
    }
    auto next = std::make_shared<std::vector<history::Sample>>(*before);
    next->push_back(history::sample_of(report, time));
    page::trim_to_page_ranges(*next, std::chrono::system_clock::now());
    auto latest = std::make_shared<const Report>(report);
    set_forecasts(history::forecast(*next, std::chrono::system_clock::now()));
    const std::lock_guard lock(page_mutex);
    page_history = std::move(next);
    page_latest = std::move(latest);
    pages.clear();
    ++page_generation;
  }

  void set_forecasts(history::Forecasts foreseen) {
    const std::lock_guard lock(mutex);
    forecasts = std::move(foreseen);
  }

  HttpAnswer answer(std::string_view path, std::string_view query) {
    if (path == "/") return page(query);
    Published now;
    {
      const std::lock_guard lock(mutex);
      now = published;
    }
    return serve::answer(path, now);
  }
};

namespace {

/// The page's history from the report directory, once at start: a missing directory is an
/// empty history (a first start), skipped files are logged (the first few, then a count).
void load_page_history(ServeShared& shared, const std::filesystem::path& report_dir) {
  std::error_code ec;
  if (!std::filesystem::exists(report_dir, ec)) return;
  Result<page::PageSources> loaded =
      page::load_page_sources(report_dir, std::chrono::system_clock::now());
  if (!loaded) {
    shared.log_line("status page: history not loaded: " + loaded.error().message());
    return;
  }
  constexpr std::size_t kWarningsLogged = 3;
  for (std::size_t i = 0; i < loaded->warnings.size() && i < kWarningsLogged; ++i) {
    shared.log_line("status page: " + loaded->warnings[i]);
  }
  if (loaded->warnings.size() > kWarningsLogged) {
    shared.log_line("status page: " + std::to_string(loaded->warnings.size() - kWarningsLogged) +
                    " more report files skipped");
  }
  shared.set_forecasts(history::forecast(loaded->samples, std::chrono::system_clock::now()));
  const std::lock_guard lock(shared.page_mutex);
  shared.page_history =
      std::make_shared<const std::vector<history::Sample>>(std::move(loaded->samples));
  if (loaded->latest) {
    shared.page_latest = std::make_shared<const Report>(std::move(*loaded->latest));
  }
}

}  // namespace
}  // namespace devops_monitor::serve

namespace devops_monitor {

struct MetricsServer::Impl {
  std::shared_ptr<serve::ServeShared> shared;
  serve::ListenAddress address;
  bool tls = false;
  std::size_t basic_auth_users = 0;
  std::unique_ptr<engine::Engine> engine;
  std::unique_ptr<serve::HttpServer> http;
  bool stopped = false;
};

MetricsServer::MetricsServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

MetricsServer::~MetricsServer() {
  stop();
}

Result<std::unique_ptr<MetricsServer>> MetricsServer::start(Settings settings, ServeOptions options,
                                                            Log log) {
  return guarded<std::unique_ptr<MetricsServer>>(
      "cannot serve", [&]() -> Result<std::unique_ptr<MetricsServer>> {
        Result<serve::ListenAddress> address = serve::parse_listen_address(options.listen);
        if (!address) return address.error();
        serve::WebConfig web;
        if (options.web_config) {
          Result<serve::WebConfig> loaded = serve::load_web_config(*options.web_config);
          if (!loaded) return loaded.error();
          web = std::move(*loaded);
        }
        auto impl = std::make_unique<Impl>();
        impl->address = *address;
        impl->tls = web.tls.has_value();
        impl->basic_auth_users = web.basic_auth_users.size();
        impl->shared = std::make_shared<serve::ServeShared>(settings.thresholds, std::move(log),
                                                            settings.report_dir);
        const std::shared_ptr<serve::ServeShared> shared = impl->shared;
        serve::load_page_history(*shared, settings.report_dir);
        engine::EngineListeners listeners{
            .round = [shared](const engine::Round& round,
                              const engine::EngineState& state) { shared->on_round(round, state); },
            .sample =
                [shared](const engine::EngineState& state) { shared->publish(state, nullptr); },
            .log = [shared](std::string_view line) { shared->log_line(line); }};
        const Milliseconds interval = settings.key_interval;
        Result<std::unique_ptr<engine::Engine>> engine = engine::Engine::start(
            std::move(settings), {.round_interval = interval}, std::move(listeners));
        if (!engine) return engine.error();
        impl->engine = std::move(*engine);
        shared->publish(impl->engine->state(), nullptr);
        Result<std::unique_ptr<serve::HttpServer>> http = serve::HttpServer::start(
            *address, web, [shared](std::string_view path, std::string_view query) {
              return shared->answer(path, query);
            });
        if (!http) return http.error();
        impl->http = std::move(*http);
        return std::unique_ptr<MetricsServer>(new MetricsServer(std::move(impl)));
      });
}

void MetricsServer::stop() {
  if (!impl_ || impl_->stopped) return;
  impl_->stopped = true;
  if (impl_->http) impl_->http->stop();
  if (impl_->engine) impl_->engine->stop(serve::kEngineStopGrace);
}

int MetricsServer::port() const {
  return impl_->http ? impl_->http->port() : impl_->address.port;
}

const std::string& MetricsServer::host() const {
  return impl_->address.host;
}

bool MetricsServer::loopback() const {
  return impl_->address.loopback();
}

bool MetricsServer::tls() const {
  return impl_->tls;
}

std::size_t MetricsServer::basic_auth_users() const {
  return impl_->basic_auth_users;
}

}  // namespace devops_monitor
