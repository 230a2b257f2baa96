// devops-monitor: finds the command, parses its own flags, runs it. Each command lives in its
// own file and declares everything it accepts (app/command.hpp); this file only dispatches.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "command.hpp"
#include "devops_monitor/render.hpp"
#include "devops_monitor/text.hpp"
#include "devops_monitor/version.hpp"
#include "flags.hpp"
#include "help_format.hpp"
#include "output.hpp"

namespace devops_monitor::cli {
namespace {

constexpr const char* kRootHeader =
    "devops-monitor: is this machine fit to run AI agents?\n"
    "Checks that the AI provider API keys are present and really work (one free, read-only\n"
    "request per provider, all at once) and that CPU, memory and disk are within bounds.\n"
    "\n"
    "Usage: devops-monitor [COMMAND] [FLAGS]...\n"
    "       devops-monitor --check [FLAGS]...     (check is the default command)\n"
    "       devops-monitor COMMAND --help         (a command's own flags and defaults)\n"
    "       devops-monitor -V, --version          (the version)\n"
    "\n"
    "Commands:\n";

constexpr const char* kRootFooter =
    "\n"
    "Exit status: check and providers 0 healthy, 1 warning, 2 critical (as Nagios plugins);\n"
    "scan 1 when credentials were found; every command 3 when it could not run (bad flag or\n"
    "config, unreadable file), with one line on stderr saying why.\n"
    "\n"
    "Keys go in the environment or in a .env file (OPENAI_API_KEY=sk-...); a variable set in\n"
    "the environment wins. Config file (TOML): --config FILE, else $DEVOPS_MONITOR_CONFIG, else\n"
    "$XDG_CONFIG_HOME/devops-monitor/config.toml (~/.config/...), else\n"
    "/etc/devops-monitor/config.toml. ./devops-monitor.toml is read only when named\n"
    "(--config ./devops-monitor.toml). A config file owned by another user, or writable by\n"
    "others, is refused: it decides where keys go.\n";

const Command* find_command(std::string_view name) {
  for (const Command& command : all_commands()) {
    if (command.name == name) return &command;
  }
  return nullptr;
}

std::vector<std::string> command_names() {
  std::vector<std::string> names;
  for (const Command& command : all_commands()) names.emplace_back(command.name);
  return names;
}

/// A command's own CLI::App, with the conventions every command shares.
void prepare(CLI::App& app) {
  app.set_help_flag("-h,--help", "Print this help and exit");
  app.formatter(std::make_shared<HelpFormat>());
  // A repeated single-value flag takes its last value, as in most Unix tools.
  app.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  // Leftovers are reported here, in order and with a suggestion, rather than by CLI11.
  app.allow_extras();
}

std::string root_help() {
  std::string text = kRootHeader;
  for (const Command& command : all_commands()) {
    std::string name(command.name);
    name.resize(std::max<std::size_t>(name.size(), 11), ' ');
    text += "  " + name + " " + std::string(command.summary) + "\n";
  }
  text += "\nFlags of check, the default command:\n";
  CLI::App check("", "devops-monitor check");
  prepare(check);
  find_command("check")->declare(check);
  // Its options, without its usage line and footer: those are check's own page.
  const std::string check_help = check.help();
  const std::size_t start = check_help.find("Options:\n");
  const std::size_t end = check_help.find("\n\n", start);
  text += check_help.substr(start + 9, end == std::string::npos ? end : end - start - 8);
  return text + kRootFooter;
}

/// A usage error under --format nagios still owes Nagios its one line on stdout.
bool wants_nagios(const std::vector<std::string>& args) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--format=nagios") return true;
    if (args[i] == "--format" && i + 1 < args.size() && args[i + 1] == "nagios") return true;
  }
  return false;
}

int usage_error(const Command& command, const Error& error, const std::vector<std::string>& args) {
  if (command.name == "check" && wants_nagios(args)) print(render_nagios_failure(error.message()));
  return fail(error);
}

std::vector<std::string> flag_names(const CLI::App& app) {
  std::vector<std::string> names;
  for (const CLI::Option* option : app.get_options()) {
    for (const std::string& name : option->get_lnames()) names.push_back("--" + name);
    for (const std::string& name : option->get_snames()) names.push_back("-" + name);
  }
  return names;
}

