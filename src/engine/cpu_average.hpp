// The daemons' CPU figure: the average of the sampler's one-second readings over a span
// (Settings::cpu_average), so that one busy second on a build machine is not a state. A ring
// of fixed size: memory does not grow with time.
#pragma once

#include <cstddef>
#include <vector>

#include "devops_monitor/duration.hpp"

namespace devops_monitor::engine {

class CpuAverage {
 public:
  /// Holds enough readings of about `tick` each to cover `span`.
  CpuAverage(Milliseconds span, Milliseconds tick);

  /// A reading: `percent` busy over `window`. The oldest readings go once the newer ones
  /// cover the span without them.
  void add(double percent, Milliseconds window);

  /// The busy share over the readings held, each weighted by its window, one decimal; 0
  /// before the first reading.
  [[nodiscard]] double percent() const;
  /// The time the readings held cover: the span once full, less before.
  [[nodiscard]] Milliseconds covered() const;
  [[nodiscard]] Milliseconds span() const { return span_; }

  /// A new span (a reloaded config): keeps the newest readings that fit.
  void set_span(Milliseconds span);

 private:
  struct Reading {
    double percent = 0.0;
    Milliseconds window{0};
  };
  [[nodiscard]] const Reading& at(std::size_t i) const;  // 0: the oldest
  void drop_oldest();

  Milliseconds span_;
  Milliseconds tick_;
  std::vector<Reading> ring_;
  std::size_t first_ = 0;  // index of the oldest reading in ring_
  std::size_t count_ = 0;
  Milliseconds covered_{0};
};

}  // namespace devops_monitor::engine
