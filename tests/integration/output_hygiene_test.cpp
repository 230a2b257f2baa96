// Outside text never drives the terminal: provider answers, names from the config file and
// lines of .env files reach stdout, stderr and reports without control characters, through
// the real binary. And auth = "none" never passes for a verified key.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/monitor_world.hpp"

namespace devops_monitor::testing {
namespace {

/// A provider body with terminal escapes in its message and code: set the window title,
/// clear the screen, a C1 CSI (U+009B), DEL, a NUL and CR LF; and a right-to-left override,
/// an isolate and a line separator, which make text show in another order than it is read.
const std::string kEscapingBody =
    R"({"error":{"message":"\u001b]0;pwned\u0007\u001b[2JIncorrect key\u009b31m\u007f\u0000\r\nend)"
    R"( \u202eyek\u2066x\u2069\u2028next",)"
    R"("type":"invalid_request_error","code":"bad\u001b[5m_key"}})";

/// Where the first byte that could drive a terminal is, or npos: C0 controls but newline,
/// DEL, C1 controls in UTF-8, the bidirectional controls and line separator the body holds,
/// and bytes that are not well-formed UTF-8.
std::size_t first_unsafe_byte(const std::string& text, bool newline_allowed) {
  for (std::size_t i = 0; i < text.size();) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte < 0x80) {
      if ((byte < 0x20 && !(newline_allowed && byte == '\n')) || byte == 0x7f) return i;
      ++i;
      continue;
    }
    const std::size_t length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC2 ? 2 : 0;
    if (length == 0 || byte > 0xF4 || i + length > text.size()) return i;
    for (std::size_t k = 1; k < length; ++k) {
      if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) return i;
    }
    if (byte == 0xC2 && static_cast<unsigned char>(text[i + 1]) <= 0x9F) return i;  // C1
    for (const char* reorders : {"\xE2\x80\xAE", "\xE2\x81\xA6", "\xE2\x81\xA9", "\xE2\x80\xA8"}) {
      if (text.compare(i, length, reorders) == 0) return i;  // U+202E, U+2066, U+2069, U+2028
    }
    i += length;
  }
  return std::string::npos;
}

void expect_terminal_safe(const std::string& where, const std::string& text) {
  const std::size_t at = first_unsafe_byte(text, /*newline_allowed=*/true);
  EXPECT_EQ(at, std::string::npos)
      << where << " has byte " << int(static_cast<unsigned char>(text[at])) << " at " << at << ":\n"
      << text;
}

/// Every string in a JSON document, keys included, is one safe line.
void expect_strings_safe(const std::string& where, const nlohmann::json& doc) {
  if (doc.is_string()) {
    const std::string text = doc.get<std::string>();
    EXPECT_EQ(first_unsafe_byte(text, /*newline_allowed=*/false), std::string::npos)
        << where << ": " << nlohmann::json(text).dump();
  } else if (doc.is_object()) {
    for (const auto& [key, value] : doc.items()) {
      expect_strings_safe(where, key);
      expect_strings_safe(where + "." + key, value);
    }
  } else if (doc.is_array()) {
    for (const auto& value : doc) expect_strings_safe(where, value);
  }
}

TEST(OutputHygiene, ProviderEscapesReachNeitherTerminalNorReport) {
  MonitorWorld world;
  for (const std::string& id : builtin_ids()) {
    world.set_key(id, "CANARY-" + id + "-not-a-real-key-0a1b2c3d");
    world.answer(id, {.status = 401, .body = kEscapingBody});
  }
  const RunResult human = world.check({"--check"});
  EXPECT_EQ(human.exit_code, 2) << human.err;
  expect_terminal_safe("stdout", human.out);
  expect_terminal_safe("stderr", human.err);
  // The provider's words are still there, without their escapes.
  EXPECT_NE(human.out.find("]0;pwned[2JIncorrect key31m end"), std::string::npos) << human.out;

  const RunResult json = world.check({"--check", "--json"});
  expect_terminal_safe("stdout --json", json.out);
  expect_strings_safe("report", stdout_json(json));
  for (const auto& entry : std::filesystem::directory_iterator(world.report_dir)) {
    if (entry.path().filename().string().starts_with(".")) continue;  // the lock file
    expect_strings_safe(entry.path().filename().string(),
                        nlohmann::json::parse(read_text(entry.path())));
  }

  const RunResult providers = world.check({"providers"});
  expect_terminal_safe("providers stdout", providers.out);
  expect_terminal_safe("providers stderr", providers.err);
}

