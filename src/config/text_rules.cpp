#include "config/text_rules.hpp"

#include <algorithm>

#include "config/config_values.hpp"
#include "util/key_pattern.hpp"

namespace devops_monitor {
namespace {

constexpr std::size_t kMaxModelName = 200;
constexpr std::size_t kMaxCreditUnit = 16;

bool has_control(std::string_view text) {
  return std::any_of(text.begin(), text.end(), is_control);
}

std::optional<std::string> webhook_format_problem(std::string_view text) {
  if (text == "json" || text == "slack") return std::nullopt;
  return R"(must be "json" or "slack")";
}

std::optional<std::string> variable_name_problem(std::string_view text) {
  if (valid_env_var(text)) return std::nullopt;
  return "must be a variable name like \"EXAMPLE_API_KEY\" (letters, digits and '_', not "
         "starting with a digit)";
}

// Not quoted back: "Bearer sk-..." pasted here would otherwise be printed.
std::optional<std::string> auth_problem(std::string_view text) {
  constexpr std::string_view kHeaderPrefix = "header:";
  if (text == "bearer" || text == "none") return std::nullopt;
  if (text.starts_with(kHeaderPrefix) && valid_header_name(text.substr(kHeaderPrefix.size()))) {
    return std::nullopt;
  }
  return R"(must be "bearer", "none" or "header:<Header-Name>" with a valid header name)";
}

std::optional<std::string> display_name_problem(std::string_view text) {
  if (text.find_first_not_of(" \t") == std::string_view::npos) return "must not be blank";
  if (has_control(text)) return "must not contain control characters";
  return std::nullopt;
}

std::optional<std::string> credit_unit_problem(std::string_view text) {
  const bool letters =
      text.size() <= kMaxCreditUnit && std::all_of(text.begin(), text.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
      });
  if (letters) return std::nullopt;
  return R"(must be 1 to 16 letters, like "USD")";
}

std::optional<std::string> model_id_problem(std::string_view text) {
  const bool plain =
      text.size() <= kMaxModelName &&
      std::none_of(text.begin(), text.end(), [](char c) { return is_control(c) || c == ' '; });
  if (plain) return std::nullopt;
  return "must be a model id: no spaces or control characters, at most 200 bytes";
}

// The event's own variables are set for each action; a config cannot replace them.
std::optional<std::string> passed_variable_problem(std::string_view text) {
  if (std::optional<std::string> problem = variable_name_problem(text)) return problem;
  if (text.starts_with("DEVOPS_MONITOR_")) {
    return "must not name a DEVOPS_MONITOR_ variable: those are the event's own";
  }
  return std::nullopt;
}

std::optional<std::string> argument_problem(std::string_view text) {
  if (has_control(text)) return "must not contain control characters";
  return std::nullopt;
}

}  // namespace

const TextRule kHttpUrlRule{endpoint_problem, "http:// or https:// URL"};
const TextRule kWebhookUrlRule{webhook_url_problem,
                               "https:// URL, or http:// to localhost, 127.0.0.0/8 or [::1]"};
const TextRule kWebhookFormatRule{webhook_format_problem, "`json` or `slack`"};
const TextRule kVariableNameRule{variable_name_problem, "`[A-Za-z_][A-Za-z0-9_]*`"};
const TextRule kAuthRule{auth_problem, "`bearer`, `none` or `header:<Header-Name>`"};
const TextRule kDisplayNameRule{display_name_problem, "not blank, no control characters"};
const TextRule kCreditUnitRule{credit_unit_problem, "1 to 16 letters"};
const TextRule kModelIdRule{model_id_problem, "no spaces or control characters, at most 200 bytes"};
const TextRule kKeyPatternRule{
    key_pattern_problem,
    "ECMAScript regular expressions, each starting with at least 3 literal characters"};
const TextRule kArgumentRule{argument_problem, "no control characters"};
const TextRule kPassedVariableRule{passed_variable_problem,
                                   "variable names, none starting with `DEVOPS_MONITOR_`"};

}  // namespace devops_monitor
