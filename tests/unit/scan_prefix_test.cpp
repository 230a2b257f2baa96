// The scanner's prefilter (PrefixSet over vectorscan) against the plain search that compares
// every position with every prefix, the matcher built on each, and the ordered work queue
// that lets walking and scanning overlap.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <random>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>

#include "devops_monitor/scan.hpp"
#include "scan/matcher.hpp"
#include "scan/ordered_work.hpp"
#include "scan/prefix_set.hpp"
#include "scan/rules.hpp"
#include "support/scan_keys.hpp"

namespace devops_monitor {
namespace {

using testing::generated_keys;
using testing::TestKey;

/// About as many prefixes as the rules will have, with the awkward cases: one a prefix of
/// another (sk- and sk-proj-), 3-character ones, and one 11 long.
const std::vector<std::string>& many_prefixes() {
  static const std::vector<std::string> prefixes = {
      "gsk_",       "hf_",      "xai-",        "pplx-",     "r8_",           "sk-",
      "sk_live_",   "sk_test_", "rk_live_",    "glpat-",    "npm_",          "SG.",
      "ghp_",       "gho_",     "ghu_",        "ghs_",      "ghr_",          "github_pat_",
      "xoxb-",      "xoxp-",    "xoxa-",       "xoxr-",     "xoxs-",         "xapp-",
      "AKIA",       "ASIA",     "ABIA",        "ACCA",      "AIza",          "tgp_v1_",
      "-----BEGIN", "sk-proj-", "sk-svcacct-", "sk-admin-", "sk-ant-api03-", "sk-or-v1-",
      "dsk-",       "co-",      "mis_"};
  return prefixes;
}

std::vector<std::size_t> starts_of(const scan::PrefixSet& set, std::string_view text,
                                   std::size_t skip_after_hit = 0) {
  std::vector<std::size_t> starts;
  set.for_each_start(text, [&](std::size_t at) {
    starts.push_back(at);
    return at + 1 + skip_after_hit;
  });
  return starts;
}

/// Text dense in prefixes and their fragments: pieces of prefixes (whole, cut at either end)
/// between random bytes, so prefixes overlap each other and every chunk boundary.
std::string prefix_soup(std::mt19937& rng, std::size_t size) {
  const std::vector<std::string>& prefixes = many_prefixes();
  std::uniform_int_distribution<std::size_t> pick(0, prefixes.size() - 1);
  std::uniform_int_distribution<int> kind(0, 9);
  std::uniform_int_distribution<int> byte(0, 255);
  std::string text;
  while (text.size() < size) {
    const std::string& prefix = prefixes[pick(rng)];
    const int k = kind(rng);
    if (k < 4) {
      text += prefix;
    } else if (k < 6) {
      text += prefix.substr(0, std::uniform_int_distribution<std::size_t>(1, prefix.size())(rng));
    } else if (k < 8) {
      text += prefix.substr(std::uniform_int_distribution<std::size_t>(0, prefix.size() - 1)(rng));
    } else {
      text += static_cast<char>(byte(rng));
    }
  }
  return text;
}

TEST(ScanPrefixSet, UsesVectorscanHere) {
  // The speed target rests on it: a build or machine where it silently fell back is a failure.
  EXPECT_TRUE(scan::PrefixSet(many_prefixes()).accelerated());
  EXPECT_FALSE(scan::PrefixSet(many_prefixes(), scan::PrefixSearch::plain).accelerated());
}

TEST(ScanPrefixSet, PrefixesSharingTheirHeadAreSearchedAsOne) {
  // vectorscan runs a faster engine for up to 32 literals than for more (docs/benchmarks.md):
  // the built-in rules' prefixes (39 today) must stay within it, with room for custom ones.
  const scan::PrefixSet set({"xoxb-", "xoxp-", "sk-", "sk-proj-", "sk_live_", "sk_test_", "hf_"});
  EXPECT_EQ(set.searched_count(), 4u);  // xox, sk-, sk_, hf_
  Result<std::vector<scan::Rule>> rules =
      scan::compile_rules(providers_for_scan(builtin_providers()));
  ASSERT_TRUE(rules.ok());
  const scan::Matcher matcher(std::move(*rules));
  EXPECT_GT(matcher.prefixes().literals().size(), 32u);
  EXPECT_LE(matcher.prefixes().searched_count(), 28u);
}

TEST(ScanPrefixSet, EachStartOnceInOrder) {
  const scan::PrefixSet set({"sk-", "sk-proj-", "AKIA", "sk-"});
  EXPECT_EQ(set.literals().size(), 3u);  // the duplicate "sk-" kept once
  //                        0         1         2
  //                        0123456789012345678901234
  const std::string text = "sk-proj-x AKIAsk-AKIA sk-";
  EXPECT_EQ(starts_of(set, text), (std::vector<std::size_t>{0, 10, 14, 17, 22}));
  EXPECT_EQ(starts_of(set, "sk-"), (std::vector<std::size_t>{0}));
  EXPECT_TRUE(starts_of(set, "").empty());
  EXPECT_TRUE(starts_of(set, "sk").empty());
}

TEST(ScanPrefixSet, TheVisitorsAnswerSkipsAhead) {
  const scan::PrefixSet set({"sk-", "AKIA"});
  // After the hit at 0 the search goes on from 0 + 1 + 10: the AKIA at 4 is skipped.
  EXPECT_EQ(starts_of(set, "sk-xAKIAxxxxxxxsk-", 10), (std::vector<std::size_t>{0, 15}));
}

TEST(ScanPrefixSet, AtBothEndsOfTheBuffer) {
  const scan::PrefixSet set(many_prefixes());
  for (const std::string& prefix : many_prefixes()) {
    SCOPED_TRACE(prefix);
    EXPECT_EQ(starts_of(set, prefix).front(), 0u);
    const std::string tail = std::string(100, ' ') + prefix;
    EXPECT_EQ(starts_of(set, tail).front(), 100u);
    EXPECT_EQ(starts_of(set, prefix.substr(0, prefix.size() - 1) + " ").size(),
              starts_of(set, prefix.substr(0, prefix.size() - 1), 0).size());
  }
}

TEST(ScanPrefixSet, SameAsThePlainSearchOnDenseText) {
  std::mt19937 rng(20261207);
  const scan::PrefixSet plain(many_prefixes(), scan::PrefixSearch::plain);
  const scan::PrefixSet fast(many_prefixes());
  for (int round = 0; round < 40; ++round) {
    const std::string text = prefix_soup(rng, 50 + 400 * static_cast<std::size_t>(round));
    for (const std::size_t skip : {0u, 3u, 17u}) {
      ASSERT_EQ(starts_of(fast, text, skip), starts_of(plain, text, skip))
          << "round " << round << " skip " << skip;
    }
  }
}

TEST(ScanPrefixSet, PrefixesAcrossChunkBoundaries) {
  // PrefixSet hands vectorscan 256 KB at a time; small chunks put every prefix across one.
  std::mt19937 rng(7);
  const scan::PrefixSet plain(many_prefixes(), scan::PrefixSearch::plain);
  const std::string text = prefix_soup(rng, 5000);
  const std::vector<std::size_t> expected = starts_of(plain, text);
  ASSERT_GT(expected.size(), 500u);
  for (const std::size_t chunk : {1u, 22u, 23u, 31u, 64u, 100u, 4096u}) {
    const scan::PrefixSet chunked(many_prefixes(), scan::PrefixSearch::vectorscan, chunk);
    EXPECT_EQ(starts_of(chunked, text), expected) << "chunk " << chunk;
    EXPECT_EQ(starts_of(chunked, text, 5), starts_of(plain, text, 5)) << "chunk " << chunk;
  }
}

// ---- the matcher on both prefilters ---------------------------------------------------------

std::vector<scan::Rule> builtin_rules() {
  Result<std::vector<scan::Rule>> rules = scan::compile_rules(builtin_providers());
  EXPECT_TRUE(rules.ok()) << rules.error().message();
  return rules.ok() ? std::move(*rules) : std::vector<scan::Rule>{};
}

bool same_matches(const std::vector<scan::SecretMatch>& a,
                  const std::vector<scan::SecretMatch>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].offset != b[i].offset || a[i].length != b[i].length || a[i].rule != b[i].rule ||
        a[i].key != b[i].key) {
      return false;
    }
  }
  return true;
}

