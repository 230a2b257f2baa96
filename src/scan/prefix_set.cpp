#include "scan/prefix_set.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdint>
#include <new>
#include <stdexcept>

#include "scan/vectorscan_library.hpp"

namespace devops_monitor::scan {
// Named, not anonymous: PrefixSet::Database holds these.
namespace prefix_search {

/// What vectorscan searches for: the literals, those sharing their first kSharedHead characters
/// merged into their longest common prefix ("xoxb-" ... "xoxs-" into "xox", "sk-proj-" into
/// "sk-"). Each start found is checked against the literals it stands for, so the starts
/// reported are exactly the literals'. Why merge: vectorscan searches up to 32 literals with a
/// faster engine than more (measured on 1 GB of source text: 10.4-11.4 GB/s per core against
/// 9.1 with the built-in rules' 39), and a shorter list also leaves room for custom providers.
struct SearchedLiteral {
  std::string text;
  std::vector<std::string> stands_for;  // the literals starting with `text`
  bool exact = false;                   // stands for `text` alone: nothing to check
};

constexpr std::size_t kSharedHead = 3;  // the shortest prefix a key pattern may have

std::vector<SearchedLiteral> searched_literals(const std::vector<std::string>& literals) {
  std::vector<SearchedLiteral> searched;
  for (const std::string& literal : literals) {
    auto same_head = [&](const SearchedLiteral& group) {
      return literal.size() >= kSharedHead && group.text.size() >= kSharedHead &&
             literal.compare(0, kSharedHead, group.text, 0, kSharedHead) == 0;
    };
    auto group = std::find_if(searched.begin(), searched.end(), same_head);
    if (group == searched.end()) {
      searched.push_back({literal, {literal}, true});
      continue;
    }
    std::size_t common = kSharedHead;
    while (common < group->text.size() && common < literal.size() &&
           group->text[common] == literal[common]) {
      ++common;
    }
    group->text.resize(common);
    group->stands_for.push_back(literal);
    // Every start of a literal that is itself one of them ("sk-" for "sk-proj-") is a start.
    group->exact = std::find(group->stands_for.begin(), group->stands_for.end(), group->text) !=
                   group->stands_for.end();
  }
  return searched;
}

}  // namespace prefix_search
using prefix_search::SearchedLiteral;

struct PrefixSet::Database {
  const VectorscanLibrary* vectorscan = nullptr;
  hs_database_t* compiled = nullptr;
  std::vector<SearchedLiteral> searched;  // by vectorscan's literal id
  std::uint64_t serial = 0;  // tells a thread's scratch which database it was sized for

