// parse_meminfo_fields(), parse_zoneinfo_low_pages() and memory_info_from_fields(): any
// meminfo text, with any zoneinfo text after the first NUL byte, gives an error or memory
// figures where available <= total and the percentage is in 0-100.
#include <cmath>

#include "fuzz_support.hpp"
#include "system/memory.hpp"

using namespace devops_monitor;

FUZZ_TARGET(meminfo) {
  const std::string_view input = fuzz::as_text(data, size);
  const std::size_t split = input.find('\0');
  const std::string_view meminfo = input.substr(0, split);

  std::optional<std::uint64_t> low_watermark_bytes;
  if (split != std::string_view::npos) {
    const Result<std::uint64_t> pages =
        parse_zoneinfo_low_pages(input.substr(split + 1), "/proc/zoneinfo");
    if (pages) low_watermark_bytes = *pages > UINT64_MAX / 4096 ? UINT64_MAX : *pages * 4096;
  }
  const Result<MeminfoFields> fields = parse_meminfo_fields(meminfo, "/proc/meminfo");
  if (!fields) return 0;
  FUZZ_CHECK(fields->total > 0, "zero total");
  for (const auto& watermark : {std::optional<std::uint64_t>{}, low_watermark_bytes}) {
    const Result<MemoryInfo> memory = memory_info_from_fields(*fields, watermark, "/proc/meminfo");
    if (!memory) continue;
    FUZZ_CHECK(memory->available_bytes <= memory->total_bytes, "available above total");
    const double percent = memory_percent(*memory);
    FUZZ_CHECK(std::isfinite(percent) && percent >= 0.0 && percent <= 100.0,
               std::to_string(percent));
  }
  return 0;
}
