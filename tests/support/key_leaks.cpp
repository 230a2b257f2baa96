#include "support/key_leaks.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>

namespace devops_monitor::testing {
namespace {

constexpr std::size_t kPublicPrefix = 8;
constexpr std::size_t kPiece = 8;

std::string file_text(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

std::vector<std::string> key_pieces(const std::string& key) {
  std::vector<std::string> pieces{key};
  for (std::size_t at = kPublicPrefix; at + kPiece <= key.size(); ++at) {
    pieces.push_back(key.substr(at, kPiece));
  }
  return pieces;
}

void expect_no_key_piece(const std::string& where, const std::string& text,
                         const std::vector<std::string>& keys) {
  for (std::size_t k = 0; k < keys.size(); ++k) {
    const std::vector<std::string> pieces = key_pieces(keys[k]);
    for (std::size_t p = 0; p < pieces.size(); ++p) {
      const std::size_t found = text.find(pieces[p]);
      EXPECT_EQ(found, std::string::npos)
          << "a piece of key #" << k << " (from character " << (p == 0 ? 0 : kPublicPrefix + p - 1)
          << ") is in " << where << " at offset " << found;
    }
  }
}

void expect_no_key_in_files(const std::filesystem::path& dir, const std::vector<std::string>& keys,
                            const std::vector<std::filesystem::path>& except) {
  std::error_code ec;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir, ec)) {
    if (!entry.is_regular_file(ec)) continue;
    if (std::find(except.begin(), except.end(), entry.path()) != except.end()) continue;
    expect_no_key_piece(entry.path().string(), file_text(entry.path()), keys);
  }
}

}  // namespace devops_monitor::testing
