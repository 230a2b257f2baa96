// Looking for key material the way an attacker would: not only the whole key or its prefix,
// but any piece of it that would narrow a search, anywhere the tool writes.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace devops_monitor::testing {

/// The pieces of `key` that betray it: the whole key and every window of 8 characters past
/// its first 8 (a provider's prefix such as "sk-proj-" is public and may be shown).
std::vector<std::string> key_pieces(const std::string& key);

/// Fails the test, naming `where` and the piece's position (never the piece), when any piece
/// of any of `keys` is in `text`.
void expect_no_key_piece(const std::string& where, const std::string& text,
                         const std::vector<std::string>& keys);

/// The same for every regular file below `dir` (reports, key history, logs, pages), except
/// the files named in `except` (the .env and config files that hold the keys on purpose).
void expect_no_key_in_files(const std::filesystem::path& dir, const std::vector<std::string>& keys,
                            const std::vector<std::filesystem::path>& except = {});

}  // namespace devops_monitor::testing