TEST(ScanMatcherPrefilter, KeysAtEveryOffsetOfABlock) {
  // SIMD prefilters read 16, 32 or 64 bytes at a time: a key is put at each offset of the
  // first two hundred, ending the buffer or followed by text.
  const scan::Matcher matcher(builtin_rules());
  for (const TestKey& key : generated_keys()) {
    SCOPED_TRACE(key.rule);
    for (std::size_t at = 0; at < 200; ++at) {
      const std::string before(at, at % 7 == 0 ? '\n' : ' ');
      for (const std::string& after : {std::string(), std::string(" tail\n")}) {
        const std::string text = before + key.key + after;
        const std::vector<scan::SecretMatch> found = matcher.find(text);
        ASSERT_EQ(found.size(), 1u) << "at " << at;
        EXPECT_EQ(found[0].offset, at);
        EXPECT_EQ(found[0].key, key.key);
      }
    }
  }
}

TEST(ScanMatcherPrefilter, SameFindingsAsThePlainSearchWithPlantedKeys) {
  const scan::Matcher fast(builtin_rules());
  const scan::Matcher plain(builtin_rules(), scan::PrefixSearch::plain);
  ASSERT_TRUE(fast.prefixes().accelerated());
  std::mt19937 rng(99);
  for (unsigned seed = 1; seed <= 12; ++seed) {
    std::string text;
    std::vector<std::size_t> planted;
    for (const TestKey& key : generated_keys(seed)) {
      text += prefix_soup(rng, 200);
      text += "\nexport KEY=";
      planted.push_back(text.size());
      text += key.key + "\n";
    }
    const std::vector<scan::SecretMatch> found = fast.find(text);
    EXPECT_TRUE(same_matches(found, plain.find(text))) << "seed " << seed;
    std::set<std::size_t> offsets;
    for (const scan::SecretMatch& match : found) offsets.insert(match.offset);
    for (const std::size_t at : planted) EXPECT_TRUE(offsets.count(at)) << "seed " << seed;
  }
}

