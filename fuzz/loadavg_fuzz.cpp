// parse_loadavg(): any text gives an error or three finite, non-negative load averages.
#include <cmath>

#include "fuzz_support.hpp"
#include "system/load.hpp"

using namespace devops_monitor;

FUZZ_TARGET(loadavg) {
  const Result<LoadAverage> load = parse_loadavg(fuzz::as_text(data, size), "/proc/loadavg");
  if (!load) return 0;
  for (const double value : {load->one, load->five, load->fifteen}) {
    FUZZ_CHECK(std::isfinite(value) && value >= 0.0, std::to_string(value));
  }
  return 0;
}
