// .env parsing after python-dotenv's parser (dotenv/parser.py, variables.py): the same line
// grammar, escapes and ${VAR} expansion, read as data only. Where python-dotenv is quirky
// (single quotes still expand ${VAR}; `KEY` without `=` is silently kept as unset) this
// parser takes the conservative side; docs/configuration.md lists the differences.
#include "keys/dotenv.hpp"

#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <variant>

#include "config/key_variables.hpp"
#include "util/ascii.hpp"
#include "util/file_io.hpp"

namespace devops_monitor {
namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";
// Each ${VAR} may name an earlier entry that is itself expanded, so 30 lines of
// "B=${A}${A}" would ask for gigabytes (python-dotenv does not stop it either). No key or
// setting comes near this size.
constexpr std::size_t kMaxExpandedValue = 64 * 1024;

bool is_inline_blank(char c) {
  return c == ' ' || c == '\t' || c == '\f' || c == '\v';
}
bool is_newline(char c) {
  return c == '\n' || c == '\r';
}
bool is_space(char c) {
  return is_inline_blank(c) || is_newline(c);
}

/// [A-Za-z_][A-Za-z0-9_.-]*: what shells and python-dotenv users actually write. python-dotenv
/// takes any run of non-blank characters; a stricter rule catches pasted keys and typos.
bool valid_name(std::string_view name) {
  if (name.empty() || !(ascii::is_alpha(name[0]) || name[0] == '_')) return false;
  for (const char c : name) {
    if (!(ascii::is_alpha(c) || ascii::is_digit(c) || c == '_' || c == '.' || c == '-'))
      return false;
  }
  return true;
}

/// Whether a name may be quoted in a warning: only the conventional upper-case form
/// ([A-Z_][A-Z0-9_]*). valid_name also takes "sk-live-abc" and "sk_live_abc", which is what a
/// key pasted at the start of a line looks like; those are never printed.
bool printable_name(std::string_view name) {
  if (name.empty() || ascii::is_digit(name[0])) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || ascii::is_digit(c) || c == '_';
  });
}

/// How a warning refers to the variable a line sets.
std::string variable_label(const std::string& name) {
  return printable_name(name) ? name : "the variable";
}

/// A cursor over the text that keeps the 1-based line number; "\r\n", "\n" and a lone "\r"
/// each end one line, as in python-dotenv.
class Reader {
 public:
  explicit Reader(std::string_view text) : text_(text) {}

  [[nodiscard]] bool at_end() const { return pos_ >= text_.size(); }
  [[nodiscard]] char peek(std::size_t ahead = 0) const {
    return pos_ + ahead < text_.size() ? text_[pos_ + ahead] : '\0';
  }
  [[nodiscard]] int line() const { return line_; }
  [[nodiscard]] std::string_view rest() const { return text_.substr(pos_); }

  void advance(std::size_t count = 1) {
    for (; count > 0 && !at_end(); --count, ++pos_) {
      const char c = text_[pos_];
      if (c == '\r' || (c == '\n' && (pos_ == 0 || text_[pos_ - 1] != '\r'))) ++line_;
    }
  }
  template <class Predicate>
  std::string_view take_while(Predicate accept) {
    const std::size_t start = pos_;
    while (!at_end() && accept(peek())) advance();
    return text_.substr(start, pos_ - start);
  }
  void skip_blanks() { take_while(is_inline_blank); }
  /// Skips to the start of the next line.
  void skip_line() {
    take_while([](char c) { return !is_newline(c); });
    if (peek() == '\r') advance();
    if (peek() == '\n') advance();
  }
  [[nodiscard]] bool starts_with(std::string_view prefix) const {
    return rest().starts_with(prefix);
  }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
  int line_ = 1;
};

enum class Quoting { none, single, double_ };

struct RawBinding {
  std::string name;
  std::string value;
  Quoting quoting = Quoting::none;
};

/// Why a line was skipped. Never carries any of the line's text: it may be a key.
struct Malformed {
  std::string why;
};

