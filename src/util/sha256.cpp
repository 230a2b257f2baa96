#include "util/sha256.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <array>

namespace devops_monitor {

std::string sha256_hex_prefix(std::string_view text, std::size_t bytes) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  EVP_Digest(text.data(), text.size(), digest.data(), &length, EVP_sha256(), nullptr);
  static constexpr char kHexDigits[] = "0123456789abcdef";
  std::string hex;
  for (std::size_t i = 0; i < std::min<std::size_t>(bytes, length); ++i) {
    hex.push_back(kHexDigits[digest[i] >> 4]);
    hex.push_back(kHexDigits[digest[i] & 0x0f]);
  }
  return hex;
}

}  // namespace devops_monitor
