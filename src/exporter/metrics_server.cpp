// The imperative shell of serve: two background threads (the system sampler and the key
// rounds) fill one small ExporterState under a mutex; every change is rendered once, outside
// the lock, and a scrape only copies the latest rendering out. So a scrape never waits for a
// measurement, a key check or a rendering, and costs the same however often it comes.
#include <atomic>
#include <condition_variable>
#include <future>
#include <map>
#include <mutex>
#include <thread>

#include "check/take_snapshot.hpp"
#include "config/settings_check.hpp"
#include "devops_monitor/serve.hpp"
#include "devops_monitor/text.hpp"
#include "exporter/exporter_state.hpp"
#include "exporter/key_round.hpp"
#include "exporter/page_endpoint.hpp"
#include "exporter/serve_worker.hpp"
#include "exporter/system_sampler.hpp"
#include "page/page_input.hpp"
#include "page/page_sources.hpp"
#include "serve/http_server.hpp"
#include "util/guard.hpp"

namespace devops_monitor::exporter {
namespace {

using SteadyPoint = std::chrono::steady_clock::time_point;

// CPU use is the busy share between two ticks; node_exporter's counters are as fresh as
// the scrape, ours are at most this old.
constexpr Milliseconds kSampleTick{1000};
// How long stop() waits for each background thread before letting it go (see ServeWorker).
constexpr Milliseconds kWorkerStopWait{300};

}  // namespace

/// What the threads and the HTTP handler share. Each thread holds it by shared_ptr, so a
/// thread that stop() lets go (a disk probe that outlives the mount timeout) never outlives it.
struct ServeShared {
  ServeShared(Settings s, MetricsServer::Log l)
      : settings(std::move(s)), host(this_host_name()), log(std::move(l)) {}

  const Settings settings;
  const std::string host;
  const MetricsServer::Log log;
  std::atomic<bool> stopping{false};

  std::mutex mutex;
  std::condition_variable wake;  // stop() wakes the sleeping threads
  ExporterState state;
  std::uint64_t state_version = 0;
  std::uint64_t rendered_version = 0;
  std::shared_ptr<const std::string> metrics = std::make_shared<const std::string>();
  std::shared_ptr<const std::string> report_json;  // null before the first report

  // The status page (`/`): the history, loaded once at start and then one sample per key
  // round (90 days kept), and the newest report; each replaced whole, never changed, so a
  // rendering works on a snapshot. A page is rendered on request and kept per range until
  // the next round. page_mutex is the page's own: /metrics never waits for a rendering.
  std::mutex page_mutex;
  std::shared_ptr<const std::vector<history::Sample>> page_history =
      std::make_shared<const std::vector<history::Sample>>();
  std::shared_ptr<const Report> page_latest;  // null: no report yet
  std::map<PageRange, std::shared_ptr<const std::string>> pages;
  std::uint64_t page_generation = 0;

  void log_line(std::string_view line) {
    if (!stopping.load() && log) log(printable(line));
  }

  /// Applies `change` under the lock, renders the new state outside it, and publishes the
  /// rendering unless a newer one got there first (the two threads race).
  template <typename Change>
  void update(Change change) {
    ExporterState copy;
    std::uint64_t version = 0;
    {
      const std::lock_guard lock(mutex);
      change(state);
      version = ++state_version;
      copy = state;
    }
    auto text =
        std::make_shared<const std::string>(render_metrics(copy, settings.thresholds, host));
    const std::lock_guard lock(mutex);
    if (version > rendered_version) {
      rendered_version = version;
      metrics = std::move(text);
    }
  }

  serve::HttpAnswer page(std::string_view query) {
    const std::optional<PageRange> range = page_range_of_query(query);
    if (!range) return bad_range_answer();
    std::shared_ptr<const std::vector<history::Sample>> samples;
    std::shared_ptr<const Report> latest;
    std::shared_ptr<const std::string> cached;
    std::uint64_t generation = 0;
    {
      const std::lock_guard lock(page_mutex);
      if (const auto found = pages.find(*range); found != pages.end()) cached = found->second;
      samples = page_history;
      latest = page_latest;
      generation = page_generation;
    }
    if (cached) return page_answer(*cached);  // copied outside the lock
    auto html = std::make_shared<const std::string>(page::render_status_page(
        page::page_input(latest ? std::optional<Report>(*latest) : std::nullopt, *samples, {*range},
                         *range, std::chrono::system_clock::now(), true)));
    const std::lock_guard lock(page_mutex);
    if (generation == page_generation) pages[*range] = html;
    return page_answer(*html);
  }

  /// A round's report joins the page's history (only the rounds thread calls this).
  void add_to_page(Report report, std::chrono::system_clock::time_point started_at) {
    const SystemTime time = parse_rfc3339(report.timestamp).value_or(started_at);
    std::shared_ptr<const std::vector<history::Sample>> before;
    {
      const std::lock_guard lock(page_mutex);
      before = page_history;
    }
    auto next = std::make_shared<std::vector<history::Sample>>(*before);
    next->push_back(history::sample_of(report, time));
    page::trim_to_page_ranges(*next, std::chrono::system_clock::now());
    auto latest = std::make_shared<const Report>(std::move(report));
    const std::lock_guard lock(page_mutex);
    page_history = std::move(next);
    page_latest = std::move(latest);
    pages.clear();
    ++page_generation;
  }

  serve::HttpAnswer answer(std::string_view path, std::string_view query) {
    if (path == "/") return page(query);
    std::shared_ptr<const std::string> text;
    std::shared_ptr<const std::string> report;
    {
      const std::lock_guard lock(mutex);
      text = metrics;
      report = report_json;
    }
    return exporter::answer(path, *text,
                            report ? std::optional<std::string_view>(*report) : std::nullopt);
  }