/// The text between quotes, the reader at the opening quote; nullopt if it never closes.
/// A backslash always pairs with the character after it, so \" and \\ never end the value.
/// Like python-dotenv, a quoted value may span lines.
std::optional<std::string_view> read_quoted(Reader& reader, char quote) {
  const std::string_view rest = reader.rest();
  std::size_t i = 1;
  while (i < rest.size() && rest[i] != quote) i += (rest[i] == '\\' && i + 1 < rest.size()) ? 2 : 1;
  if (i >= rest.size()) return std::nullopt;
  reader.advance(i + 1);
  return rest.substr(1, i - 1);
}

/// What \<c> stands for inside double quotes, or '\0' when it is not an escape there.
char double_quote_escape(char c) {
  constexpr std::string_view kEscape = "\"'\\abfnrtv";
  constexpr std::string_view kMeaning = "\"'\\\a\b\f\n\r\t\v";
  const std::size_t at = c == '\0' ? std::string_view::npos : kEscape.find(c);
  return at == std::string_view::npos ? '\0' : kMeaning[at];
}

/// As python-dotenv: single quotes decode only \\ and \', double quotes also \" \a \b \f
/// \n \r \t \v. Any other backslash stays as written.
std::string decode_escapes(std::string_view raw, Quoting quoting) {
  std::string out;
  out.reserve(raw.size());
  for (std::size_t i = 0; i < raw.size(); ++i) {
    const char next = i + 1 < raw.size() ? raw[i + 1] : '\0';
    char decoded = '\0';
    if (raw[i] == '\\' && quoting == Quoting::double_) decoded = double_quote_escape(next);
    if (raw[i] == '\\' && (next == '\\' || next == '\'')) decoded = next;
    if (decoded != '\0') {
      out += decoded;
      ++i;
    } else {
      out += raw[i];
    }
  }
  return out;
}

/// The rest of the line: a ` # comment` (a # after a blank) is cut off, then trailing blanks.
/// `KEY= # note` is empty: the blanks after = were already consumed.
std::string unquoted_value(Reader& reader, bool blank_after_equals) {
  const std::string_view part = reader.take_while([](char c) { return !is_newline(c); });
  if (blank_after_equals && part.starts_with('#')) return "";
  std::size_t end = part.size();
  for (std::size_t i = 1; i < part.size(); ++i) {
    if (part[i] == '#' && is_inline_blank(part[i - 1])) {
      end = i;
      break;
    }
  }
  while (end > 0 && is_inline_blank(part[end - 1])) --end;
  return std::string(part.substr(0, end));
}

/// After a closing quote only blanks and an optional # comment may follow on the line.
bool rest_of_line_is_comment(Reader& reader) {
  reader.skip_blanks();
  if (reader.peek() == '#') reader.take_while([](char c) { return !is_newline(c); });
  return reader.at_end() || is_newline(reader.peek());
}

std::optional<std::string> read_name(Reader& reader) {
  if (reader.peek() == '\'') {
    // python-dotenv also takes a single-quoted name: 'KEY'=value.
    const std::optional<std::string_view> name = read_quoted(reader, '\'');
    if (!name) return std::nullopt;
    return std::string(*name);
  }
  return std::string(
      reader.take_while([](char c) { return c != '=' && c != '#' && !is_space(c); }));
}

