// What a check's answer says beyond the verdict: model lists, credit and rate-limit headers.
// tests/fixtures/providers/insight_cases.tsv (format in docs/provider-insight.md) holds the
// expected facts per fixture; the rows are run here through the pure readers. Real HTTP,
// pages and the balance request are in tests/integration/insight_test.cpp.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

#include "keys/credit.hpp"
#include "keys/model_list.hpp"
#include "keys/rate_limit.hpp"
#include "keys/verdict.hpp"
#include "support/fake_provider.hpp"

namespace devops_monitor {
namespace {

using testing::provider_fixture;

struct InsightRow {
  int line = 0;
  std::string provider{};
  std::vector<std::string> fixtures{};
  int status = 0;
  std::vector<HttpHeader> headers{};
  std::map<std::string, std::string> facts{};

  [[nodiscard]] bool has(const std::string& name) const { return facts.count(name) != 0; }
  [[nodiscard]] std::string fact(const std::string& name) const {
    auto it = facts.find(name);
    return it == facts.end() ? std::string() : it->second;
  }
};

std::vector<std::string> split_on(const std::string& text, const std::string& separator) {
  std::vector<std::string> parts;
  if (text.empty()) return parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t at = text.find(separator, start);
    parts.push_back(text.substr(start, at - start));
    if (at == std::string::npos) break;
    start = at + separator.size();
  }
  return parts;
}

std::vector<InsightRow> insight_rows() {
  std::ifstream in(std::string(DEVOPS_MONITOR_SOURCE_DIR) +
                   "/tests/fixtures/providers/insight_cases.tsv");
  if (!in) throw std::runtime_error("missing insight_cases.tsv");
  std::vector<InsightRow> rows;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty() || line[0] == '#') continue;
    const std::vector<std::string> columns = split_on(line, "\t");
    if (columns.size() != 5) throw std::runtime_error("bad row " + std::to_string(number));
    InsightRow row{.line = number, .provider = columns[0], .fixtures = split_on(columns[1], ",")};
    row.status = std::stoi(columns[2]);
    for (const std::string& header : split_on(columns[3], "; ")) {
      const std::size_t colon = header.find(": ");
      std::string name = header.substr(0, colon);
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      row.headers.emplace_back(name, header.substr(colon + 2));
    }
    std::istringstream facts(columns[4]);
    std::string fact;
    while (facts >> fact) {
      const std::size_t eq = fact.find('=');
      row.facts[fact.substr(0, eq)] = fact.substr(eq + 1);
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

Provider insight_provider(const std::string& id) {
  for (const Provider& p : builtin_providers()) {
    if (p.id == id) return p;
  }
  throw std::invalid_argument(id);
}

HttpOutcome insight_answer(const InsightRow& row, const std::string& fixture) {
  HttpOutcome out;
  out.http_status = row.status;
  out.body = provider_fixture(row.provider, fixture.substr(0, fixture.rfind(".json")));
  out.headers = row.headers;
  out.host = "api.example.test";
  out.attempts = 1;
  return out;
}

void expect_near_fact(const InsightRow& row, const char* name, std::optional<double> actual) {
  if (!row.has(name)) return;
  ASSERT_TRUE(actual) << name;
  EXPECT_NEAR(*actual, std::stod(row.fact(name)), 1e-6) << name;
}

void check_models(const InsightRow& row, const Provider& provider) {
  std::set<std::string> required;
  for (const char* kind : {"present", "missing", "not_seen"}) {
    for (const std::string& m : split_on(row.fact(kind), ",")) {
      required.insert(normalise_model_id(provider, m));
    }
  }
  const int cap = row.has("page_cap") ? std::stoi(row.fact("page_cap")) : 10;
  ModelSummary summary;
  std::optional<std::string> next;
  for (const std::string& fixture : row.fixtures) {
    if (summary.pages == cap) break;
    const ModelPage page = read_model_page(provider, insight_answer(row, fixture).body, required);
    ASSERT_TRUE(page.is_list) << fixture;
    summary.pages += 1;
    summary.count += page.count;
    summary.found.insert(page.found.begin(), page.found.end());
    next = page.next;
    if (!next) break;
  }
  summary.cut_short = next.has_value() && summary.pages >= cap;
  if (row.has("models")) {
    EXPECT_EQ(std::to_string(summary.count), row.fact("models"));
  }
  if (row.has("pages")) {
    EXPECT_EQ(std::to_string(summary.pages), row.fact("pages"));
  }
  if (row.has("next")) {
    const std::string expected = row.fact("next");
    const std::string cursor_kind =
        provider.dialect == Dialect::google ? "page_token:" : "after_id:";
    EXPECT_EQ(next ? cursor_kind + *next : "none", expected);
  }
  EXPECT_EQ(summary.cut_short, row.fact("cut_short") == "true");
  for (const std::string& m : split_on(row.fact("present"), ",")) {
    EXPECT_EQ(summary.found.count(normalise_model_id(provider, m)), 1u) << m;
  }
  for (const char* kind : {"missing", "not_seen"}) {
    for (const std::string& m : split_on(row.fact(kind), ",")) {
      EXPECT_EQ(summary.found.count(normalise_model_id(provider, m)), 0u) << m;
      EXPECT_EQ(summary.cut_short, std::string(kind) == "not_seen") << m;
    }
  }
}

void check_rate_limit(const InsightRow& row, const Provider& provider, const HttpOutcome& out) {
  const RateLimitInfo info = read_rate_limit(provider, out);
  if (row.has("ratelimit_limit")) {
    EXPECT_EQ(info.limit, std::stoll(row.fact("ratelimit_limit")));
  }
  if (row.has("ratelimit_remaining")) {
    EXPECT_EQ(info.remaining, std::stoll(row.fact("ratelimit_remaining")));
  }
  expect_near_fact(row, "ratelimit_reset_s", info.reset_seconds);
  if (row.has("ratelimit_reset_at")) {
    EXPECT_EQ(info.reset_at, row.fact("ratelimit_reset_at"));
  }
  if (row.fact("ratelimit") == "absent") {
    EXPECT_TRUE(!info.limit && !info.remaining && !info.unreadable);
  }
  if (row.fact("ratelimit") == "malformed") {
    EXPECT_TRUE(!info.limit && info.unreadable);
  }
  if (row.fact("ratelimit_reset") == "absent") {
    EXPECT_TRUE(!info.reset_seconds && !info.reset_at);
  }
  if (row.fact("ratelimit_reset") == "malformed") {
    EXPECT_TRUE(info.unreadable && !info.reset_seconds && !info.reset_at);
  }
  if (row.has("ratelimit_fraction")) {
    ASSERT_TRUE(info.limit && info.remaining);
    EXPECT_NEAR(static_cast<double>(*info.remaining) / static_cast<double>(*info.limit),
                std::stod(row.fact("ratelimit_fraction")), 1e-9);
  }
  expect_near_fact(row, "retry_after_s", info.retry_after_seconds);
  if (row.has("retry_after_at")) {
    EXPECT_EQ(info.retry_after_at, row.fact("retry_after_at"));
  }
  if (row.has("retry_after")) {
    EXPECT_TRUE(!info.retry_after_seconds && !info.retry_after_at);
  }
}

void check_credit(const InsightRow& row, const Credit& credit) {
  expect_near_fact(row, "credit_remaining", credit.remaining);
  if (row.has("currency")) {
    EXPECT_EQ(credit.unit, row.fact("currency"));
  }
  if (row.has("credit_scope")) {
    EXPECT_EQ(credit.scope, row.fact("credit_scope"));
  }
  if (row.has("credit")) {
    EXPECT_EQ(to_string(credit.status), row.fact("credit"));
  }
  if (row.fact("balance") == "failed") {
    EXPECT_EQ(credit.status, CreditStatus::unreadable);
  }
  if (row.has("min_credit")) {
    ASSERT_TRUE(credit.remaining);
    EXPECT_EQ(*credit.remaining < std::stod(row.fact("min_credit")),
              row.fact("credit_low") == "true");
  }
}

TEST(InsightCases, EveryRowOfTheResearchHoldsThroughThePureReaders) {
  const std::vector<InsightRow> rows = insight_rows();
  ASSERT_GE(rows.size(), 50u);
  int checked = 0;
  for (const InsightRow& row : rows) {
    SCOPED_TRACE("insight_cases.tsv:" + std::to_string(row.line) + " " + row.provider + "/" +
                 row.fixtures.front());
    Provider provider = insight_provider(row.provider);
    const std::string request = row.fact("request");
    const HttpOutcome first = insight_answer(row, row.fixtures.front());
    if (request == "models" || request == "key") {
      const KeyVerdict verdict = judge_response(provider, first);
      if (row.has("verdict")) {
        EXPECT_EQ(to_string(verdict.state), row.fact("verdict"));
      }
      if (row.has("reason")) {
        EXPECT_EQ(verdict.restriction, row.fact("reason"));
      }
      if (request == "models" && row.status == 200) check_models(row, provider);
      check_rate_limit(row, provider, first);
      check_credit(row, read_credit(provider, first, std::nullopt));
      ++checked;
    } else if (request == "balance") {
      if (row.has("host")) provider.test_endpoint = "https://" + row.fact("host") + "/v1/models";
      const HttpOutcome check = insight_answer(
          InsightRow{.provider = "moonshot", .fixtures = {}, .status = 200}, "valid");
      const Credit credit = read_credit(provider, check, first);
      check_credit(row, credit);
      if (row.fact("verdict") == "quota_exhausted") {
        ASSERT_TRUE(credit.remaining);
        EXPECT_LE(*credit.remaining, 0.0);
      }
      ++checked;
    }
    // models_user and credits: requests the check does not make (OpenRouter's /models/user
    // and the management-key-only /credits; docs/provider-insight.md).
  }
  EXPECT_GE(checked, 50);
}

// ---- model lists --------------------------------------------------------------------------

TEST(ModelList, EachProviderShapeIsCountedAndMatched) {
  const std::set<std::string> want = {"gpt-4o", "gemini-2.5-pro", "org/M"};
  const Provider openai = insight_provider("openai");
  const ModelPage list =
      read_model_page(openai, R"({"object":"list","data":[{"id":"gpt-4o"},{"id":"o3"}]})", want);
  EXPECT_TRUE(list.is_list);
  EXPECT_EQ(list.count, 2u);
  EXPECT_EQ(list.found, std::set<std::string>{"gpt-4o"});
  // Together: a bare array; ids are case-sensitive.
  const ModelPage bare =
      read_model_page(insight_provider("together"), R"([{"id":"org/M"},{"id":"org/m"}])", want);
  EXPECT_EQ(bare.count, 2u);
  EXPECT_EQ(bare.found, std::set<std::string>{"org/M"});
  // Google: "name" with "models/", stripped on both sides.
  const Provider google = insight_provider("google");
  const ModelPage named =
      read_model_page(google, R"({"models":[{"name":"models/gemini-2.5-pro","baseModelId":"x"}]})",
                      required_model_set(Provider{.required_models = {"models/gemini-2.5-pro"}}));
  EXPECT_EQ(named.count, 1u);
  EXPECT_EQ(normalise_model_id(google, "models/gemini-2.5-pro"), "gemini-2.5-pro");
  EXPECT_EQ(read_model_page(google, R"({"models":[{"name":"models/gemini-2.5-pro"}]})", want).found,
            std::set<std::string>{"gemini-2.5-pro"});
}

TEST(ModelList, NestedIdsAndOtherShapesAreNotModels) {
  const Provider openai = insight_provider("openai");
  // An "id" inside an entry's nested object is not a model id.
  const ModelPage page = read_model_page(
      openai, R"({"data":[{"id":"a","permission":[{"id":"modelperm-1"}],"parent":{"id":"b"}}]})",
      {});
  EXPECT_EQ(page.count, 1u);
  EXPECT_FALSE(read_model_page(openai, R"({"error":{"message":"x"}})", {}).is_list);
  EXPECT_FALSE(read_model_page(openai, "not json", {}).is_list);
  EXPECT_FALSE(read_model_page(insight_provider("google"), R"({"data":[{"id":"a"}]})", {}).is_list);
}

TEST(ModelList, ABodyCutByTheCapIsIncompleteAndHasNoNextPage) {
  const Provider anthropic = insight_provider("anthropic");
  const ModelPage page =
      read_model_page(anthropic, R"({"data":[{"id":"a"},{"id":"b"},{"id":"c)", {});
  EXPECT_TRUE(page.is_list);
  EXPECT_FALSE(page.complete);
  EXPECT_EQ(page.count, 2u);
  EXPECT_FALSE(page.next);
}

TEST(ModelList, PageUrlsAskForTheLargestPageAndCarryTheCursorEncoded) {
  const Provider anthropic = insight_provider("anthropic");
  EXPECT_EQ(model_page_url(anthropic, "https://a.test/v1/models", std::nullopt),
            "https://a.test/v1/models?limit=1000");
  EXPECT_EQ(model_page_url(anthropic, "https://a.test/v1/models?x=1", std::string("id 1&x")),
            "https://a.test/v1/models?x=1&limit=1000&after_id=id%201%26x");
  EXPECT_EQ(model_page_url(insight_provider("google"), "https://g.test/v1beta/models",
                           std::string("T/0=")),
            "https://g.test/v1beta/models?pageSize=1000&pageToken=T%2F0%3D");
  EXPECT_EQ(model_page_url(insight_provider("openai"), "https://o.test/v1/models", std::nullopt),
            "https://o.test/v1/models");
}

TEST(ModelList, AnthropicLastIdIsANextPageOnlyWhenHasMoreSaysSo) {
  const Provider anthropic = insight_provider("anthropic");
  EXPECT_FALSE(
      read_model_page(anthropic, R"({"data":[],"has_more":false,"last_id":"x"})", {}).next);
  EXPECT_EQ(read_model_page(anthropic, R"({"data":[],"has_more":true,"last_id":"x"})", {}).next,
            std::optional<std::string>("x"));
  // OpenAI-style lists do not page: a has_more there is not followed.
  EXPECT_FALSE(read_model_page(insight_provider("openai"),
                               R"({"data":[],"has_more":true,"last_id":"x"})", {})
                   .next);
}

// ---- rate-limit headers -------------------------------------------------------------------

TEST(RateLimitHeaders, GoDurations) {
  EXPECT_EQ(parse_go_duration("6m0s"), 360.0);
  EXPECT_NEAR(*parse_go_duration("20ms"), 0.02, 1e-12);
  EXPECT_EQ(parse_go_duration("1m30.5s"), 90.5);
  EXPECT_EQ(parse_go_duration("1h"), 3600.0);
  EXPECT_EQ(parse_go_duration("1s"), 1.0);
  EXPECT_EQ(parse_go_duration("0"), 0.0);
  for (const char* bad : {"", "soon", "6m0", "m", "-1s", "1x", "1.2.3s", "1s ", " 1s", "1e3s"}) {
    EXPECT_FALSE(parse_go_duration(bad)) << bad;
  }
}

TEST(RateLimitHeaders, SecondsAndHttpDates) {
  EXPECT_EQ(parse_seconds("20"), 20.0);
  EXPECT_EQ(parse_seconds("0.5"), 0.5);
  for (const char* bad : {"", "-5", "+5", "5s", "1e3", "nan", "inf", " 5"}) {
    EXPECT_FALSE(parse_seconds(bad)) << bad;
  }
  EXPECT_EQ(parse_http_date("Wed, 21 Oct 2026 07:28:00 GMT"),
            std::optional<std::string>("2026-10-21T07:28:00Z"));
  for (const char* bad : {"Wed, 31 Feb 2026 07:28:00 GMT", "Wed, 21 Foo 2026 07:28:00 GMT",
                          "Wed, 21 Oct 2026 07:28:00 UTC", "Wednesday, 21-Oct-26 07:28:00 GMT"}) {
    EXPECT_FALSE(parse_http_date(bad)) << bad;
  }
}

HttpOutcome with_headers(int status, std::vector<HttpHeader> headers) {
  HttpOutcome out;
  out.http_status = status;
  out.headers = std::move(headers);
  return out;
}

TEST(RateLimitHeaders, AbsentGivesNothingAndRemainingAboveLimitIsMalformed) {
  const Provider openai = insight_provider("openai");
  const RateLimitInfo none = read_rate_limit(openai, with_headers(200, {}));
  EXPECT_FALSE(none.limit || none.remaining || none.reset_seconds || none.unreadable);
  const RateLimitInfo above =
      read_rate_limit(openai, with_headers(200, {{"x-ratelimit-limit-requests", "10"},
                                                 {"x-ratelimit-remaining-requests", "11"}}));
  EXPECT_FALSE(above.limit || above.remaining);
  EXPECT_TRUE(above.unreadable);
  const RateLimitInfo negative =
      read_rate_limit(openai, with_headers(200, {{"x-ratelimit-limit-requests", "10"},
                                                 {"x-ratelimit-remaining-requests", "-1"}}));
  EXPECT_TRUE(negative.unreadable);
  // A transport failure has no headers worth reading.
  HttpOutcome failed;
  failed.failure = TransportFailure::timeout;
  EXPECT_FALSE(read_rate_limit(openai, failed).unreadable);
}

TEST(RateLimitHeaders, GoogleRetryInfoInTheBody) {
  HttpOutcome out = with_headers(429, {});
  out.body = provider_fixture("google", "rate_limited_retryinfo");
  EXPECT_EQ(read_rate_limit(insight_provider("google"), out).retry_after_seconds, 23.0);
  out.body = R"({"error":{"details":[{"retryDelay":"soon"}]}})";
  EXPECT_FALSE(read_rate_limit(insight_provider("google"), out).retry_after_seconds);
}

// ---- credit -------------------------------------------------------------------------------

TEST(Credit, BalanceEndpointFollowsTestEndpoint) {
  Provider moonshot = insight_provider("moonshot");
  EXPECT_EQ(resolve_balance_endpoint(moonshot), "https://api.moonshot.ai/v1/users/me/balance");
  EXPECT_EQ(balance_unit(moonshot), "USD");
  moonshot.test_endpoint = "https://api.moonshot.cn/v1/models";
  EXPECT_EQ(resolve_balance_endpoint(moonshot), "https://api.moonshot.cn/v1/users/me/balance");
  EXPECT_EQ(balance_unit(moonshot), "CNY");
  moonshot.test_endpoint = "http://127.0.0.1:8080/moonshot/v1/models?x=1";
  EXPECT_EQ(resolve_balance_endpoint(moonshot),
            "http://127.0.0.1:8080/moonshot/v1/users/me/balance");
  moonshot.balance_endpoint = "https://gw.test/balance";
  moonshot.credit_unit = "credits";
  EXPECT_EQ(resolve_balance_endpoint(moonshot), "https://gw.test/balance");
  EXPECT_EQ(balance_unit(moonshot), "credits");
  EXPECT_EQ(resolve_balance_endpoint(insight_provider("openai")), "");
}

TEST(Credit, BalanceBodiesThatSayFailureAreUnreadable) {
  EXPECT_EQ(read_balance_body(R"({"code":0,"data":{"available_balance":1.5},"status":true})"), 1.5);
  EXPECT_FALSE(read_balance_body(R"({"code":1,"data":{"available_balance":1.5},"status":true})"));
  EXPECT_FALSE(read_balance_body(R"({"code":0,"data":{"available_balance":1.5},"status":false})"));
  EXPECT_FALSE(read_balance_body(R"({"code":0,"data":{"available_balance":"1.5"}})"));
  EXPECT_FALSE(read_balance_body("<html>"));
}

}  // namespace
}  // namespace devops_monitor
