// One libFuzzer binary for every target. Each sanitized, coverage-instrumented link of the
// library took 6-9 s, and fifteen of them were a minute of every clean `make test` on two
// cores; one link serves them all. The build makes a symlink fuzz_<target> per target, and
// the name the binary is started under chooses the target, so each still runs on its own
// (its own corpus, dictionary, crash files and libFuzzer flags), and forks that libFuzzer
// starts (-fork, -jobs) choose the same one.
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>

#include "fuzz_support.hpp"

namespace devops_monitor::fuzz {
namespace {

std::map<std::string, TargetFunction>& targets() {
  static std::map<std::string, TargetFunction> all;
  return all;
}

TargetFunction chosen_target = nullptr;

std::string target_name(const char* program) {
  std::string name = program;
  if (const std::size_t slash = name.rfind('/'); slash != std::string::npos) {
    name.erase(0, slash + 1);
  }
  if (name.rfind("fuzz_", 0) == 0) return name.substr(5);
  const char* from_environment = std::getenv("FUZZ_TARGET");
  return from_environment == nullptr ? std::string{} : from_environment;
}

}  // namespace

bool register_target(const char* name, TargetFunction function) {
  targets().emplace(name, function);
  return true;
}

}  // namespace devops_monitor::fuzz

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) {
  using namespace devops_monitor::fuzz;
  const std::string name = *argc > 0 ? target_name((*argv)[0]) : std::string{};
  const auto found = targets().find(name);
  if (found == targets().end()) {
    std::string known;
    for (const auto& [each, function] : targets()) known += " " + each;
    std::fprintf(stderr,
                 "fuzzers: no target named '%s': run it as fuzz_<target> or with "
                 "FUZZ_TARGET=<target>; targets:%s\n",
                 name.c_str(), known.c_str());
    std::exit(2);
  }
  chosen_target = found->second;
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return devops_monitor::fuzz::chosen_target(data, size);
}