/// One `[export] NAME = value [# comment]` statement, the reader at its first character.
/// On failure the reader is left inside the statement; the caller skips the rest of that line.
/// Warnings quote the name only once it is known to be a valid name and printable.
std::variant<RawBinding, Malformed> read_binding(Reader& reader) {
  if (reader.starts_with("export") && is_inline_blank(reader.peek(6))) {
    reader.advance(6);
    reader.skip_blanks();
  }
  RawBinding binding;
  std::optional<std::string> name = read_name(reader);
  if (!name) return Malformed{"the variable name has no closing quote"};
  if (name->empty()) return Malformed{"the line has no variable name"};
  binding.name = std::move(*name);
  reader.skip_blanks();
  if (reader.peek() != '=') return Malformed{"expected NAME=value but found no '='"};
  reader.advance();
  const bool blank_after_equals = is_inline_blank(reader.peek());
  reader.skip_blanks();

  const Malformed invalid_name{
      "invalid variable name; names are letters, digits, '_', '.' and '-', "
      "not starting with a digit"};
  const bool name_ok = valid_name(binding.name);
  const std::string label = name_ok ? variable_label(binding.name) : "";
  const char first = reader.peek();
  if (first == '\'' || first == '"') {
    binding.quoting = first == '"' ? Quoting::double_ : Quoting::single;
    // Read a quoted value even under a bad name, so that all of a multi-line value is skipped.
    const std::optional<std::string_view> raw = read_quoted(reader, first);
    if (!name_ok) return invalid_name;
    if (!raw) return Malformed{"the value of " + label + " has no closing quote"};
    binding.value = decode_escapes(*raw, binding.quoting);
    if (!rest_of_line_is_comment(reader)) {
      return Malformed{"unexpected text after the closing quote of " + label};
    }
  } else {
    binding.value = unquoted_value(reader, blank_after_equals);
    if (!name_ok) return invalid_name;
  }
  return binding;
}

/// ${VAR} and ${VAR:-default} much as python-dotenv resolves them with override=False, with two
/// restrictions: the process environment is consulted only for API key variables, and only for
/// a file the user named. Otherwise `OPENAI_API_KEY=${AWS_SECRET_ACCESS_KEY}` in a .env file
/// someone else wrote would send that secret to OpenAI, and `OPENAI_API_KEY=${SENDGRID_API_KEY}`
/// in a ./.env planted in a checkout would send the SendGrid key there. Earlier entries of the
/// file may always be used: they are the file's own text. Unset gives the default
/// (taken literally) or "". A set-but-empty variable stays empty, as in python-dotenv (unlike
/// the shell's :-). $VAR without braces is left alone. Names not expanded because the
/// environment is off limits are added to `refused`. nullopt when the result would be longer
/// than kMaxExpandedValue.
std::optional<std::string> expand(std::string_view value, const EnvLookup& environment,
                                  DotenvOrigin origin, const std::vector<DotenvEntry>& earlier,
                                  std::vector<std::string>& refused) {
  auto lookup = [&](const std::string& name) -> std::optional<std::string> {
    const bool environment_allowed = origin == DotenvOrigin::named && is_key_variable(name);
    if (environment && environment_allowed) {
      if (std::optional<std::string> from_env = environment(name)) return from_env;
    }
    for (auto it = earlier.rbegin(); it != earlier.rend(); ++it) {
      if (it->name == name) return it->value;
    }
    // Only a name the environment really has was refused; an unset one is simply unset.
    if (!environment_allowed && environment && environment(name) &&
        std::find(refused.begin(), refused.end(), name) == refused.end()) {
      refused.push_back(name);
    }
    return std::nullopt;
  };
  std::string out;
  std::size_t i = 0;
  while (i < value.size()) {
    const std::size_t open = value.find("${", i);
    if (open == std::string_view::npos) break;
    out += value.substr(i, open - i);
    const std::size_t name_end = value.find_first_of("}:", open + 2);
    std::size_t close = std::string_view::npos;
    std::optional<std::string_view> fallback;
    if (name_end != std::string_view::npos && value[name_end] == '}') {
      close = name_end;
    } else if (name_end != std::string_view::npos && value.substr(name_end, 2) == ":-") {
      close = value.find('}', name_end + 2);
      if (close != std::string_view::npos) {
        fallback = value.substr(name_end + 2, close - name_end - 2);
      }
    }
    if (close == std::string_view::npos) {  // not a reference: keep the "$" and move on
      out += '$';
      i = open + 1;
      continue;
    }
    const std::string name(value.substr(open + 2, name_end - open - 2));
    const std::optional<std::string> found = lookup(name);
    const std::string_view replacement = found ? std::string_view(*found) : fallback.value_or("");
    if (out.size() + replacement.size() > kMaxExpandedValue) return std::nullopt;
    out += replacement;
    i = close + 1;
  }
  if (i < value.size()) out += value.substr(i);
  if (out.size() > kMaxExpandedValue) return std::nullopt;
  return out;
}