  /// Sleeps until `when` or stop(); false when stopping.
  bool sleep_until(SteadyPoint when) {
    std::unique_lock lock(mutex);
    wake.wait_until(lock, when, [this] { return stopping.load(); });
    return !stopping.load();
  }

  SystemReading latest_system() {
    const std::lock_guard lock(mutex);
    return state.system.value_or(SystemReading{});
  }
};

namespace {

void sample_forever(const std::shared_ptr<ServeShared>& shared, SystemSampler sampler) {
  SteadyPoint next = std::chrono::steady_clock::now() + kSampleTick;
  while (shared->sleep_until(next)) {
    next += kSampleTick;
    for (const std::string& problem : sampler.tick(shared->settings)) shared->log_line(problem);
    shared->update([&](ExporterState& state) { state.system = sampler.latest(); });
    // A tick that took longer than a tick (a slow disk) does not queue up the missed ones.
    next = std::max(next, std::chrono::steady_clock::now());
  }
}

/// The page's history from the report directory, once at start: a missing directory is an
/// empty history (a first start), skipped files are logged (the first few, then a count).
void load_page_history(ServeShared& shared) {
  std::error_code ec;
  if (!std::filesystem::exists(shared.settings.report_dir, ec)) return;
  Result<page::PageSources> loaded =
      page::load_page_sources(shared.settings.report_dir, std::chrono::system_clock::now());
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
  const std::lock_guard lock(shared.page_mutex);
  shared.page_history =
      std::make_shared<const std::vector<history::Sample>>(std::move(loaded->samples));
  if (loaded->latest)
    shared.page_latest = std::make_shared<const Report>(std::move(*loaded->latest));
}

void run_rounds_forever(const std::shared_ptr<ServeShared>& shared) {
  while (!shared->stopping.load()) {
    const SteadyPoint started = std::chrono::steady_clock::now();
    RoundOutcome round =
        run_key_round(shared->settings, shared->latest_system(), shared->host, shared->stopping);
    if (round.cancelled || shared->stopping.load()) return;
    for (const std::string& line : round.log_lines) shared->log_line(line);
    auto report = round.report_json
                      ? std::make_shared<const std::string>(std::move(*round.report_json))
                      : nullptr;
    shared->update([&](ExporterState& state) {
      state.last_round_started = round.started_at;
      state.last_round_duration = round.duration;
      if (round.keys) {
        state.keys = std::move(round.keys);
        state.last_success = round.started_at;
      } else {
        ++state.check_errors_total;
      }
    });
    if (report) {
      const std::lock_guard lock(shared->mutex);
      shared->report_json = std::move(report);
    }
    if (round.report) shared->add_to_page(std::move(*round.report), round.started_at);
    // Rounds start key_interval apart; one that took longer is followed at once.
    if (!shared->sleep_until(started + shared->settings.key_interval)) return;
  }
}

}  // namespace
}  // namespace devops_monitor::exporter

namespace devops_monitor {

using exporter::ExporterState;
using exporter::ServeShared;
using exporter::ServeWorker;
using exporter::SystemSampler;
using SteadyPoint = std::chrono::steady_clock::time_point;

struct MetricsServer::Impl {
  std::shared_ptr<ServeShared> shared;
  serve::ListenAddress address;
  std::unique_ptr<serve::HttpServer> http;
  std::optional<ServeWorker> sampler;
  std::optional<ServeWorker> rounds;
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
        if (Result<void> valid = check_settings(settings); !valid) return valid.error();
        Result<serve::ListenAddress> address = serve::parse_listen_address(options.listen);
        if (!address) return address.error();
        serve::WebConfig web;
        if (options.web_config) {
          Result<serve::WebConfig> loaded = serve::load_web_config(*options.web_config);
          if (!loaded) return loaded.error();
          web = std::move(*loaded);
        }
        Result<SystemSampler> sampler = SystemSampler::start(settings);
        if (!sampler) return sampler.error();

        auto impl = std::make_unique<Impl>();
        impl->shared = std::make_shared<ServeShared>(std::move(settings), std::move(log));
        impl->address = *address;
        const std::shared_ptr<ServeShared> shared = impl->shared;
        shared->update([&](ExporterState& state) { state.system = sampler->latest(); });
        exporter::load_page_history(*shared);
        Result<std::unique_ptr<serve::HttpServer>> http = serve::HttpServer::start(
            *address, web, [shared](std::string_view path, std::string_view query) {
              return shared->answer(path, query);
            });
        if (!http) return http.error();
        impl->http = std::move(*http);
        impl->sampler.emplace([shared, s = std::move(*sampler)]() mutable {
          exporter::sample_forever(shared, std::move(s));
        });
        impl->rounds.emplace([shared] { exporter::run_rounds_forever(shared); });
        return std::unique_ptr<MetricsServer>(new MetricsServer(std::move(impl)));
      });
}

void MetricsServer::stop() {
  if (!impl_ || impl_->stopped) return;
  impl_->stopped = true;
  {
    const std::lock_guard lock(impl_->shared->mutex);
    impl_->shared->stopping.store(true);  // also cancels a key round's requests
  }
  impl_->shared->wake.notify_all();
  if (impl_->http) impl_->http->stop();
  const SteadyPoint until = std::chrono::steady_clock::now() + exporter::kWorkerStopWait;
  if (impl_->rounds) impl_->rounds->stop_waiting_at(until);
  if (impl_->sampler) impl_->sampler->stop_waiting_at(until);
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

}  // namespace devops_monitor
