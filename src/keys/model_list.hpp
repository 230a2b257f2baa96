// Reading the key's model list out of the check's answer, page by page: a streaming (SAX)
// read that keeps a count and the required models it saw, never a document of every model,
// so memory stays flat whatever the list's size (docs/provider-insight.md, "Sizes").
#pragma once

#include <cstddef>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "devops_monitor/provider.hpp"

namespace devops_monitor {

/// What one page of a model list held.
struct ModelPage {
  bool is_list = false;               // the body had the provider's list shape
  bool complete = false;              // the body parsed to its end (not cut by the body cap)
  std::size_t count = 0;              // model ids on the page
  std::set<std::string> found{};      // required models (normalised) that were on it
  std::optional<std::string> next{};  // cursor of the next page when the provider says so
};

/// A model id as compared: the provider's prefix ("models/" on Google) removed.
std::string normalise_model_id(const Provider& provider, std::string_view id);

/// Pure: reads a model list page in the provider's shape. Together: a bare array of
/// {"id"}; OpenAI-style {"data":[{"id"}]} with Anthropic's "has_more" and "last_id";
/// Google {"models":[{"name"}],"nextPageToken"}. Anything else: is_list false.
ModelPage read_model_page(const Provider& provider, std::string_view body,
                          const std::set<std::string>& required);

/// The URL of a model list page: the largest page the provider documents (Anthropic
/// limit=1000, Google pageSize=1000) and, after the first, the cursor (after_id, pageToken).
std::string model_page_url(const Provider& provider, const std::string& base_url,
                           const std::optional<std::string>& cursor);

/// The required models of a provider, normalised.
std::set<std::string> required_model_set(const Provider& provider);

/// All pages read for one key.
struct ModelSummary {
  std::size_t count = 0;
  int pages = 0;
  bool cut_short = false;  // a page cap, the body cap, a failed page or an unreadable page
  std::set<std::string> found{};
};

}  // namespace devops_monitor
