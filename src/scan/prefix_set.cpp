#include "scan/prefix_set.hpp"

#include <hs.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdint>
#include <exception>
#include <limits>
#include <stdexcept>

namespace devops_monitor::scan {

struct PrefixSet::Database {
  hs_database_t* compiled = nullptr;
  std::vector<unsigned> lengths;  // by literal id
  std::uint64_t serial = 0;       // tells a thread's scratch which database it was sized for

  Database() = default;
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  ~Database() { hs_free_database(compiled); }
};

namespace {

std::atomic<std::uint64_t> prefix_database_serial{0};

/// vectorscan's scratch space: one per thread, grown for every database the thread scans with,
/// freed when the thread ends. Never shared: a scan writes into it.
struct PrefixThreadScratch {
  hs_scratch_t* space = nullptr;
  std::uint64_t sized_for = 0;
  PrefixThreadScratch() = default;
  PrefixThreadScratch(const PrefixThreadScratch&) = delete;
  PrefixThreadScratch& operator=(const PrefixThreadScratch&) = delete;
  ~PrefixThreadScratch() { hs_free_scratch(space); }
};

thread_local PrefixThreadScratch prefix_thread_scratch;

/// The state of one for_each_start over vectorscan. Matches arrive in order of their END, so
/// a short prefix may be reported before a longer one that starts earlier: starts wait in
/// `pending` until no later match can start before them (end - longest), then go out in order.
struct PrefixWalk {
  const std::vector<unsigned>* lengths = nullptr;
  const PrefixSet::Visit* visit = nullptr;
  std::size_t longest = 0;
  std::size_t base = 0;          // the chunk's offset in the text
  std::size_t report_below = 0;  // starts from here on belong to the next chunk
  std::size_t resume = 0;        // the visitor's last answer
  std::vector<std::size_t> pending;
  std::exception_ptr failure;

