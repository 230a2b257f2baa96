// Collecting an answer's headers within bounds, as libcurl hands them over line by line.
#include "http/response_headers.hpp"

#include <gtest/gtest.h>

#include <string>

namespace devops_monitor {
namespace {

using Headers = std::vector<std::pair<std::string, std::string>>;

TEST(HttpResponseHeaders, NamesAreLowercasedAndValuesTrimmed) {
  ResponseHeaders h(100, 8192);
  h.add_line("HTTP/1.1 429 Too Many Requests\r\n");
  h.add_line("Retry-After:  7 \r\n");
  h.add_line("X-RateLimit-Remaining: 0\r\n");
  h.add_line("Link: <https://api.github.test/issues?page=2>; rel=\"next\"\r\n");
  h.add_line("\r\n");
  EXPECT_EQ(h.headers(),
            (Headers{{"retry-after", "7"},
                     {"x-ratelimit-remaining", "0"},
                     {"link", "<https://api.github.test/issues?page=2>; rel=\"next\""}}));
  EXPECT_EQ(h.reason(), "Too Many Requests");
  EXPECT_FALSE(h.truncated());
}

TEST(HttpResponseHeaders, OnlyTheLastBlockIsKept) {
  // A proxy's answer to CONNECT, an interim 100, then the real answer.
  ResponseHeaders h(100, 8192);
  h.add_line("HTTP/1.1 200 Connection established\r\n");
  h.add_line("Proxy-Agent: fake\r\n");
  h.add_line("\r\n");
  h.add_line("HTTP/1.1 100 Continue\r\n");
  h.add_line("\r\n");
  h.add_line("HTTP/2 201 \r\n");
  h.add_line("location: /issues/7\r\n");
  EXPECT_EQ(h.headers(), (Headers{{"location", "/issues/7"}}));
}

TEST(HttpResponseHeaders, TooManyOrTooLongHeadersAreDroppedAndSaid) {
  ResponseHeaders few(2, 8192);
  few.add_line("HTTP/1.1 200 OK\r\n");
  for (int i = 0; i < 5; ++i) few.add_line("X-N: " + std::to_string(i) + "\r\n");
  EXPECT_EQ(few.headers().size(), 2u);
  EXPECT_TRUE(few.truncated());

  ResponseHeaders small(100, 32);
  small.add_line("HTTP/1.1 200 OK\r\n");
  small.add_line("X-Long: " + std::string(100, 'a') + "\r\n");
  small.add_line("X-Short: b\r\n");
  EXPECT_EQ(small.headers(), (Headers{{"x-short", "b"}}));
  EXPECT_TRUE(small.truncated());
}

TEST(HttpResponseHeaders, MalformedLinesAreIgnored) {
  ResponseHeaders h(100, 8192);
  h.add_line("HTTP/1.1 200 OK\r\n");
  h.add_line("no colon here\r\n");
  h.add_line("Bad Name: x\r\n");
  h.add_line(" folded continuation\r\n");
  h.add_line("Good: y\r\n");
  EXPECT_EQ(h.headers(), (Headers{{"good", "y"}}));
}

TEST(HttpResponseHeaders, ReasonPhraseKeepsOnlyPrintableText) {
  ResponseHeaders h(100, 8192);
  h.add_line("HTTP/1.1 407 Proxy \x1b[31mAuth\x07 Required\r\n");
  EXPECT_EQ(h.reason(), "Proxy [31mAuth Required");
  h.add_line("HTTP/1.1 200 " + std::string(300, 'x') + "\r\n");
  EXPECT_EQ(h.reason().size(), 80u);
}

}  // namespace
}  // namespace devops_monitor
