#include "util/redact.hpp"
#include "util/sha256.hpp"

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

namespace devops_monitor {
namespace {

// What a redacted word becomes. A secret that overlaps the marker (contains it, sits inside
// it, or starts or ends with a piece of it) would be rebuilt by its own replacement, so the
// first marker that cannot overlap the secret is used; if none, the key is deleted outright.
constexpr std::array<std::string_view, 4> kMarkers = {"[REDACTED]", "<REDACTED>", "{REDACTED}",
                                                      "(REDACTED)"};
constexpr std::size_t kMinSecretLength = 4;
// Pieces of a long key this long are specific enough to belong to the key; shorter ones
// would also hit ordinary words. Short keys use shorter pieces, down to 4 characters, but
// always leave at least 2 characters of the key unmatched (see piece_length).
constexpr std::size_t kLongPieceLength = 6;
constexpr std::size_t kShortestPiece = 4;
// The visible end of a "sk-ab...yz" echo must be at least this long to count as the key's.
constexpr std::size_t kMinVisibleEnd = 2;
// A JSON body nested deeper than this that spells the key with escapes is dropped rather
// than written back.
constexpr std::size_t kMaxRewriteDepth = 64;

bool is_word_char(char c) {
  const auto u = static_cast<unsigned char>(c);
  return (u >= '0' && u <= '9') || (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || c == '-' ||
         c == '_' || c == '.' || c == '*' || c == '+' || c == '~' || u >= 0x80;
}

bool is_letter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/// True when `marker` next to, inside or around `secret` could spell the secret.
bool overlaps(std::string_view secret, std::string_view marker) {
  if (secret.find(marker) != std::string_view::npos) return true;
  if (marker.find(secret) != std::string_view::npos) return true;
  for (std::size_t k = 1; k < std::min(secret.size(), marker.size()); ++k) {
    if (secret.substr(0, k) == marker.substr(marker.size() - k)) return true;
    if (secret.substr(secret.size() - k) == marker.substr(0, k)) return true;
  }
  return false;
}

std::string_view marker_for(std::string_view secret) {
  for (std::string_view marker : kMarkers) {
    if (!overlaps(secret, marker)) return marker;
  }
  return {};
}

std::string replace_all(std::string_view text, std::string_view needle,
                        std::string_view replacement) {
  std::string out;
  std::size_t pos = 0;
  while (true) {
    const std::size_t hit = text.find(needle, pos);
    if (hit == std::string_view::npos) break;
    out.append(text.substr(pos, hit - pos)).append(replacement);
    pos = hit + needle.size();
  }
  out.append(text.substr(pos));
  return out;
}

/// 6 for keys of 8 characters and more; 4 or 5 below, so that a piece never is the whole
/// key but a partial echo of a 6-character key is still caught.
std::size_t piece_length(std::size_t secret_length) {
  if (secret_length >= kLongPieceLength + 2) return kLongPieceLength;
  return std::max(kShortestPiece, secret_length - 2);
}

/// A short piece made of letters alone ("nter" of a key "hunter7") is as likely to be part of
/// a word ("winter") as of the key: it only counts with a digit, a symbol or a capital inside.
bool specific_enough(std::string_view piece) {
  if (piece.size() >= kLongPieceLength) return true;
  return std::any_of(piece.begin(), piece.end(), [](char c) { return !is_letter(c); }) ||
         std::any_of(piece.begin() + 1, piece.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

/// "sk-abc***xyz": providers mask the middle of a key with stars. Any word with a run of
/// three stars is taken for a masked key, whatever its visible ends.
bool looks_star_masked(std::string_view word) {
  return word.find("***") != std::string_view::npos;
}

/// "sk-ab...yz" or "sk-ab…": a truncated echo. Only taken for the key when a visible end
/// matches the key's start or end, because "wait..." is ordinary text.
bool is_truncated_echo(std::string_view word, std::string_view secret) {
  constexpr std::string_view kEllipsis = "\xE2\x80\xA6";  // U+2026
  const std::size_t dots = word.find("...");
  const std::size_t ellipsis = word.find(kEllipsis);
  if (dots == std::string_view::npos && ellipsis == std::string_view::npos) return false;
  const std::size_t first = std::min(dots, ellipsis);
  const std::string_view head = word.substr(0, first);
  std::size_t tail_start = word.find_last_of('.') + 1;
  if (const std::size_t last = word.rfind(kEllipsis); last != std::string_view::npos) {
    tail_start = std::max(tail_start, last + kEllipsis.size());
  }
  std::string_view tail = word.substr(std::min(tail_start, word.size()));
  // "...yz." at the end of a sentence: the full stop is not part of the echo.
  if (tail.empty() && word.ends_with('.') && !word.ends_with("..")) {
    const std::string_view before_stop = word.substr(0, word.size() - 1);
    tail = before_stop.substr(before_stop.find_last_of('.') + 1);
  }
  return (head.size() >= kMinVisibleEnd && secret.starts_with(head)) ||
         (tail.size() >= kMinVisibleEnd && secret.ends_with(tail));
}

}  // namespace

std::string redact_secret(std::string_view text, std::string_view secret) {
  // A "key" of a few characters is a typo, not a secret; hunting for it would shred
  // ordinary words ("x" is in "next").
  if (secret.size() < kMinSecretLength) return std::string(text);
  const std::string_view marker = marker_for(secret);
  // The whole key first: it may contain characters that split words.
  std::string whole = replace_all(text, secret, marker);

  const std::size_t n = piece_length(secret.size());
  std::unordered_set<std::string_view> pieces;
  for (std::size_t i = 0; i + n <= secret.size(); ++i) {
    if (specific_enough(secret.substr(i, n))) pieces.insert(secret.substr(i, n));
  }

  std::string out;
  out.reserve(whole.size());
  std::string_view rest = whole;
  while (!rest.empty()) {
    if (!is_word_char(rest.front())) {
      out.push_back(rest.front());
      rest.remove_prefix(1);
      continue;
    }
    const auto end = std::find_if_not(rest.begin(), rest.end(), is_word_char);
    const std::string_view word = rest.substr(0, static_cast<std::size_t>(end - rest.begin()));
    bool leaks = looks_star_masked(word) || is_truncated_echo(word, secret);
    for (std::size_t i = 0; !leaks && i + n <= word.size(); ++i) {
      leaks = pieces.count(word.substr(i, n)) > 0;
    }
    out.append(leaks ? marker : word);
    rest.remove_prefix(word.size());
  }
  // Only without a marker can deleting a key join its neighbours into the key again.
  while (marker.empty() && out.find(secret) != std::string::npos) {
    out = replace_all(out, secret, marker);
  }
  return out;
}

std::string redact_body(std::string_view body, std::string_view secret) {
  std::string bytes = redact_secret(body, secret);
  if (secret.size() < kMinSecretLength) return bytes;
  nlohmann::json doc = nlohmann::json::parse(bytes, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return bytes;

  // Iterative on purpose: a body is up to 1 MiB of outside input, nested as deep as it likes.
  bool changed = false;
  std::size_t deepest = 0;
  std::vector<std::pair<nlohmann::json*, std::size_t>> pending = {{&doc, 0}};
  while (!pending.empty()) {
    auto [node, depth] = pending.back();
    pending.pop_back();
    deepest = std::max(deepest, depth);
    if (node->is_string()) {
      std::string& text = node->get_ref<std::string&>();
      if (std::string clean = redact_secret(text, secret); clean != text) {
        text = std::move(clean);
        changed = true;
      }
    } else if (node->is_object()) {
      std::vector<std::string> leaking_names;
      for (const auto& [name, value] : node->items()) {
        if (redact_secret(name, secret) != name) leaking_names.push_back(name);
      }
      for (const std::string& name : leaking_names) {
        (*node)[redact_secret(name, secret)] = std::move((*node)[name]);
        node->erase(name);
        changed = true;
      }
      for (auto& [name, value] : node->items()) pending.emplace_back(&value, depth + 1);
    } else if (node->is_array()) {
      for (nlohmann::json& value : *node) pending.emplace_back(&value, depth + 1);
    }
  }
  if (!changed) return bytes;
  // Writing JSON back recurses; real provider bodies are a few levels deep.
  if (deepest > kMaxRewriteDepth) return {};
  // Compact output can join pieces into a key made of JSON punctuation ("a\":\"b"): the
  // bytes are redacted once more.
  return redact_secret(doc.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), secret);
}

std::string redact_secrets(std::string_view text, const std::vector<std::string>& secrets) {
  std::string out(text);
  for (const std::string& secret : secrets) out = redact_secret(out, secret);
  return out;
}

std::string redact_body_secrets(std::string_view body, const std::vector<std::string>& secrets) {
  std::string out(body);
  for (const std::string& secret : secrets) out = redact_body(out, secret);
  return out;
}

std::string key_fingerprint(std::string_view key) {
  return sha256_hex_prefix(key, 4);
}

}  // namespace devops_monitor
