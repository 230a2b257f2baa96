// parse_dotenv(): any text parses without crashing or hanging; every entry has a valid
// name, a line inside the file and a value of bounded size; every warning names the file
// and a line.
#include <algorithm>

#include "fuzz_support.hpp"
#include "keys/dotenv.hpp"

using namespace devops_monitor;

namespace {

bool valid_name(const std::string& name) {
  auto letter = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  return !name.empty() && (letter(name[0]) || name[0] == '_') &&
         std::all_of(name.begin(), name.end(), [&](char c) {
           return letter(c) || digit(c) || c == '_' || c == '.' || c == '-';
         });
}

}  // namespace

FUZZ_TARGET(dotenv) {
  const std::string_view text = fuzz::as_text(data, size);
  const EnvLookup environment =
      environment_from({{"HOME", "/home/fuzz"}, {"EMPTY", ""}, {"NAME", "${NAME}"}});
  const DotenvFile file = parse_dotenv(text, "fuzz.env", environment);

  // "\r\n", "\n" and a lone "\r" each end a line.
  const auto lines = static_cast<int>(std::count(text.begin(), text.end(), '\n') +
                                      std::count(text.begin(), text.end(), '\r')) +
                     1;
  int previous = 0;
  for (const DotenvEntry& entry : file.entries) {
    FUZZ_CHECK(valid_name(entry.name), entry.name);
    FUZZ_CHECK(entry.line >= 1 && entry.line <= lines, entry.name);
    FUZZ_CHECK(entry.line >= previous, entry.name);
    previous = entry.line;
    FUZZ_CHECK(file.get(entry.name).has_value(), entry.name);
    // ${VAR} expansion is bounded (64 KiB); only a literal value can be longer.
    FUZZ_CHECK(entry.value.size() <= std::max<std::size_t>(64 * 1024, text.size()), entry.name);
  }
  for (const Error& warning : file.warnings) {
    FUZZ_CHECK(warning.where.rfind("fuzz.env:", 0) == 0, warning.message());
  }
  return 0;
}
