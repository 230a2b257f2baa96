#include "support/fake_provider.hpp"

#include <httplib.h>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "devops_monitor/provider.hpp"

namespace devops_monitor::testing {

FakeProviderServer::FakeProviderServer(milliseconds lifetime, std::optional<TlsFiles> tls) {
  if (tls) {
    server_ = std::make_unique<httplib::SSLServer>(tls->cert.c_str(), tls->key.c_str());
    scheme_ = "https";
  } else {
    server_ = std::make_unique<httplib::Server>();
  }
  server_->set_keep_alive_max_count(1);
  const auto handler = [this](const httplib::Request& req, httplib::Response& res) {
    handle(req, res);
  };
  // GET also answers HEAD; the other methods are there for webhooks and REST APIs.
  server_->Get(".*", handler);
  server_->Post(".*", handler);
  server_->Put(".*", handler);
  server_->Patch(".*", handler);
  server_->Delete(".*", handler);
  port_ = server_->bind_to_any_port("127.0.0.1");
  if (port_ <= 0) throw std::runtime_error("fake provider: cannot bind 127.0.0.1");
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  // stop() only works once the accept loop runs; the socket already queues connections.
  for (int i = 0; i < 5000 && !server_->is_running(); ++i)
    std::this_thread::sleep_for(milliseconds(1));
  watchdog_ = std::thread([this, lifetime] {
    std::unique_lock lock(mutex_);
    stopping_cv_.wait_for(lock, lifetime, [this] { return stopping_; });
    stopping_ = true;
    stopping_cv_.notify_all();
    lock.unlock();
    server_->stop();
  });
}

FakeProviderServer::~FakeProviderServer() {
  stop();
  if (watchdog_.joinable()) watchdog_.join();
  if (thread_.joinable()) thread_.join();
}

void FakeProviderServer::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  stopping_cv_.notify_all();
  server_->stop();
}

void FakeProviderServer::on(const std::string& path, FakeResponse response) {
  on_sequence(path, {std::move(response)});
}

void FakeProviderServer::on_sequence(const std::string& path, std::vector<FakeResponse> responses) {
  std::lock_guard lock(mutex_);
  routes_[path] = std::move(responses);
  served_[path] = 0;
}

std::string FakeProviderServer::url(const std::string& path) const {
  return scheme_ + "://127.0.0.1:" + std::to_string(port_) + path;
}

std::vector<RecordedRequest> FakeProviderServer::requests() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

std::size_t FakeProviderServer::request_count(const std::string& path) const {
  std::lock_guard lock(mutex_);
  std::size_t count = 0;
  for (const RecordedRequest& r : requests_) count += r.path == path ? 1 : 0;
  return count;
}

void FakeProviderServer::wait_or_stop(milliseconds delay) {
  std::unique_lock lock(mutex_);
  stopping_cv_.wait_for(lock, delay, [this] { return stopping_; });
}

std::size_t FakeProviderServer::max_in_flight() const {
  std::lock_guard lock(mutex_);
  return max_in_flight_;
}

void FakeProviderServer::handle(const httplib::Request& request, httplib::Response& response) {
  FakeResponse answer;
  struct InFlight {
    explicit InFlight(FakeProviderServer& s) : server(s) {
      std::lock_guard lock(server.mutex_);
      server.max_in_flight_ = std::max(server.max_in_flight_, ++server.in_flight_);
    }
    ~InFlight() {
      std::lock_guard lock(server.mutex_);
      --server.in_flight_;
    }
    FakeProviderServer& server;
  } in_flight(*this);
  {
    std::lock_guard lock(mutex_);
    requests_.push_back({request.method, request.path, request.target,
                         HeaderMap(request.headers.begin(), request.headers.end()), request.body,
                         std::chrono::steady_clock::now()});
    auto route = routes_.find(request.path);
    if (route == routes_.end() || route->second.empty()) {
      response.status = 404;
      response.set_content(R"({"error":{"message":"no such route in the fake"}})",
                           "application/json");
      return;
    }
    std::size_t& n = served_[request.path];
    answer = route->second[std::min(n, route->second.size() - 1)];
    ++n;
  }
  if (answer.hang) answer.delay = std::chrono::hours(1);  // bounded by stop() and the watchdog
  if (answer.delay.count() > 0) wait_or_stop(answer.delay);

  response.status = answer.status;
  for (const auto& [name, value] : answer.headers) response.set_header(name, value);
  if (answer.body_bytes > 0) {
    const std::size_t total = answer.body_bytes;
    response.set_content_provider(
        total, "application/json",
        [this, total](std::size_t offset, std::size_t, httplib::DataSink& sink) {
          static const std::string chunk(64 * 1024, 'x');
          const std::size_t n = std::min(chunk.size(), total - offset);
          const bool sent = sink.write(chunk.data(), n);
          if (sent) streamed_bytes_ += n;
          return sent;
        });
  } else if (answer.cut_mid_body) {
    const std::string body = answer.body;
    response.set_content_provider(body.size(), "application/json",
                                  [body](std::size_t offset, std::size_t, httplib::DataSink& sink) {
                                    if (offset > 0) return false;  // drop the connection
                                    sink.write(body.data(), body.size() / 2);
                                    return true;
                                  });
  } else {
    response.set_content(answer.body, "application/json");
  }
}

int closed_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  socklen_t length = sizeof address;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  ::close(fd);  // nothing listens there any more
  return ntohs(address.sin_port);
}

std::string endpoint_path(const std::string& provider_id) {
  for (const Provider& p : builtin_providers()) {
    if (p.id != provider_id) continue;
    const std::string& url = p.test_endpoint;
    const std::size_t host_start = url.find("://") + 3;
    return url.substr(url.find('/', host_start));
  }
  throw std::invalid_argument("no built-in provider " + provider_id);
}

std::string provider_fixture(const std::string& provider_id, const std::string& name) {
  const std::string path = std::string(DEVOPS_MONITOR_SOURCE_DIR) + "/tests/fixtures/providers/" +
                           provider_id + "/" + name + ".json";
  std::ifstream in(path);
  if (!in) throw std::runtime_error("missing fixture " + path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<ProviderCase> provider_cases() {
  std::ifstream in(std::string(DEVOPS_MONITOR_SOURCE_DIR) + "/tests/fixtures/providers/cases.tsv");
  if (!in) throw std::runtime_error("missing tests/fixtures/providers/cases.tsv");
  std::vector<ProviderCase> cases;
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    ProviderCase c;
    if (fields >> c.provider >> c.fixture >> c.status >> c.expected_state) cases.push_back(c);
  }
  return cases;
}

}  // namespace devops_monitor::testing