// ---- ordered work ----------------------------------------------------------------------------

TEST(ScanOrderedWork, DeliversInPushOrderWithinTheWindow) {
  std::vector<int> delivered;
  std::atomic<int> running{0};
  std::atomic<int> most_running{0};
  std::atomic<std::size_t> pushed{0};
  std::size_t most_ahead = 0;
  {
    scan::OrderedWork<int, int, int> work(
        3, 8,
        [&](const int& item, int& calls) {
          ++calls;
          const int now = ++running;
          for (int seen = most_running;
               now > seen && !most_running.compare_exchange_weak(seen, now);) {
          }
          // Later items often finish first: the delivery must still be in order.
          std::this_thread::sleep_for(std::chrono::microseconds((item * 7919) % 300));
          --running;
          return item * 2;
        },
        [&](int&& outcome) {
          delivered.push_back(outcome);
          most_ahead = std::max(most_ahead, pushed.load() - delivered.size());
        });
    for (int i = 0; i < 300; ++i) {
      ++pushed;  // before: the item may wait in push() for room
      work.push(i);
    }
    work.finish();
  }
  ASSERT_EQ(delivered.size(), 300u);
  for (int i = 0; i < 300; ++i) EXPECT_EQ(delivered[static_cast<std::size_t>(i)], 2 * i);
  EXPECT_GT(most_running.load(), 1);  // the threads did work side by side
  EXPECT_LE(most_ahead, 8u + 1);      // the window unfinished, and one waiting to enter
}

TEST(ScanOrderedWork, NoThreadsWorksInline) {
  std::vector<int> delivered;
  scan::OrderedWork<int, int, int> work(
      0, 4, [](const int& item, int&) { return item + 1; },
      [&](int&& outcome) { delivered.push_back(outcome); });
  for (int i = 0; i < 10; ++i) work.push(i);
  work.finish();
  EXPECT_EQ(delivered, (std::vector<int>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}));
}

TEST(ScanOrderedWork, TheFirstFailureIsRethrown) {
  std::vector<int> delivered;
  scan::OrderedWork<int, int, int> work(
      2, 4,
      [](const int& item, int&) {
        if (item == 5) throw std::runtime_error("item five");
        return item;
      },
      [&](int&& outcome) { delivered.push_back(outcome); });
  for (int i = 0; i < 20; ++i) work.push(i);
  EXPECT_THROW(
      {
        try {
          work.finish();
        } catch (const std::runtime_error& e) {
          EXPECT_STREQ(e.what(), "item five");
          throw;
        }
      },
      std::runtime_error);
  // Everything before the failure was delivered, nothing from it on.
  EXPECT_EQ(delivered, (std::vector<int>{0, 1, 2, 3, 4}));
}

}  // namespace
}  // namespace devops_monitor