  Database() = default;
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  ~Database() {
    if (compiled != nullptr) vectorscan->free_database(compiled);
  }
};

namespace {

std::atomic<std::uint64_t> prefix_database_serial{0};

/// vectorscan's scratch space: one per thread, grown for every database the thread scans with,
/// freed when the thread ends. Never shared: a scan writes into it.
struct PrefixThreadScratch {
  hs_scratch_t* space = nullptr;
  std::uint64_t sized_for = 0;
  decltype(&::hs_free_scratch) free = nullptr;  // set with the first space
  PrefixThreadScratch() = default;
  PrefixThreadScratch(const PrefixThreadScratch&) = delete;
  PrefixThreadScratch& operator=(const PrefixThreadScratch&) = delete;
  ~PrefixThreadScratch() {
    if (space != nullptr) free(space);
  }
};

thread_local PrefixThreadScratch prefix_thread_scratch;

/// The starts one vectorscan call found. vectorscan promises no order among the matches it
/// reports (literals end at different offsets), so each chunk's starts are collected, sorted
/// and made unique before anyone sees them; a chunk is small, so this list stays small too.
struct PrefixChunkStarts {
  const std::vector<SearchedLiteral>* searched = nullptr;
  std::string_view text;         // the whole text: a literal may run past the chunk's end
  std::size_t base = 0;          // the chunk's offset in the text
  std::size_t report_below = 0;  // starts from here on belong to the next chunk
  std::vector<std::size_t> starts;
};

int on_prefix_match(unsigned id, unsigned long long /*from*/, unsigned long long to,
                    unsigned /*flags*/, void* context) {
  auto& chunk = *static_cast<PrefixChunkStarts*>(context);
  const SearchedLiteral& literal = (*chunk.searched)[id];
  const std::size_t start = chunk.base + static_cast<std::size_t>(to) - literal.text.size();
  if (start >= chunk.report_below) return 0;
  if (!literal.exact && std::none_of(literal.stands_for.begin(), literal.stands_for.end(),
                                     [&](const std::string& whole) {
                                       return chunk.text.compare(start, whole.size(), whole) == 0;
                                     })) {
    return 0;
  }
  try {
    chunk.starts.push_back(start);
    return 0;
  } catch (const std::bad_alloc&) {
    return 1;  // nothing may unwind through vectorscan's frames: stop, and fail after it
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
  if (search == PrefixSearch::plain || literals_.empty()) return;
  // Without the library (a broken install) or the CPU features it needs, the plain search
  // gives the same answers, slower.
  Result<const VectorscanLibrary*> vectorscan = load_vectorscan();
  if (!vectorscan || (*vectorscan)->valid_platform() != HS_SUCCESS) return;
  auto database = std::make_unique<Database>();
  database->vectorscan = *vectorscan;
  database->searched = prefix_search::searched_literals(literals_);
  std::vector<const char*> expressions;
  std::vector<std::size_t> lengths;
  std::vector<unsigned> ids;
  std::vector<unsigned> flags(database->searched.size(), 0);
  for (std::size_t i = 0; i < database->searched.size(); ++i) {
    expressions.push_back(database->searched[i].text.data());
    lengths.push_back(database->searched[i].text.size());
    ids.push_back(static_cast<unsigned>(i));
  }
  hs_compile_error_t* error = nullptr;
  if (database->vectorscan->compile_lit_multi(
          expressions.data(), flags.data(), ids.data(), lengths.data(),
          static_cast<unsigned>(expressions.size()), HS_MODE_BLOCK, nullptr, &database->compiled,
          &error) != HS_SUCCESS) {
    // Only a CPU or memory problem gets here (literals always compile): search plainly.
    database->vectorscan->free_compile_error(error);
    return;
  }
  database->serial = ++prefix_database_serial;
  database_ = std::move(database);
}

PrefixSet::~PrefixSet() = default;
PrefixSet::PrefixSet(PrefixSet&&) noexcept = default;
PrefixSet& PrefixSet::operator=(PrefixSet&&) noexcept = default;

std::size_t PrefixSet::searched_count() const {
  return database_ == nullptr ? 0 : database_->searched.size();
}

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
    const VectorscanLibrary& vectorscan = *database_->vectorscan;
    scratch.free = vectorscan.free_scratch;
    if (const hs_error_t code = vectorscan.alloc_scratch(database_->compiled, &scratch.space);
        code != HS_SUCCESS) {
      throw std::runtime_error("cannot allocate the prefix search's scratch: " +
                               vectorscan_problem(code));
    }
    scratch.sized_for = database_->serial;
  }
  PrefixChunkStarts chunk;
  chunk.searched = &database_->searched;
  chunk.text = text;
  std::size_t resume = 0;
  // Chunks overlap by longest - 1 bytes; each reports only the starts before the next chunk's
  // first byte, so every prefix is seen whole exactly once.
  for (std::size_t begin = 0; begin < text.size();) {
    const std::size_t length = std::min(chunk_, text.size() - begin);
    const bool last = begin + length == text.size();
    const std::size_t next = last ? text.size() : begin + length - (longest_ - 1);
    chunk.base = begin;
    chunk.report_below = next;
    chunk.starts.clear();
    const hs_error_t code = database_->vectorscan->scan(database_->compiled, text.data() + begin,
                                                        static_cast<unsigned>(length), 0,
                                                        scratch.space, on_prefix_match, &chunk);
    if (code == HS_SCAN_TERMINATED) throw std::bad_alloc();  // on_prefix_match ran out
    if (code != HS_SUCCESS) {
      throw std::runtime_error("cannot search for key prefixes: " + vectorscan_problem(code));
    }
    std::sort(chunk.starts.begin(), chunk.starts.end());
    chunk.starts.erase(std::unique(chunk.starts.begin(), chunk.starts.end()), chunk.starts.end());
    for (const std::size_t start : chunk.starts) {
      if (start >= resume) resume = std::max(start + 1, visit(start));
    }
    begin = std::max(next, std::min(resume, text.size()));  // a key may end past the chunk
  }
}

}  // namespace devops_monitor::scan
