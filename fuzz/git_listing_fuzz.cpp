// git's file listing on arbitrary bytes (the names of a repository someone else wrote): every
// listed name is found again, every directory above one is known to hold something, and a
// name that was not listed is not taken for one.
#include "fuzz_support.hpp"
#include "scan/git_listing.hpp"

using namespace devops_monitor;

FUZZ_TARGET(git_listing) {
  const std::string_view text = fuzz::as_text(data, size);
  const scan::GitListing listing = scan::GitListing::parse(text);
  std::string_view rest = text;
  bool any = false;
  while (!rest.empty()) {
    const std::size_t end = rest.find('\0');
    const std::string_view path = rest.substr(0, end);
    if (!path.empty()) {
      any = true;
      FUZZ_CHECK(listing.has_file(path), "a listed name is not found");
      for (std::size_t slash = path.find('/'); slash != std::string_view::npos;
           slash = path.find('/', slash + 1)) {
        if (slash == 0) continue;
        FUZZ_CHECK(listing.has_below(path.substr(0, slash)), "a listed name's directory is empty");
      }
      FUZZ_CHECK(!listing.has_file(std::string(path) + '\0' + "x"), "an unlisted name is found");
    }
    if (end == std::string_view::npos) break;
    rest.remove_prefix(end + 1);
  }
  FUZZ_CHECK(listing.empty() == !any, "emptiness differs from the input's names");
  return 0;
}
