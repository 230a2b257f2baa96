#include "notify/webhook.hpp"

#include <fmt/format.h>

#include <utility>

#include "devops_monitor/text.hpp"
#include "util/guard.hpp"

namespace devops_monitor::notify {
namespace {

// Enough of a receiver's answer to say why it refused ("invalid_payload", "no_team").
constexpr std::size_t kAnswerExcerpt = 200;

std::string answer_excerpt(const std::string& body) {
  std::string text = printable(body);
  if (text.size() > kAnswerExcerpt) text = text.substr(0, kAnswerExcerpt) + "...";
  return text;
}

class WebhookNotifier final : public Notifier {
 public:
  WebhookNotifier(WebhookSettings webhook, std::string label, HttpOptions options)
      : webhook_(std::move(webhook)), label_(std::move(label)), options_(std::move(options)) {}

  Result<void> send(const Notice& notice) noexcept override {
    return guarded<void>("webhook delivery failed", [&]() -> Result<void> {
      const HttpOutcome outcome = perform_request(webhook_request(webhook_, notice), options_);
      return judge(outcome);
    });
  }

 private:
  [[nodiscard]] Result<void> judge(const HttpOutcome& outcome) const {
    // Where: the label alone. Not the host: the layer redacts every word sharing a piece of
    // the URL (the host always does), and the URL itself may be the secret.
    const std::string& where = label_;
    const std::string tries =
        outcome.attempts == 1 ? "1 attempt" : fmt::format("{} attempts", outcome.attempts);
    if (outcome.failure != TransportFailure::none) {
      // No attempt: refused before sending (plain http to another host, a bad URL).
      std::string detail = outcome.failure_detail;
      if (outcome.attempts > 0) detail += ", after " + tries;
      return Error{"webhook delivery failed", detail, where};
    }
    const int status = outcome.http_status.value_or(0);
    if (status >= 200 && status < 300) return {};
    std::string detail = fmt::format("HTTP {} after {}", status, tries);
    if (const std::string answer = answer_excerpt(outcome.body); !answer.empty()) {
      detail += ": " + answer;
    }
    return Error{"webhook delivery failed", detail, where};
  }

  WebhookSettings webhook_;
  std::string label_;
  HttpOptions options_;
};

}  // namespace

HttpRequest webhook_request(const WebhookSettings& webhook, const Notice& notice) {
  return HttpRequest{
      .method = "POST",
      .url = webhook.url,
      .headers = {{"Content-Type", "application/json"}},
      .body = webhook.format == WebhookFormat::slack ? slack_payload(notice) : json_payload(notice),
      .secrets = {webhook.url},
      .timeout = webhook.timeout,
      .retry_transient = true,
      .transient_statuses = {500},
  };
}

std::unique_ptr<Notifier> make_webhook_notifier(WebhookSettings webhook, std::string label,
                                                HttpOptions options) {
  return std::make_unique<WebhookNotifier>(std::move(webhook), std::move(label),
                                           std::move(options));
}

std::vector<std::unique_ptr<Notifier>> webhook_notifiers(const Settings& settings,
                                                         HttpOptions options) {
  if (options.ca_bundle.empty()) options.ca_bundle = settings.ca_bundle;
  std::vector<std::unique_ptr<Notifier>> notifiers;
  for (std::size_t i = 0; i < settings.webhooks.size(); ++i) {
    notifiers.push_back(
        make_webhook_notifier(settings.webhooks[i], fmt::format("webhooks[{}]", i), options));
  }
  return notifiers;
}

}  // namespace devops_monitor::notify
