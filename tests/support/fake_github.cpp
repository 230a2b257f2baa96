#include "support/fake_github.hpp"

#include <httplib.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace devops_monitor::testing {
namespace {

using GithubFakeJson = nlohmann::json;

GithubFakeJson issue_json(const FakeIssue& issue, const std::string& api, const std::string& repo) {
  GithubFakeJson labels = GithubFakeJson::array();
  for (const std::string& label : issue.labels) labels.push_back({{"name", label}});
  GithubFakeJson doc = {
      {"number", issue.number},
      {"title", issue.title},
      {"body", issue.body.empty() ? GithubFakeJson(nullptr) : GithubFakeJson(issue.body)},
      {"state", issue.state},
      {"labels", labels},
      {"html_url", api + "/" + repo + "/issues/" + std::to_string(issue.number)}};
  if (issue.pull_request) doc["pull_request"] = {{"url", "x"}};
  return doc;
}

void json_answer(httplib::Response& response, int status, const GithubFakeJson& doc) {
  response.status = status;
  response.set_content(doc.dump(), "application/json");
}

}  // namespace

FakeGithub::FakeGithub(std::string repository, std::size_t page_size,
                       std::chrono::milliseconds lifetime)
    : repository_(std::move(repository)), page_size_(page_size) {
  server_ = std::make_unique<httplib::Server>();
  server_->set_keep_alive_max_count(1);
  const auto handler = [this](const httplib::Request& req, httplib::Response& res) {
    handle(req, res);
  };
  server_->Get(".*", handler);
  server_->Post(".*", handler);
  server_->Patch(".*", handler);
  server_->Put(".*", handler);
  server_->Delete(".*", handler);
  port_ = server_->bind_to_any_port("127.0.0.1");
  if (port_ <= 0) throw std::runtime_error("fake github: cannot bind 127.0.0.1");
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  for (int i = 0; i < 5000 && !server_->is_running(); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  watchdog_ = std::thread([this, lifetime] {
    std::unique_lock lock(mutex_);
    stopping_cv_.wait_for(lock, lifetime, [this] { return stopping_; });
    stopping_ = true;
    lock.unlock();
    server_->stop();
  });
}

FakeGithub::~FakeGithub() {
  stop();
  if (watchdog_.joinable()) watchdog_.join();
  if (thread_.joinable()) thread_.join();
}

void FakeGithub::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  stopping_cv_.notify_all();
  server_->stop();
}

std::string FakeGithub::api_url() const {
  return "http://127.0.0.1:" + std::to_string(port_);
}

int FakeGithub::add_issue(FakeIssue issue) {
  std::lock_guard lock(mutex_);
  if (issue.number == 0) issue.number = next_number_;
  next_number_ = std::max(next_number_, issue.number + 1);
  issues_.push_back(std::move(issue));
  return issues_.back().number;
}

std::vector<FakeIssue> FakeGithub::issues() const {
  std::lock_guard lock(mutex_);
  return issues_;
}

FakeIssue FakeGithub::issue(int number) const {
  std::lock_guard lock(mutex_);
  for (const FakeIssue& issue : issues_) {
    if (issue.number == number) return issue;
  }
  throw std::out_of_range("fake github: no issue #" + std::to_string(number));
}

void FakeGithub::edit_issue(int number, const std::function<void(FakeIssue&)>& edit) {
  std::lock_guard lock(mutex_);
  for (FakeIssue& issue : issues_) {
    if (issue.number == number) return edit(issue);
  }
  throw std::out_of_range("fake github: no issue #" + std::to_string(number));
}

std::vector<RecordedRequest> FakeGithub::requests() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

std::size_t FakeGithub::write_count() const {
  std::lock_guard lock(mutex_);
  return static_cast<std::size_t>(std::count_if(requests_.begin(), requests_.end(),
                                                [](const auto& r) { return r.method != "GET"; }));
}

void FakeGithub::fail_next(GithubFailure failure, int count, const std::string& method) {
  std::lock_guard lock(mutex_);
  for (int i = 0; i < count; ++i) failures_.push_back({failure, method});
}

