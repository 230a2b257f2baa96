#include "support/git_repo.hpp"

#include <gtest/gtest.h>

namespace devops_monitor::testing {

GitRepo::GitRepo() {
  git({"init", "-q", "-b", "main"});
  git({"config", "user.name", "Scan Test"});
  git({"config", "user.email", "scan@example.invalid"});
  git({"config", "commit.gpgsign", "false"});
}

std::map<std::string, std::string> GitRepo::env() const {
  return {{"PATH", "/usr/local/bin:/usr/bin:/bin"},
          {"HOME", home_.path().string()},
          {"LANG", "C.UTF-8"},
          {"GIT_CONFIG_NOSYSTEM", "1"}};
}

void GitRepo::write(const std::string& relative, const std::string& text) const {
  const std::filesystem::path file = dir_.path() / relative;
  std::filesystem::create_directories(file.parent_path());
  write_text(file, text);
}

RunResult GitRepo::git(const std::vector<std::string>& args) const {
  RunOptions options{.args = args, .env = env(), .cwd = dir_.path()};
  RunResult result = run_process("/usr/bin/git", options);
  if (result.exit_code != 0) {
    std::string command = "git";
    for (const std::string& arg : args) command += " " + arg;
    ADD_FAILURE() << command << " exited " << result.exit_code << ": " << result.err;
  }
  return result;
}

RunResult GitRepo::run(const std::string& binary, const std::vector<std::string>& args,
                       const std::map<std::string, std::string>& extra_env) const {
  RunOptions options{.args = args, .env = env(), .cwd = dir_.path()};
  for (const auto& [name, value] : extra_env) options.env[name] = value;
  return run_process(binary, options);
}

std::string GitRepo::commit_all(const std::string& message) const {
  git({"add", "-A"});
  git({"commit", "-q", "-m", message});
  std::string id = git({"rev-parse", "HEAD"}).out;
  while (!id.empty() && (id.back() == '\n' || id.back() == '\r')) id.pop_back();
  return id;
}

}  // namespace devops_monitor::testing
