#include "config/key_variables.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include "devops_monitor/provider.hpp"
#include "util/ascii.hpp"

namespace devops_monitor {
namespace {

/// ^[A-Z][A-Z0-9_]*_API_KEY$, written out: no std::regex for one fixed shape.
bool api_key_shaped(std::string_view name) {
  constexpr std::string_view kSuffix = "_API_KEY";
  if (name.size() <= kSuffix.size() || !name.ends_with(kSuffix) || !ascii::is_upper(name[0])) {
    return false;
  }
  const std::string_view stem = name.substr(0, name.size() - kSuffix.size());
  return std::all_of(stem.begin(), stem.end(),
                     [](char c) { return ascii::is_upper(c) || ascii::is_digit(c) || c == '_'; });
}

}  // namespace

bool is_key_variable(std::string_view name) {
  if (api_key_shaped(name)) return true;
  static const std::vector<std::string> builtin = [] {
    std::vector<std::string> names;
    for (const Provider& provider : builtin_providers()) names.push_back(provider.env_var);
    return names;
  }();
  return std::find(builtin.begin(), builtin.end(), name) != builtin.end();
}

}  // namespace devops_monitor
