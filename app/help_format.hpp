// How every command's --help lays out its flags: the flag and its value on the left, the
// description wrapped to the terminal-friendly width on the right, the default at its end.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

namespace devops_monitor::cli {

class HelpFormat : public CLI::Formatter {
 public:
  std::string make_option(const CLI::Option* option, bool is_positional) const override;
};

/// `text` wrapped at `width` columns, every line after the first indented by `indent`.
std::string wrap(const std::string& text, std::size_t width, std::size_t indent);

}  // namespace devops_monitor::cli
