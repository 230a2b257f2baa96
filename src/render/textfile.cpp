// The textfile sink: node_exporter reads every *.prom file in its directory on each scrape, so
// the file must never be seen half-written.
#include "devops_monitor/render.hpp"
#include "util/atomic_file.hpp"

namespace devops_monitor {

Result<void> write_textfile(const std::filesystem::path& dir, std::string_view exposition) {
  if (Result<void> ready = make_directories(dir, "textfile directory"); !ready) return ready;
  return write_file_atomically(dir / "devops_monitor.prom", exposition);
}

}  // namespace devops_monitor