  void flush_before(std::size_t limit) {
    std::size_t done = 0;
    for (; done < pending.size() && pending[done] < limit; ++done) {
      const std::size_t start = pending[done];
      if (start >= resume) resume = std::max(start + 1, (*visit)(start));
    }
    pending.erase(pending.begin(), pending.begin() + static_cast<std::ptrdiff_t>(done));
  }
};

int on_prefix_match(unsigned id, unsigned long long /*from*/, unsigned long long to,
                    unsigned /*flags*/, void* context) {
  auto& walk = *static_cast<PrefixWalk*>(context);
  try {
    const std::size_t end = walk.base + static_cast<std::size_t>(to);
    const std::size_t start = end - (*walk.lengths)[id];
    if (end > walk.longest) walk.flush_before(end - walk.longest);
    if (start >= walk.report_below || start < walk.resume) return 0;
    const auto at = std::lower_bound(walk.pending.begin(), walk.pending.end(), start);
    if (at == walk.pending.end() || *at != start) walk.pending.insert(at, start);
    return 0;
  } catch (...) {
    // Nothing may unwind through vectorscan's frames: stop the scan and rethrow after it.
    walk.failure = std::current_exception();
    return 1;
  }
}

std::string vectorscan_problem(hs_error_t code) {
  return "vectorscan error " + std::to_string(code);
}

}  // namespace

PrefixSet::PrefixSet(const std::vector<std::string>& prefixes, PrefixSearch search,
                     std::size_t chunk) {
  for (const std::string& prefix : prefixes) {
    if (prefix.empty()) throw std::invalid_argument("PrefixSet: an empty prefix");
    if (std::find(literals_.begin(), literals_.end(), prefix) == literals_.end()) {
      literals_.push_back(prefix);
      longest_ = std::max(longest_, prefix.size());
    }
  }
  chunk_ = std::max(chunk, 2 * longest_);
  if (search == PrefixSearch::plain || literals_.empty() || hs_valid_platform() != HS_SUCCESS) {
    return;
  }
  std::vector<const char*> expressions;
  std::vector<std::size_t> lengths;
  std::vector<unsigned> ids;
  std::vector<unsigned> flags(literals_.size(), 0);
  for (std::size_t i = 0; i < literals_.size(); ++i) {
    expressions.push_back(literals_[i].data());
    lengths.push_back(literals_[i].size());
    ids.push_back(static_cast<unsigned>(i));
  }
  auto database = std::make_unique<Database>();
  hs_compile_error_t* error = nullptr;
  if (hs_compile_lit_multi(expressions.data(), flags.data(), ids.data(), lengths.data(),
                           static_cast<unsigned>(literals_.size()), HS_MODE_BLOCK, nullptr,
                           &database->compiled, &error) != HS_SUCCESS) {
    // Only a CPU or memory problem gets here (literals always compile): search plainly.
    hs_free_compile_error(error);
    return;
  }
  for (const std::string& literal : literals_) {
    database->lengths.push_back(static_cast<unsigned>(literal.size()));
  }
  database->serial = ++prefix_database_serial;
  database_ = std::move(database);
}

PrefixSet::~PrefixSet() = default;
PrefixSet::PrefixSet(PrefixSet&&) noexcept = default;
PrefixSet& PrefixSet::operator=(PrefixSet&&) noexcept = default;

void PrefixSet::for_each_start(std::string_view text, const Visit& visit) const {
  if (text.empty() || literals_.empty()) return;
  if (database_ != nullptr) {
    vectorscan_starts(text, visit);
    return;
  }
  plain_starts(text, visit);
}

void PrefixSet::plain_starts(std::string_view text, const Visit& visit) const {
  std::array<bool, 256> first{};
  for (const std::string& literal : literals_) first[static_cast<unsigned char>(literal[0])] = true;
  std::size_t resume = 0;
  for (std::size_t at = 0; at < text.size(); ++at) {
    if (at < resume || !first[static_cast<unsigned char>(text[at])]) continue;
    const bool starts = std::any_of(literals_.begin(), literals_.end(), [&](const auto& literal) {
      return text.compare(at, literal.size(), literal) == 0;
    });
    if (starts) resume = std::max(at + 1, visit(at));
  }
}

void PrefixSet::vectorscan_starts(std::string_view text, const Visit& visit) const {
  PrefixThreadScratch& scratch = prefix_thread_scratch;
  if (scratch.space == nullptr || scratch.sized_for != database_->serial) {
    if (const hs_error_t code = hs_alloc_scratch(database_->compiled, &scratch.space);
        code != HS_SUCCESS) {
      throw std::runtime_error("cannot allocate the prefix search's scratch: " +
                               vectorscan_problem(code));
    }
    scratch.sized_for = database_->serial;
  }
  PrefixWalk walk;
  walk.lengths = &database_->lengths;
  walk.visit = &visit;
  walk.longest = longest_;
  walk.pending.reserve(longest_ + 1);
  // Chunks overlap by longest - 1 bytes; each reports only the starts before the next chunk's
  // first byte, so every prefix is seen whole exactly once.
  for (std::size_t begin = 0; begin < text.size();) {
    const std::size_t length = std::min(chunk_, text.size() - begin);
    const bool last = begin + length == text.size();
    const std::size_t next = last ? text.size() : begin + length - (longest_ - 1);
    walk.base = begin;
    walk.report_below = next;
    const hs_error_t code =
        hs_scan(database_->compiled, text.data() + begin, static_cast<unsigned>(length), 0,
                scratch.space, on_prefix_match, &walk);
    if (walk.failure) std::rethrow_exception(walk.failure);
    if (code != HS_SUCCESS) {
      throw std::runtime_error("cannot search for key prefixes: " + vectorscan_problem(code));
    }
    walk.flush_before(std::numeric_limits<std::size_t>::max());
    begin = next;
  }
}

}  // namespace devops_monitor::scan
