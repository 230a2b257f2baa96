// Adding to a caller's CheckNotes, which may be absent.
#pragma once

#include <utility>

#include "devops_monitor/check_notes.hpp"

namespace devops_monitor {

/// Adds a warning unless the same one is already there (check and keep may both meet it).
inline void note_warning(CheckNotes* notes, Error warning) {
  if (notes == nullptr) return;
  for (const Error& known : notes->warnings) {
    if (known.message() == warning.message()) return;
  }
  notes->warnings.push_back(std::move(warning));
}

}  // namespace devops_monitor
