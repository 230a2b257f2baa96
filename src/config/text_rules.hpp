// The shapes a config string may be asked to have (schema.hpp's TextRule): each refusal is
// worded to follow the key's label and never quotes the text, since keys get pasted into
// URLs, variable names and auth.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "config/schema.hpp"

namespace devops_monitor {

/// An http:// or https:// URL with a host (config_values.hpp: endpoint_problem).
extern const TextRule kHttpUrlRule;
/// https://, or plain http:// only to a loopback host: a webhook carries the report.
extern const TextRule kWebhookUrlRule;
/// "json" or "slack".
extern const TextRule kWebhookFormatRule;
/// [A-Za-z_][A-Za-z0-9_]*, for env_var.
extern const TextRule kVariableNameRule;
/// "bearer", "none" or "header:<Header-Name>".
extern const TextRule kAuthRule;
/// A name for people: not blank, no control characters.
extern const TextRule kDisplayNameRule;
/// 1 to 16 letters: "USD", "CNY", "credits".
extern const TextRule kCreditUnitRule;
/// A model id as the provider writes it: no spaces or control characters, at most 200 bytes.
extern const TextRule kModelIdRule;
/// A key pattern the scanner's prefilter can use (util/key_pattern.hpp).
extern const TextRule kKeyPatternRule;
/// One argument of a command run without a shell: no control characters.
extern const TextRule kArgumentRule;
/// A variable an action gets from the daemon's environment: a name, not one of the event's.
extern const TextRule kPassedVariableRule;

}  // namespace devops_monitor
