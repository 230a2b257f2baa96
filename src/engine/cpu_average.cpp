#include "engine/cpu_average.hpp"

#include <algorithm>

#include "system/system_sample.hpp"

namespace devops_monitor::engine {
namespace {

/// Readings that cover `span` at one per `tick`, and one more for the one that falls out.
std::size_t ring_size(Milliseconds span, Milliseconds tick) {
  const auto per_span = span.count() / std::max<Milliseconds::rep>(tick.count(), 1);
  return static_cast<std::size_t>(std::max<Milliseconds::rep>(per_span, 1)) + 1;
}

}  // namespace

CpuAverage::CpuAverage(Milliseconds span, Milliseconds tick)
    : span_(span), tick_(tick), ring_(ring_size(span, tick)) {}

const CpuAverage::Reading& CpuAverage::at(std::size_t i) const {
  return ring_[(first_ + i) % ring_.size()];
}

void CpuAverage::drop_oldest() {
  covered_ -= ring_[first_].window;
  first_ = (first_ + 1) % ring_.size();
  --count_;
}

void CpuAverage::add(double percent, Milliseconds window) {
  if (count_ == ring_.size()) drop_oldest();  // readings shorter than a tick: the ring is full
  ring_[(first_ + count_) % ring_.size()] = Reading{percent, window};
  ++count_;
  covered_ += window;
  while (count_ > 1 && covered_ - ring_[first_].window >= span_) drop_oldest();
}

double CpuAverage::percent() const {
  double weighted = 0.0;
  for (std::size_t i = 0; i < count_; ++i) {
    weighted += at(i).percent * static_cast<double>(at(i).window.count());
  }
  if (covered_.count() <= 0) return count_ == 0 ? 0.0 : at(count_ - 1).percent;
  return round_to_tenth(weighted / static_cast<double>(covered_.count()));
}

Milliseconds CpuAverage::covered() const {
  return covered_;
}

void CpuAverage::set_span(Milliseconds span) {
  if (span == span_) return;
  CpuAverage resized(span, tick_);
  for (std::size_t i = 0; i < count_; ++i) resized.add(at(i).percent, at(i).window);
  *this = std::move(resized);
}

}  // namespace devops_monitor::engine