/// The warning for a ${NAME} that was not taken from the environment. The name is printed only
/// when it is a plain upper-case name: between ${ and } could be anything, even a key.
Error not_expanded(const std::string& filename, int line, const std::string& name,
                   DotenvOrigin origin) {
  const std::string reference = printable_name(name) ? "${" + name + "}" : "${...}";
  const std::string rule =
      origin == DotenvOrigin::named
          ? "only API key variables (a built-in provider's, or *_API_KEY) and earlier entries "
            "of this file are"
          : "a .env file that was not named (--env-file or env_file) sees only its own "
            "earlier entries";
  return Error{"not expanding " + reference + " from the environment",
               rule + "; it gets its :-default or nothing", filename + ":" + std::to_string(line)};
}

Error malformed_line(const std::string& filename, int line, std::string why) {
  return Error{"ignoring malformed line", std::move(why), filename + ":" + std::to_string(line)};
}

}  // namespace

std::optional<std::string> DotenvFile::get(const std::string& name) const {
  for (auto it = entries.rbegin(); it != entries.rend(); ++it) {
    if (it->name == name) return it->value;
  }
  return std::nullopt;
}

DotenvFile parse_dotenv(std::string_view text, const std::string& filename,
                        const EnvLookup& environment, DotenvOrigin origin) {
  if (text.starts_with(kUtf8Bom)) text.remove_prefix(kUtf8Bom.size());
  DotenvFile file;
  Reader reader(text);
  while (true) {
    reader.take_while(is_space);
    if (reader.at_end()) break;
    const int line = reader.line();
    if (reader.peek() == '#') {
      reader.skip_line();
      continue;
    }
    std::variant<RawBinding, Malformed> read = read_binding(reader);
    if (auto* bad = std::get_if<Malformed>(&read)) {
      file.warnings.push_back(malformed_line(filename, line, std::move(bad->why)));
      reader.skip_line();
      continue;
    }
    RawBinding& binding = std::get<RawBinding>(read);
    // Single quotes are literal: no expansion (python-dotenv would still expand there).
    std::vector<std::string> refused;
    std::optional<std::string> value =
        binding.quoting == Quoting::single
            ? std::move(binding.value)
            : expand(binding.value, environment, origin, file.entries, refused);
    for (const std::string& name : refused) {
      file.warnings.push_back(not_expanded(filename, line, name, origin));
    }
    if (!value) {
      file.warnings.push_back(malformed_line(filename, line,
                                             "the value of " + variable_label(binding.name) +
                                                 " is longer than 64 KiB once ${...} is expanded"));
    } else {
      file.entries.push_back({std::move(binding.name), std::move(*value), line});
    }
    reader.skip_line();
  }
  return file;
}

Result<DotenvFile> load_dotenv(const std::filesystem::path& file, const EnvLookup& environment,
                               DotenvOrigin origin) {
  // `--env-file /dev/null` is the usual way to say "no .env": the null device reads empty and
  // can neither block nor flood, so it is the one device a named env file may be.
  struct stat info {};
  if (origin == DotenvOrigin::named && ::stat(file.c_str(), &info) == 0 && S_ISCHR(info.st_mode) &&
      info.st_rdev == makedev(1, 3)) {
    return parse_dotenv("", file.string(), environment, origin);
  }
  const Symlinks symlinks = origin == DotenvOrigin::named ? Symlinks::follow : Symlinks::refuse;
  Result<RegularFileText> text =
      read_regular_file(file, "cannot read env file",
                        {.max_bytes = kMaxEnvFileBytes, .symlinks = symlinks, .kind = ".env file"});
  if (!text) return text.error();
  return parse_dotenv(text->text, file.string(), environment, origin);
}

}  // namespace devops_monitor
