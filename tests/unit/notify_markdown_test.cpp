// Outside text in GitHub issue bodies: inert Markdown, bounded bodies, readable markers.
#include <gtest/gtest.h>

#include "notify/github_body.hpp"
#include "notify/markdown.hpp"

namespace devops_monitor::notify {
namespace {

bool md_contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(MarkdownText, PlainTextStaysReadable) {
  EXPECT_EQ(markdown_text("High CPU usage: 85.3% (warning at 80%)"),
            "High CPU usage: 85.3% \\(warning at 80%\\)");
  EXPECT_EQ(markdown_text("build-host-3"), "build-host-3");
  EXPECT_EQ(markdown_text("Grüße 東京 🚀"), "Grüße 東京 🚀");
}

TEST(MarkdownText, NeutralisesMentionsReferencesAndLinks) {
  const std::string out = markdown_text("@octocat @org/team #12 https://evil.example www.evil.io");
  EXPECT_FALSE(md_contains(out, "@octocat"));
  EXPECT_FALSE(md_contains(out, "@org"));
  EXPECT_FALSE(md_contains(out, "#12"));
  EXPECT_FALSE(md_contains(out, "https://"));
  EXPECT_FALSE(md_contains(out, "www.evil"));
  EXPECT_TRUE(md_contains(out, "@\u200boctocat"));
  EXPECT_EQ(markdown_text("[click](javascript:alert(1))"),
            "\\[click\\]\\(javascript:alert\\(1\\)\\)");
}

TEST(MarkdownText, NoHtmlNoCodeNoCellBreak) {
  EXPECT_EQ(markdown_text("<img src=x onerror=alert(1)>"),
            "&lt;img src=x onerror=alert\\(1\\)&gt;");
  EXPECT_EQ(markdown_text("<!-- devops-monitor:alert key=x -->"),
            "&lt;\\!-- devops-monitor:alert key=x --&gt;");
  EXPECT_EQ(markdown_text("a | b `c` *d* _e_ ~f~ &amp;"),
            "a \\| b \\`c\\` \\*d\\* \\_e\\_ \\~f\\~ &amp;amp;");
}

TEST(MarkdownText, NoBlockAtTheStart) {
  EXPECT_EQ(markdown_text("- nested"), "\\- nested");
  EXPECT_EQ(markdown_text("+ nested"), "\\+ nested");
  EXPECT_EQ(markdown_text("12. ordered"), "12\\. ordered");
  EXPECT_EQ(markdown_text("# heading"), "\\#\u200b heading");
  EXPECT_EQ(markdown_text("> quote"), "&gt; quote");
}

TEST(MarkdownText, OneLineWithoutControlsAndBounded) {
  EXPECT_EQ(markdown_text("a\nb\r\nc\x1b[31m"), "a b  c\\[31m");
  const std::string cut = markdown_text(std::string(50, 'x') + "é", 51);
  EXPECT_EQ(cut, std::string(50, 'x') + "\u2026");  // never half a character
}

TEST(BoundBody, CutsAtALineWithANoteAndKeepsTheStart) {
  std::string body = alert_marker("health") + "\n";
  while (body.size() < 100000) body += "- a line of text\n";
  const std::string bounded = bound_body(body);
  EXPECT_LE(bounded.size(), kGithubBodyLimit);
  EXPECT_TRUE(bounded.starts_with(alert_marker("health")));
  EXPECT_TRUE(md_contains(bounded, "cut: the full text was longer than GitHub's limit"));
  EXPECT_EQ(bound_body("short"), "short");
}

TEST(StateMarker, RoundTripsAndIsReplacedInPlace) {
  const IssueState state{Status::warning, "0123abcd"};
  const std::string body = alert_marker("health") + "\n" + state_marker(state) + "\ntext";
  const std::optional<IssueState> read = read_state_marker(body);
  ASSERT_TRUE(read);
  EXPECT_EQ(read->status, Status::warning);
  EXPECT_EQ(read->signature, "0123abcd");
  const std::string updated = with_state_marker(body, {Status::critical, "ffff"});
  EXPECT_EQ(updated,
            alert_marker("health") + "\n" + state_marker({Status::critical, "ffff"}) + "\ntext");
  EXPECT_FALSE(read_state_marker("no marker"));
  EXPECT_FALSE(read_state_marker("<!-- devops-monitor:state {\"status\":\"bad\"} -->"));
  EXPECT_FALSE(read_state_marker("<!-- devops-monitor:state {not json -->"));
  EXPECT_TRUE(with_state_marker("edited by a person", state).starts_with(state_marker(state)));
}

TEST(IssueTitle, PrintableEscapedAndAtMost256Bytes) {
  Alert alert;
  alert.headline = "CRITICAL on host\x1b[2J" + std::string(400, 'h');
  const std::string title = issue_title(alert);
  EXPECT_LE(title.size(), 256U);
  EXPECT_TRUE(title.starts_with("devops-monitor: CRITICAL on host\\[2J")) << title;
}

TEST(IssueTitle, IsEscapedLikeTheBody) {
  // GitHub renders titles too: code spans, @mentions, #references, links.
  Alert alert;
  alert.headline = "CRITICAL on @org/team `rm -rf` #1 [x](https://evil.example) <b>";
  const std::string title = issue_title(alert);
  EXPECT_EQ(title, markdown_text("devops-monitor: " + alert.headline));
  EXPECT_NE(issue_body(alert, "").find("## " + title + "\n"), std::string::npos);
  for (const char* raw : {"@org", "#1", "](", "<b>", "https://"}) {
    EXPECT_EQ(title.find(raw), std::string::npos) << raw << " in " << title;
  }
  EXPECT_NE(title.find("\\`rm -rf\\`"), std::string::npos) << "no code span: " << title;
  // Bidirectional overrides and line separators go, as everywhere outside text is shown.
  alert.headline = "CRITICAL on h\xE2\x80\xAEtsoh\xE2\x80\xA8next";
  EXPECT_EQ(issue_title(alert), "devops-monitor: CRITICAL on htsoh next");
  // Escaping may lengthen it; the cut keeps the escaped title within GitHub's 256.
  alert.headline = std::string(300, '*');
  EXPECT_LE(issue_title(alert).size(), 256U);
  EXPECT_TRUE(issue_title(alert).ends_with("\xE2\x80\xA6")) << issue_title(alert);
}

}  // namespace
}  // namespace devops_monitor::notify