bool FakeGithub::inject_failure(const httplib::Request& request, httplib::Response& response) {
  auto it = std::find_if(failures_.begin(), failures_.end(), [&](const PendingFailure& f) {
    return f.method.empty() || f.method == request.method;
  });
  if (it == failures_.end()) return false;
  const GithubFailure failure = it->failure;
  failures_.erase(it);
  const std::string docs = "https://docs.github.com/rest";
  switch (failure) {
    case GithubFailure::unauthorized:
      json_answer(response, 401, {{"message", "Bad credentials"}, {"documentation_url", docs}});
      break;
    case GithubFailure::forbidden:
      json_answer(
          response, 403,
          {{"message", "Resource not accessible by integration"}, {"documentation_url", docs}});
      break;
    case GithubFailure::not_found:
      json_answer(response, 404, {{"message", "Not Found"}, {"documentation_url", docs}});
      break;
    case GithubFailure::gone:
      json_answer(response, 410,
                  {{"message", "Issues are disabled for this repo"}, {"documentation_url", docs}});
      break;
    case GithubFailure::unprocessable:
      json_answer(response, 422,
                  {{"message", "Validation Failed"},
                   {"errors",
                    {{{"resource", "Issue"},
                      {"code", "custom"},
                      {"field", "body"},
                      {"message", "body is too long (maximum is 65536 characters)\x1b[31m"}}}},
                   {"documentation_url", docs}});
      break;
    case GithubFailure::retry_after:
      response.set_header("Retry-After", std::to_string(retry_after_seconds));
      json_answer(response, 429, {{"message", "You have exceeded a secondary rate limit"}});
      break;
    case GithubFailure::rate_limit_exhausted: {
      const auto reset = std::chrono::duration_cast<std::chrono::seconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count() +
                         3600;
      response.set_header("x-ratelimit-remaining", "0");
      response.set_header("x-ratelimit-reset", std::to_string(reset));
      json_answer(response, 403, {{"message", "API rate limit exceeded for installation"}});
      break;
    }
    case GithubFailure::moved:
      response.set_header("Location", api_url() + "/repositories/42" +
                                          request.path.substr(request.path.find("/issues")));
      json_answer(response, 301, {{"message", "Moved Permanently"}});
      break;
    case GithubFailure::drop_connection: {
      const std::string body(200, '[');
      response.set_content_provider(
          body.size(), "application/json",
          [body](std::size_t offset, std::size_t, httplib::DataSink& sink) {
            if (offset > 0) return false;
            sink.write(body.data(), body.size() / 2);
            return true;
          });
      break;
    }
  }
  return true;
}

void FakeGithub::handle(const httplib::Request& request, httplib::Response& response) {
  std::lock_guard lock(mutex_);
  requests_.push_back({request.method, request.path, request.target,
                       HeaderMap(request.headers.begin(), request.headers.end()), request.body,
                       std::chrono::steady_clock::now()});
  if (inject_failure(request, response)) return;

  const std::string prefix = "/repos/" + repository_ + "/issues";
  if (request.path.rfind(prefix, 0) != 0) {
    json_answer(response, 404, {{"message", "Not Found"}});
    return;
  }
  const std::string rest = request.path.substr(prefix.size());
  const GithubFakeJson body = GithubFakeJson::parse(request.body, nullptr, false);

  if (rest.empty() && request.method == "GET") {
    const std::string state =
        request.has_param("state") ? request.get_param_value("state") : "open";
    const std::string label = request.get_param_value("labels");
    std::vector<const FakeIssue*> matching;
    // GitHub's default order: newest first.
    for (auto it = issues_.rbegin(); it != issues_.rend(); ++it) {
      if (state != "all" && it->state != state) continue;
      if (!label.empty() &&
          std::find(it->labels.begin(), it->labels.end(), label) == it->labels.end())
        continue;
      matching.push_back(&*it);
    }
    const std::size_t page =
        request.has_param("page") ? std::stoul(request.get_param_value("page")) : 1;
    GithubFakeJson out = GithubFakeJson::array();
    for (std::size_t i = (page - 1) * page_size_; i < matching.size() && i < page * page_size_; ++i)
      out.push_back(issue_json(*matching[i], api_url(), repository_));
    if (page * page_size_ < matching.size()) {
      const std::string base = next_link_base.empty() ? api_url() : next_link_base;
      response.set_header("Link", "<" + base + prefix + "?state=" + state + "&labels=" + label +
                                      "&per_page=100&page=" + std::to_string(page + 1) +
                                      ">; rel=\"next\", <" + base + prefix +
                                      "?page=99>; rel=\"last\"");
    }
    json_answer(response, 200, out);
    return;
  }
  if (rest.empty() && request.method == "POST") {
    if (!body.is_object() || !body.contains("title")) {
      json_answer(response, 422, {{"message", "Validation Failed"}});
      return;
    }
    FakeIssue issue;
    issue.number = next_number_++;
    issue.title = body["title"];
    issue.body = body.value("body", "");
    if (!drop_labels_on_create && body.contains("labels"))
      issue.labels = body["labels"].get<std::vector<std::string>>();
    issues_.push_back(issue);
    json_answer(response, 201, issue_json(issue, api_url(), repository_));
    return;
  }
  // /N or /N/comments
  std::size_t used = 0;
  int number = 0;
  try {
    number = std::stoi(rest.substr(1), &used);
  } catch (const std::exception&) {
    json_answer(response, 404, {{"message", "Not Found"}});
    return;
  }
  const std::string tail = rest.substr(1 + used);
  auto it = std::find_if(issues_.begin(), issues_.end(),
                         [number](const FakeIssue& i) { return i.number == number; });
  if (it == issues_.end()) {
    json_answer(response, 404, {{"message", "Not Found"}});
    return;
  }
  if (tail == "/comments" && request.method == "POST" && body.is_object()) {
    it->comments.push_back(body.value("body", ""));
    json_answer(response, 201, {{"id", it->comments.size()}, {"body", it->comments.back()}});
    return;
  }
  if (tail.empty() && request.method == "PATCH" && body.is_object()) {
    if (body.contains("body")) it->body = body["body"];
    if (body.contains("labels")) it->labels = body["labels"].get<std::vector<std::string>>();
    if (body.contains("state")) it->state = body["state"];
    if (body.contains("state_reason")) it->state_reason = body["state_reason"];
    json_answer(response, 200, issue_json(*it, api_url(), repository_));
    return;
  }
  json_answer(response, 404, {{"message", "Not Found"}});
}

}  // namespace devops_monitor::testing
