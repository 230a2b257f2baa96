#include "help_format.hpp"

#include <sstream>

namespace devops_monitor::cli {
namespace {

constexpr std::size_t kFlagColumn = 30;  // where descriptions start
constexpr std::size_t kLineWidth = 100;

}  // namespace

std::string wrap(const std::string& text, std::size_t width, std::size_t indent) {
  std::istringstream words(text);
  std::string out;
  std::size_t column = indent;
  for (std::string word; words >> word;) {
    if (column > indent && column + 1 + word.size() > width) {
      out += "\n" + std::string(indent, ' ');
      column = indent;
    } else if (column > indent) {
      out += ' ';
      ++column;
    }
    out += word;
    column += word.size();
  }
  return out;
}

std::string HelpFormat::make_option(const CLI::Option* option, bool is_positional) const {
  std::string left = "  " + make_option_name(option, is_positional) + make_option_opts(option);
  if (left.size() + 2 > kFlagColumn) {
    left += "\n" + std::string(kFlagColumn, ' ');
  } else {
    left.resize(kFlagColumn, ' ');
  }
  return left + wrap(make_option_desc(option), kLineWidth, kFlagColumn) + "\n";
}

}  // namespace devops_monitor::cli