TEST(OutputHygiene, NamesFromConfigAndEnvFileWarningsAreMadePrintable) {
  MonitorWorld world;
  // A TOML string may spell any character: U+009B is CSI on the terminal.
  world.write_config("", {{"openai", "name = \"Open\\u009b2JAI\""}});
  world.set_key("openai", "CANARY-openai-not-a-real-key-0a1b2c3d");
  // A .env line whose name carries escapes: the warning must not replay them (nor quote the
  // name at all: it is not a valid upper-case name).
  write_text(world.dir / ".env", "EVIL\x1b]0;pwned\x07=\"unterminated\n");
  const RunResult run = world.check({"--check", "--env-file", (world.dir / ".env").string()});
  EXPECT_LE(run.exit_code, 2) << run.err;
  expect_terminal_safe("stdout", run.out);
  expect_terminal_safe("stderr", run.err);
  EXPECT_NE(run.out.find("Open2JAI"), std::string::npos) << run.out;
  EXPECT_NE(run.err.find("ignoring malformed line"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find(".env:1"), std::string::npos) << run.err;
  EXPECT_EQ(run.err.find("EVIL"), std::string::npos) << run.err;
}

TEST(OutputHygiene, ErrorLinesAreMadePrintable) {
  MonitorWorld world;
  // The config error quotes the bad value; in_quotes escapes C0 but not a C1 CSI.
  world.write_config("cpu_window = \"\\u009b2J\\u009d0;x\"\n");
  const RunResult run = world.check({"--check"});
  EXPECT_EQ(run.exit_code, 3);
  expect_terminal_safe("stderr", run.err);
  EXPECT_NE(run.err.find("devops-monitor: "), std::string::npos) << run.err;
}

TEST(OutputHygiene, AuthNoneIsNeverAVerifiedKey) {
  MonitorWorld world({.cpu_percent = 10, .memory_percent = 30});
  world.write_config("", {{"openai", "auth = \"none\""}});
  world.set_key("openai", "CANARY-openai-not-a-real-key-0a1b2c3d");
  RunResult run = world.check({"--check", "--json"});
  nlohmann::json report = stdout_json(run);
  const nlohmann::json& openai = report["api_keys"][1];
  ASSERT_EQ(openai["id"], "openai");
  EXPECT_EQ(openai["state"], "unsupported");
  EXPECT_TRUE(openai["key_valid"].is_null());
  EXPECT_EQ(openai["error_message"],
            "API key present but not verified: auth = none sends no key (127.0.0.1 answered "
            "HTTP 200)");
  EXPECT_EQ(report["status"], "warning") << "no key is known to work";
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_EQ(report["provider_fallback_order"], nlohmann::json({"openai"}));
  ASSERT_EQ(world.server.requests().size(), 1u);
  EXPECT_EQ(world.server.requests()[0].headers.count("Authorization"), 0u) << "no key is sent";

  // A verified key comes first in the fallback order, whatever the priorities say.
  world.set_key("moonshot", "CANARY-moonshot-not-a-real-key-0a1b2c3d");
  run = world.check({"--check", "--json"});
  report = stdout_json(run);
  EXPECT_EQ(report["provider_fallback_order"], nlohmann::json({"moonshot", "openai"}));
  EXPECT_EQ(run.exit_code, 0) << run.err;

  const RunResult human = world.check({"--check"});
  EXPECT_NE(human.out.find("⚠️ OpenAI (GPT-4): API key present but not verified"),
            std::string::npos)
      << human.out;
}

}  // namespace
}  // namespace devops_monitor::testing
