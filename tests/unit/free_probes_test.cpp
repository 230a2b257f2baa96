// The provider table says which free endpoints a key check may ask, with their kinds, and
// the one request builder can build nothing else: a GET without a body to a listed endpoint.
#include <gtest/gtest.h>

#include <string>

#include "devops_monitor/provider.hpp"
#include "keys/free_probes.hpp"

namespace devops_monitor {
namespace {

const Provider& builtin(const std::string& id) {
  static const std::vector<Provider> table = builtin_providers();
  for (const Provider& p : table) {
    if (p.id == id) return p;
  }
  throw std::invalid_argument(id);
}

TEST(FreeProbes, TheTableListsEachProvidersFreeEndpointsWithTheirKinds) {
  EXPECT_EQ(builtin("openrouter").check_kind, ProbeKind::key_info);
  for (const char* id : {"together", "openai", "anthropic", "google", "moonshot"}) {
    EXPECT_EQ(builtin(id).check_kind, ProbeKind::model_list) << id;
  }
  const std::vector<FreeEndpoint> moonshot = free_endpoints(builtin("moonshot"));
  ASSERT_EQ(moonshot.size(), 2u);
  EXPECT_EQ(moonshot[0].url, "https://api.moonshot.ai/v1/models");
  EXPECT_EQ(moonshot[1].kind, ProbeKind::balance);
  EXPECT_EQ(moonshot[1].url, "https://api.moonshot.ai/v1/users/me/balance");
  EXPECT_EQ(free_endpoints(builtin("openai")).size(), 1u);
  EXPECT_EQ(to_string(ProbeKind::key_info), "key_info");
}

TEST(FreeProbes, OnlyAListedKindCanBeBuiltAndItIsABodylessGet) {
  const Provider& openai = builtin("openai");
  EXPECT_FALSE(free_probe_request(openai, ProbeKind::balance, "k", Milliseconds(1000)));
  EXPECT_FALSE(
      free_probe_request(builtin("openrouter"), ProbeKind::model_list, "k", Milliseconds(1000)));
  const auto request = free_probe_request(openai, ProbeKind::model_list, "k", Milliseconds(1000));
  ASSERT_TRUE(request);
  EXPECT_EQ(request->method, "GET");
  EXPECT_TRUE(request->body.empty());
  EXPECT_EQ(request->url, "https://api.openai.com/v1/models");
  EXPECT_EQ(request->secrets, std::vector<std::string>{"k"});

  // A later page adds only its query to the listed endpoint.
  const auto page = free_probe_request(builtin("anthropic"), ProbeKind::model_list, "k",
                                       Milliseconds(1000), std::string("claude-a"));
  ASSERT_TRUE(page);
  EXPECT_EQ(page->url, "https://api.anthropic.com/v1/models?limit=1000&after_id=claude-a");

  // No endpoint, no request; a balance without a key sent is not probed.
  Provider none = openai;
  none.test_endpoint.clear();
  EXPECT_FALSE(free_probe_request(none, ProbeKind::model_list, "k", Milliseconds(1000)));
  Provider keyless = builtin("moonshot");
  keyless.auth = AuthKind::none;
  EXPECT_FALSE(free_probe_request(keyless, ProbeKind::balance, "k", Milliseconds(1000)));
}

}  // namespace
}  // namespace devops_monitor
