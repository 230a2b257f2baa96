// Change notifiers behind one small interface (Gatus' shape): each carries a Notice to one
// place and reports how that went. None decides whether to speak: the caller sends only
// when transitions() returned something.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "devops_monitor/error.hpp"
#include "devops_monitor/settings.hpp"
#include "http/http_client.hpp"
#include "notify/notice.hpp"

namespace devops_monitor::notify {

class Notifier {
 public:
  Notifier() = default;
  Notifier(const Notifier&) = delete;
  Notifier& operator=(const Notifier&) = delete;
  virtual ~Notifier() = default;

  /// Delivers the whole notice in one call. A failure is an Error for the caller to log;
  /// never throws. Messages never contain the destination's URL.
  virtual Result<void> send(const Notice& notice) noexcept = 0;
};

/// A POST of json_payload() or slack_payload() to `webhook.url` through perform_request.
/// `label` names it in errors ("webhooks[0]"): the URL itself may hold a secret, so it is
/// passed to the HTTP layer as one and never quoted. Transient failures (no connection, an
/// answer cut off, 500, 502, 503, 504) are retried once within the timeout, although POST is
/// not idempotent: a duplicated message costs less than a lost alert.
std::unique_ptr<Notifier> make_webhook_notifier(WebhookSettings webhook, std::string label,
                                                HttpOptions options = {});

/// One notifier per configured webhook, labelled "webhooks[i]" as in the config file, using
/// the settings' CA bundle.
std::vector<std::unique_ptr<Notifier>> webhook_notifiers(const Settings& settings,
                                                         HttpOptions options = {});

/// The request make_webhook_notifier's notifier sends, for tests and dry runs.
HttpRequest webhook_request(const WebhookSettings& webhook, const Notice& notice);

}  // namespace devops_monitor::notify
