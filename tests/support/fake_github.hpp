// A fake GitHub REST API for the issues endpoints notify uses: a real HTTP server on
// 127.0.0.1 that keeps issues and comments in memory, paginates with a small page size,
// records every request, and can be told to fail the way GitHub does. It stops when
// destroyed, and on its own after a bounded lifetime, even if a test hangs or fails.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "support/fake_provider.hpp"  // RecordedRequest, HeaderMap

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace devops_monitor::testing {

struct FakeIssue {
  int number = 0;
  std::string title;
  std::string body;
  std::string state = "open";
  std::string state_reason;
  std::vector<std::string> labels;
  bool pull_request = false;
  std::vector<std::string> comments;
};

/// The ways GitHub fails that notify must explain.
enum class GithubFailure {
  unauthorized,          // 401 Bad credentials
  forbidden,             // 403 Resource not accessible by integration
  not_found,             // 404
  gone,                  // 410 Issues are disabled for this repo
  unprocessable,         // 422 Validation Failed (with an errors list)
  retry_after,           // 429 with retry-after: retry_after_seconds
  rate_limit_exhausted,  // 403 with x-ratelimit-remaining: 0 and a reset in an hour
  moved,                 // 301 to /repositories/42 (a renamed repository)
  drop_connection,       // announce a body, send half, close
};

class FakeGithub {
 public:
  explicit FakeGithub(std::string repository = "octo-org/infra", std::size_t page_size = 2,
                      std::chrono::milliseconds lifetime = std::chrono::seconds(60));
  ~FakeGithub();
  FakeGithub(const FakeGithub&) = delete;
  FakeGithub& operator=(const FakeGithub&) = delete;

  /// "http://127.0.0.1:PORT": what GITHUB_API_URL is set to.
  [[nodiscard]] std::string api_url() const;

  /// Adds an issue (number assigned when 0) and returns its number.
  int add_issue(FakeIssue issue);
  [[nodiscard]] std::vector<FakeIssue> issues() const;
  [[nodiscard]] FakeIssue issue(int number) const;
  /// Changes an issue as a person would (labels, body).
  void edit_issue(int number, const std::function<void(FakeIssue&)>& edit);
  [[nodiscard]] std::vector<RecordedRequest> requests() const;
  /// Requests other than GET.
  [[nodiscard]] std::size_t write_count() const;

  /// The next `count` requests (of `method`, or of any method when empty) fail like this.
  void fail_next(GithubFailure failure, int count = 1, const std::string& method = "");
  int retry_after_seconds = 1;
  /// Next-page links point here instead of at this server (a foreign host).
  std::string next_link_base;
  /// Like GitHub for a token without push access: new issues get no labels.
  bool drop_labels_on_create = false;

  void stop();

 private:
  void handle(const httplib::Request& request, httplib::Response& response);
  bool inject_failure(const httplib::Request& request, httplib::Response& response);

  std::string repository_;
  std::size_t page_size_;
  std::unique_ptr<httplib::Server> server_;
  int port_ = 0;
  std::thread thread_;
  std::thread watchdog_;
  mutable std::mutex mutex_;
  std::condition_variable stopping_cv_;
  bool stopping_ = false;
  std::vector<FakeIssue> issues_;
  int next_number_ = 1;
  std::vector<RecordedRequest> requests_;
  struct PendingFailure {
    GithubFailure failure;
    std::string method;
  };
  std::deque<PendingFailure> failures_;
};

}  // namespace devops_monitor::testing
