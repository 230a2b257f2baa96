// TEMPORARY (delete when issue10/history is merged): a weak load_history so that this branch
// links before the history implementation lands; the real one replaces it at link time.
#include "history/history.hpp"

namespace devops_monitor::history {

__attribute__((weak)) Result<LoadedHistory> load_history(const std::filesystem::path&, SystemTime) {
  return LoadedHistory{};
}

}  // namespace devops_monitor::history
