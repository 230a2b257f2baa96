// Provider answers, in each provider's documented format, to verdicts.
// tests/fixtures/providers/cases.tsv lists: provider, fixture, HTTP status, expected state.
#include "keys/verdict.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

#include "support/fake_provider.hpp"

namespace devops_monitor {
namespace {

using testing::provider_cases;
using testing::provider_fixture;
using testing::ProviderCase;

Provider verdict_provider(const std::string& id) {
  for (const Provider& p : builtin_providers()) {
    if (p.id == id) return p;
  }
  throw std::invalid_argument(id);
}

HttpOutcome answered(int status, std::string body) {
  HttpOutcome out;
  out.http_status = status;
  out.body = std::move(body);
  out.host = "api.example.test";
  out.attempts = 1;
  out.budget = Milliseconds(10000);
  return out;
}

TEST(Verdict, EveryDocumentedProviderAnswerGetsItsState) {
  const std::vector<ProviderCase> cases = provider_cases();
  ASSERT_GE(cases.size(), 30u);
  for (const ProviderCase& c : cases) {
    const KeyVerdict verdict = judge_response(
        verdict_provider(c.provider), answered(c.status, provider_fixture(c.provider, c.fixture)));
    EXPECT_EQ(to_string(verdict.state), c.expected_state)
        << c.provider << "/" << c.fixture << " HTTP " << c.status << ": " << verdict.message;
  }
}

TEST(Verdict, EachProviderHasValidInvalidQuotaAndRateLimitCases) {
  const std::vector<ProviderCase> cases = provider_cases();
  for (const Provider& p : builtin_providers()) {
    std::set<std::string> states;
    for (const ProviderCase& c : cases) {
      if (c.provider == p.id) states.insert(c.expected_state);
    }
    for (const char* state : {"valid", "invalid", "quota_exhausted", "rate_limited", "unknown"}) {
      EXPECT_TRUE(states.count(state)) << p.id << " has no " << state << " case";
    }
  }
}

TEST(Verdict, RestrictedNamesTheCauseAndTheScope) {
  auto judge = [](const char* id, int status, const char* fixture) {
    return judge_response(verdict_provider(id), answered(status, provider_fixture(id, fixture)));
  };
  const KeyVerdict scope = judge("openai", 401, "forbidden_scope");
  EXPECT_EQ(scope.state, KeyState::restricted);
  EXPECT_EQ(scope.restriction, "missing_scope:api.model.read");
  EXPECT_NE(scope.message.find("the key lacks scope api.model.read"), std::string::npos)
      << scope.message;
  EXPECT_EQ(judge("google", 403, "forbidden_ip_blocked").restriction, "API_KEY_IP_ADDRESS_BLOCKED");
  EXPECT_EQ(judge("google", 400, "forbidden_region").restriction, "region");
  EXPECT_EQ(judge("anthropic", 403, "forbidden").restriction, "permission");
  // A plain 401 stays a bad key; so does Google's leaked-key 403.
  EXPECT_EQ(judge("openai", 401, "invalid").state, KeyState::invalid);
  EXPECT_EQ(judge("google", 403, "forbidden_leaked").state, KeyState::invalid);
  // Anthropic's "forbidden" type means a region only in Anthropic's dialect.
  EXPECT_EQ(judge_response(verdict_provider("openai"),
                           answered(403, provider_fixture("anthropic", "forbidden_region")))
                .state,
            KeyState::invalid);
}

TEST(Verdict, ValidKeySaysSoInTheOldToolsWords) {
  const KeyVerdict v = judge_response(verdict_provider("openai"), answered(200, "{}"));
  EXPECT_EQ(v.state, KeyState::valid);
  EXPECT_EQ(v.message, "API key is valid");
}

TEST(Verdict, InvalidKeyMessageCarriesStatusCodeAndProviderWords) {
  const KeyVerdict v = judge_response(verdict_provider("google"),
                                      answered(400, provider_fixture("google", "invalid")));
  EXPECT_EQ(v.state, KeyState::invalid);
  EXPECT_EQ(v.message.rfind("API key is invalid (HTTP 400", 0), 0u) << v.message;
  EXPECT_NE(v.message.find("API key not valid"), std::string::npos) << v.message;
}

TEST(Verdict, MessagesNameTheMostSpecificCode) {
  auto message = [](const char* id, int status, const char* fixture) {
    return judge_response(verdict_provider(id), answered(status, provider_fixture(id, fixture)))
        .message;
  };
  EXPECT_EQ(
      message("openai", 401, "invalid").rfind("API key is invalid (HTTP 401 invalid_api_key: ", 0),
      0u)
      << message("openai", 401, "invalid");
  EXPECT_EQ(
      message("google", 400, "invalid").rfind("API key is invalid (HTTP 400 API_KEY_INVALID: ", 0),
      0u)
      << message("google", 400, "invalid");
  EXPECT_EQ(message("anthropic", 401, "invalid")
                .rfind("API key is invalid (HTTP 401 authentication_error: ", 0),
            0u)
      << message("anthropic", 401, "invalid");
  EXPECT_EQ(message("openrouter", 401, "invalid").rfind("API key is invalid (HTTP 401: ", 0), 0u)
      << message("openrouter", 401, "invalid");
}

TEST(Verdict, GoogleBadRequestWithoutKeyReasonIsNotABadKey) {
  const std::string body =
      R"({"error":{"code":400,"message":"Invalid page size","status":"INVALID_ARGUMENT"}})";
  EXPECT_EQ(judge_response(verdict_provider("google"), answered(400, body)).state,
            KeyState::unknown);
}

TEST(Verdict, ServerErrorsRedirectsAndOddStatusesAreUnknownNeverInvalid) {
  for (int status : {500, 502, 503, 504, 529, 301, 302, 404, 418}) {
    const KeyVerdict v =
        judge_response(verdict_provider("openai"), answered(status, "<html>oops</html>"));
    EXPECT_EQ(v.state, KeyState::unknown) << status;
    EXPECT_EQ(v.message.rfind("Could not verify the key: ", 0), 0u) << v.message;
  }
}

TEST(Verdict, RedirectNamesTheTargetHost) {
  HttpOutcome out = answered(302, "");
  out.redirect_host = "login.example.test";
  const KeyVerdict v = judge_response(verdict_provider("openai"), out);
  EXPECT_NE(v.message.find("redirected to login.example.test (HTTP 302)"), std::string::npos)
      << v.message;
}

TEST(Verdict, NonJsonErrorBodiesStillClassifyByStatus) {
  EXPECT_EQ(judge_response(verdict_provider("openai"), answered(401, "Unauthorized")).state,
            KeyState::invalid);
  EXPECT_EQ(judge_response(verdict_provider("openai"), answered(429, "slow down")).state,
            KeyState::rate_limited);
  EXPECT_EQ(judge_response(verdict_provider("openai"), answered(402, "<b>pay</b>")).state,
            KeyState::quota_exhausted);
}

TEST(Verdict, TransportFailuresAreUnknownWithAPlainReason) {
  struct Example {
    TransportFailure failure;
    std::string expected_words;
  };
  for (const Example& e : std::vector<Example>{
           {TransportFailure::timeout, "no answer from api.example.test within 10s"},
           {TransportFailure::connect, "cannot connect to api.example.test"},
           {TransportFailure::dns, "cannot resolve api.example.test"},
           {TransportFailure::tls, "TLS failure with api.example.test"},
           {TransportFailure::interrupted, "broke off"},
       }) {
    HttpOutcome out;
    out.failure = e.failure;
    out.failure_detail = "detail";
    out.host = "api.example.test";
    out.budget = Milliseconds(10000);
    out.attempts = 1;
    const KeyVerdict v = judge_response(verdict_provider("anthropic"), out);
    EXPECT_EQ(v.state, KeyState::unknown);
    EXPECT_NE(v.message.find(e.expected_words), std::string::npos) << v.message;
  }
}

TEST(Verdict, RetriedFailureSaysHowManyAttempts) {
  HttpOutcome out = answered(503, "");
  out.attempts = 2;
  EXPECT_NE(judge_response(verdict_provider("openai"), out).message.find("(after 2 attempts)"),
            std::string::npos);
}

TEST(Verdict, OpenRouterKeyWithoutLimitIsValid) {
  const std::string body =
      R"({"data":{"label":"x","limit":null,"limit_remaining":null,"usage":3}})";
  EXPECT_EQ(judge_response(verdict_provider("openrouter"), answered(200, body)).state,
            KeyState::valid);
}

TEST(Verdict, OpenRouterRemainingCreditOnlyMattersForOpenRouter) {
  const std::string body = R"({"data":{"limit":10,"limit_remaining":0}})";
  EXPECT_EQ(judge_response(verdict_provider("openrouter"), answered(200, body)).state,
            KeyState::quota_exhausted);
  EXPECT_EQ(judge_response(verdict_provider("openai"), answered(200, body)).state, KeyState::valid);
}

TEST(Verdict, LongProviderMessagesAreCutToOneLine) {
  const std::string body =
      R"({"error":{"message":")" + std::string(500, 'm') + R"(\nsecond line"}})";
  const KeyVerdict v = judge_response(verdict_provider("openai"), answered(401, body));
  EXPECT_LT(v.message.size(), 260u);
  EXPECT_EQ(v.message.find('\n'), std::string::npos);
}

TEST(Verdict, AuthNoneNeverVerifiesAKeyWhateverTheAnswer) {
  Provider provider = verdict_provider("openai");
  provider.auth = AuthKind::none;
  for (int status : {200, 204, 401, 403, 429, 500}) {
    const KeyVerdict v = judge_response(provider, answered(status, "{}"));
    EXPECT_EQ(v.state, KeyState::unsupported) << status;
    EXPECT_EQ(v.message,
              "API key present but not verified: auth = none sends no key "
              "(api.example.test answered HTTP " +
                  std::to_string(status) + ")");
  }
  HttpOutcome down;
  down.failure = TransportFailure::timeout;
  down.host = "api.example.test";
  down.budget = Milliseconds(5000);
  down.attempts = 1;
  const KeyVerdict v = judge_response(provider, down);
  EXPECT_EQ(v.state, KeyState::unsupported);
  EXPECT_EQ(v.message,
            "API key present but not verified: auth = none sends no key "
            "(no answer from api.example.test within 5s)");
}

/// No C0 or C1 control character, no DEL (the C1 ones as UTF-8: C2 80 to C2 9F).
void expect_no_controls(const std::string& text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    EXPECT_FALSE(byte < 0x20 || byte == 0x7f) << "byte " << int(byte) << " in " << text;
    if (byte == 0xC2 && i + 1 < text.size()) {
      const auto next = static_cast<unsigned char>(text[i + 1]);
      EXPECT_FALSE(next >= 0x80 && next <= 0x9F) << "C1 control in " << text;
    }
  }
}

TEST(Verdict, ProviderWordsCannotDriveTheTerminal) {
  // OSC "set window title" and "clear screen", a C1 CSI (U+009B), CR LF.
  const std::string body =
      R"({"error":{"message":"\u001b]0;pwned\u0007\u001b[2JIncorrect key\u009b31m\r\n",)"
      R"("code":"bad\u001b[5m_key"}})";
  for (const int status : {401, 429, 500, 418}) {
    const KeyVerdict v = judge_response(verdict_provider("openai"), answered(status, body));
    expect_no_controls(v.message);
    EXPECT_NE(v.message.find("]0;pwned[2JIncorrect key31m"), std::string::npos) << v.message;
  }
  // Transport details and hosts come from outside too (a raw 0x9B is CSI to 8-bit terminals).
  HttpOutcome out;
  out.failure = TransportFailure::tls;
  out.failure_detail = "certificate for \x1b[31mevil\x1b[0m";
  out.host = "api.example.test\x07\x9b";
  out.attempts = 1;
  expect_no_controls(judge_response(verdict_provider("openai"), out).message);
  HttpOutcome redirected = answered(302, "");
  redirected.redirect_host = "login.example.test\x1b]0;x\x07";
  const KeyVerdict v = judge_response(verdict_provider("openai"), redirected);
  expect_no_controls(v.message);
  EXPECT_NE(v.message.find("redirected to login.example.test]0;x (HTTP 302)"), std::string::npos)
      << v.message;
}

TEST(Verdict, HostsAndTransportDetailsAreCutLikeProviderWords) {
  // Found by fuzz/verdict_fuzz.cpp: a redirect host or curl detail went into the message
  // whole, each ill-formed byte tripled by U+FFFD.
  const std::string huge = std::string(3000, '\xff') + std::string(3000, 'h');
  HttpOutcome redirected = answered(302, "");
  redirected.redirect_host = huge;
  HttpOutcome failed;
  failed.failure = TransportFailure::other;
  failed.failure_detail = huge;
  failed.host = huge;
  failed.attempts = 1;
  Provider none = verdict_provider("openai");
  none.auth = AuthKind::none;
  for (const KeyVerdict& v :
       {judge_response(verdict_provider("openai"), redirected),
        judge_response(verdict_provider("openai"), failed), judge_response(none, failed)}) {
    EXPECT_LE(v.message.size(), 600u) << v.message;
    EXPECT_NE(v.message.find("..."), std::string::npos) << v.message;
  }
}

TEST(Verdict, MissingAndUnsupported) {
  const KeyVerdict missing = missing_key_verdict(verdict_provider("moonshot"));
  EXPECT_EQ(missing.state, KeyState::missing);
  EXPECT_NE(missing.message.find("MOONSHOT_API_KEY"), std::string::npos);
  EXPECT_EQ(unsupported_verdict().state, KeyState::unsupported);
}

}  // namespace
}  // namespace devops_monitor
