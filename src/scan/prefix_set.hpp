// Where the rules' literal prefixes start in a buffer: the scanner's prefilter. The prefixes
// are compiled once into one vectorscan (Hyperscan) literal database, which reads a buffer
// with SIMD at several GB/s whatever the number of prefixes; each thread keeps its own
// scratch space. Without vectorscan's CPU features a plain search gives the same answers.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace devops_monitor::scan {

enum class PrefixSearch {
  vectorscan,  // the literal database, or `plain` when vectorscan cannot run on this CPU
  plain,       // every position compared with every prefix: the reference the tests use
};

class PrefixSet {
 public:
  /// Calls for one start: returns the offset from which the search goes on (starts before it
  /// are not reported), so what lies inside a found key is not searched again.
  using Visit = std::function<std::size_t(std::size_t start)>;

  /// `prefixes`: non-empty literals, duplicates allowed. `chunk`: what one vectorscan call
  /// reads (its starts are sorted before they are visited: a few hundred KB keeps that list
  /// short and in cache); tests make it small to put prefixes across chunks.
  explicit PrefixSet(const std::vector<std::string>& prefixes,
                     PrefixSearch search = PrefixSearch::vectorscan,
                     std::size_t chunk = std::size_t{256} << 10);
  ~PrefixSet();
  PrefixSet(PrefixSet&&) noexcept;
  PrefixSet& operator=(PrefixSet&&) noexcept;
  PrefixSet(const PrefixSet&) = delete;
  PrefixSet& operator=(const PrefixSet&) = delete;

  /// Every offset of `text` where some prefix starts, ascending, each once, from `visit`'s
  /// last answer on.
  void for_each_start(std::string_view text, const Visit& visit) const;

  /// False when the plain search runs (asked for, or vectorscan refused this CPU).
  [[nodiscard]] bool accelerated() const { return database_ != nullptr; }
  [[nodiscard]] const std::vector<std::string>& literals() const { return literals_; }
  /// How many literals vectorscan searches for: prefixes sharing their first three characters
  /// are searched as one (then told apart). 0 when the plain search runs.
  [[nodiscard]] std::size_t searched_count() const;

 private:
  struct Database;
  void plain_starts(std::string_view text, const Visit& visit) const;
  void vectorscan_starts(std::string_view text, const Visit& visit) const;

  std::vector<std::string> literals_;  // distinct, in first-seen order
  std::size_t longest_ = 0;
  std::size_t chunk_ = 0;
  std::unique_ptr<Database> database_;
};

}  // namespace devops_monitor::scan