/// The first word nobody took: an unknown flag, a misplaced command, a stray argument.
Error leftover_error(const CLI::App& app, const std::string& word, const std::string& usage) {
  const std::string flag = word.substr(0, word.find('='));
  if (flag.size() > 1 && flag[0] == '-') {
    const std::optional<std::string> near = closest_word(flag, flag_names(app));
    return Error{"invalid command line",
                 "unknown flag " + flag + (near ? "; did you mean " + *near + "?" : ""), usage};
  }
  if (find_command(word) != nullptr) {
    return Error{"invalid command line",
                 "the command comes first: devops-monitor " + word + " [FLAGS]", usage};
  }
  return Error{"invalid command line", "unexpected argument \"" + word + "\"", usage};
}

/// The leftovers of `app` and of the subcommand it ran, in the order they were given.
std::vector<std::string> leftovers(const CLI::App& app) {
  std::vector<std::string> words = app.remaining();
  for (const CLI::App* sub : app.get_subcommands()) {
    const std::vector<std::string> more = sub->remaining();
    words.insert(words.end(), more.begin(), more.end());
  }
  return words;
}

int run_command(const Command& command, const std::vector<std::string>& args) {
  const std::string name = "devops-monitor " + std::string(command.name);
  const std::string usage = "see " + name + " --help";
  CLI::App app(std::string(command.summary), name);
  prepare(app);
  const Run run = command.declare(app);
  for (CLI::App* sub : app.get_subcommands({})) prepare(*sub);
  std::vector<std::string> reversed(args.rbegin(), args.rend());  // CLI11 takes them backwards
  try {
    app.parse(reversed);
  } catch (const CLI::CallForHelp&) {
    print(app.help());
    return 0;
  } catch (const CLI::RequiredError&) {
    // A command with targets (notify github) given none or an unknown one.
    const std::vector<std::string> words = leftovers(app);
    std::vector<std::string> targets;
    for (const CLI::App* sub : app.get_subcommands({})) targets.push_back(sub->get_name());
    const std::optional<std::string> near =
        words.empty() ? std::nullopt : closest_word(words.front(), targets);
    std::string detail = std::string(command.name) + " needs a target";
    if (!words.empty()) detail = "unknown target \"" + words.front() + "\"";
    if (near) detail += "; did you mean " + *near + "?";
    return usage_error(command, {"invalid command line", detail, usage}, args);
  } catch (const CLI::ParseError& e) {
    return usage_error(command, {"invalid command line", e.what(), usage}, args);
  }
  if (const std::vector<std::string> words = leftovers(app); !words.empty()) {
    const CLI::App& parsed = app.get_subcommands().empty() ? app : *app.get_subcommands().front();
    return usage_error(command, leftover_error(parsed, words.front(), usage), args);
  }
  return run();
}

int run(const std::vector<std::string>& args) {
  if (!args.empty() && (args[0] == "-h" || args[0] == "--help")) {
    print(root_help());
    return 0;
  }
  if (!args.empty() && (args[0] == "-V" || args[0] == "--version")) {
    print(std::string("devops-monitor ") + kVersion + "\n");
    return 0;
  }
  if (!args.empty() && args[0] == "help") {
    const Command* command = args.size() > 1 ? find_command(args[1]) : nullptr;
    if (command == nullptr) {
      print(root_help());
      return 0;
    }
    return run_command(*command, {"--help"});
  }
  // No command, or flags first: the old script's `--check` and its flags.
  if (args.empty() || args[0].starts_with("-")) return run_command(*find_command("check"), args);
  if (const Command* command = find_command(args[0])) {
    return run_command(*command, std::vector<std::string>(args.begin() + 1, args.end()));
  }
  const std::optional<std::string> near = closest_word(args[0], command_names());
  return fail(
      {"invalid command line",
       "unknown command \"" + args[0] + "\"" + (near ? "; did you mean " + *near + "?" : ""),
       "see devops-monitor --help"});
}

}  // namespace
}  // namespace devops_monitor::cli

/// The library never throws; CLI11, the standard library or an allocation still might. Any
/// such escape is one line and exit 3, never an abort with a core dump.
int main(int argc, char** argv) {
  try {
    return devops_monitor::cli::run(std::vector<std::string>(argv + 1, argv + argc));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "devops-monitor: unexpected failure: %s\n",
                 devops_monitor::printable(e.what()).c_str());
  } catch (...) {
    std::fprintf(stderr, "devops-monitor: unexpected failure\n");
  }
  return 3;
}
