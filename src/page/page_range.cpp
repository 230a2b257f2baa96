// The status page's ranges and the atomic write of a page file.
#include "devops_monitor/status_page.hpp"
#include "util/atomic_file.hpp"
#include "util/guard.hpp"

namespace devops_monitor {

std::optional<PageRange> parse_page_range(std::string_view text) {
  for (const PageRange range : kPageRanges) {
    if (text == to_string(range)) return range;
  }
  return std::nullopt;
}

std::string_view to_string(PageRange range) {
  switch (range) {
    case PageRange::day:
      return "24h";
    case PageRange::week:
      return "7d";
    case PageRange::month:
      return "30d";
    case PageRange::quarter:
      return "90d";
  }
  return "7d";
}

std::chrono::seconds range_length(PageRange range) {
  constexpr std::chrono::seconds kDay{24 * 3600};
  switch (range) {
    case PageRange::day:
      return kDay;
    case PageRange::week:
      return 7 * kDay;
    case PageRange::month:
      return 30 * kDay;
    case PageRange::quarter:
      return 90 * kDay;
  }
  return 7 * kDay;
}

Result<void> write_page_file(const std::filesystem::path& file, std::string_view html) {
  return guarded<void>("cannot write the status page", [&]() -> Result<void> {
    const std::filesystem::path dir = file.parent_path();
    if (!dir.empty()) {
      Result<void> ready = make_directories(dir, "directory of the page");
      if (!ready) return ready;
    }
    return write_file_atomically(file, html);
  });
}

}  // namespace devops_monitor
