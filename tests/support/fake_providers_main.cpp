// fake-providers: serves all six built-in providers' test endpoints on 127.0.0.1 with an
// injected latency, for bench/ and for trying the tool by hand. Prints a config file for
// devops-monitor on stdout, then serves until killed or its lifetime ends.
//
//   fake-providers [LATENCY_MS [LIFETIME_S [small|large]]]     e.g. fake-providers 300 120
//
// Each answer is one page, as with the largest page size the check asks for; "large" serves
// the 500-model lists (tests/fixtures/providers/make_large_lists.py) instead of the small
// ones. Moonshot's balance endpoint is served too.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>

#include "support/fake_provider.hpp"
#include "support/monitor_world.hpp"

int main(int argc, char** argv) {
  using namespace devops_monitor::testing;
  const long latency_ms = argc > 1 ? std::strtol(argv[1], nullptr, 10) : 300;
  const long lifetime_s = argc > 2 ? std::strtol(argv[2], nullptr, 10) : 120;
  const bool large = argc > 3 && std::string(argv[3]) == "large";
  FakeProviderServer server{std::chrono::seconds(lifetime_s)};
  server.on(MonitorWorld::balance_route(), {.body = provider_fixture("moonshot", "balance_ok"),
                                            .delay = milliseconds(latency_ms)});
  for (const std::string& id : builtin_ids()) {
    const std::string route = "/" + id + endpoint_path(id);
    // OpenRouter's check is /key, which lists no models. Google's small answer is its last
    // page (valid.json is a first page with a next-page token).
    std::string fixture = large && id != "openrouter" ? "models_500"
                          : id == "google"            ? "models_page2"
                                                      : "valid";
    server.on(route, {.body = provider_fixture(id, fixture), .delay = milliseconds(latency_ms)});
    std::printf("[providers.%s]\ntest_endpoint = \"%s\"\n\n", id.c_str(),
                server.url(route).c_str());
  }
  std::fflush(stdout);
  std::fclose(stdout);  // tells the reader the config is complete
  std::this_thread::sleep_for(std::chrono::seconds(lifetime_s));
  return 0;
}
