// Many threads check queries while another keeps loading new list set
// versions and publishing them, the way a search service reloads its lists.
// Every decision must come from one whole version (never a mix of two), a
// decision must stay readable after its version is replaced, and no version
// may outlive its last user. Runs under ThreadSanitizer in scripts/test.sh.
//
// The versions are published through a slot: a mutex-guarded shared_ptr and
// a std::atomic<std::shared_ptr>. A Reloader plugs in as one more slot type:
// it needs current() (the version a check would use now) and publish().
#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "deter/reloader.h"
#include "test_util.h"

using namespace deter;
using deter::testing::header;

namespace {

// Two list sets with different answers for the same probe queries. Version
// n is built from source n % 2 under the file name "vN.list", so the entry
// ids in a decision name the version that made it.
std::string source_text(int kind) {
  if (kind == 0) {
    return header() +
           "forbidden orchard $action=prompt\n"
           "hidden lantern $action=inform\n"
           "*moonthief* $action=allow\n";
  }
  return header() +
         "forbidden orchard $action=block,category=other\n"
         "moonthief\n"
         "lantern & !hidden\n";
}

const std::vector<std::string>& probes() {
  static const std::vector<std::string> queries = {
      "forbidden orchard",
      "the hidden lantern",
      "a lantern alone",
      "themoonthiefclub",
      "forbidden orchard, hidden lantern and moonthief",
      "an ordinary query",
      std::string("forbidden\xFF orchard \0 lantern", 27),
  };
  return queries;
}

std::shared_ptr<const Filter> build_version(int n) {
  Result<Filter> f =
      Filter::from_sources({{"v" + std::to_string(n) + ".list", source_text(n % 2)}});
  if (!f) return nullptr;
  return std::make_shared<const Filter>(std::move(f).value());
}

// What a decision says, with entry ids reduced to "line" so that decisions
// of versions built from the same source compare equal.
struct Signature {
  Action action = Action::allow;
  std::string category;
  std::string message_key;
  std::vector<std::string> lines;
  std::uint32_t flags = 0;
  bool operator==(const Signature&) const = default;
};

// The version number named by a decision's entry ids, or -1 if it has no
// match; -2 if its matches name different versions (a torn decision).
int version_of(const Decision& d) {
  int version = -1;
  for (const Match& m : d.matches) {
    std::string_view id = m.entry_id;  // "v12.list:3"
    int v = std::stoi(std::string(id.substr(1, id.find('.') - 1)));
    if (version != -1 && v != version) return -2;
    version = v;
  }
  return version;
}

Signature signature(const Decision& d) {
  Signature s{d.action, std::string(d.category), std::string(d.message_key), {}, d.flags};
  for (const Match& m : d.matches) {
    std::string_view id = m.entry_id;
    s.lines.emplace_back(id.substr(id.find(':') + 1));
  }
  return s;
}

class MutexSlot {
 public:
  std::shared_ptr<const Filter> current() const {
    std::lock_guard<std::mutex> lock(mu_);
    return filter_;
  }
  Decision check(std::string_view q, const void*& used) const {
    std::shared_ptr<const Filter> f = current();
    used = f->impl().get();
    return f->check(q);
  }
  void publish(std::shared_ptr<const Filter> next) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      filter_.swap(next);
    }
    // The old version (now in `next`) is released outside the lock.
  }

 private:
  mutable std::mutex mu_;
  std::shared_ptr<const Filter> filter_;
};

class AtomicSlot {
 public:
  std::shared_ptr<const Filter> current() const { return filter_.load(); }
  Decision check(std::string_view q, const void*& used) const {
    std::shared_ptr<const Filter> f = current();
    used = f->impl().get();
    return f->check(q);
  }
  void publish(std::shared_ptr<const Filter> next) { filter_.store(std::move(next)); }

 private:
  std::atomic<std::shared_ptr<const Filter>> filter_;
};

// deter::Reloader, checked through its own check(): the version a check
// used is not visible from outside, so only the decision tells it.
class ReloaderSlot {
 public:
  Decision check(std::string_view q, const void*& used) const {
    used = nullptr;
    return reloader_.check(q);
  }
  void publish(std::shared_ptr<const Filter> next) { reloader_.swap(*next); }

 private:
  Reloader reloader_;
};

struct RunResult {
  std::size_t checks = 0;
  std::size_t torn = 0;         // matches from two versions in one decision
  std::size_t wrong = 0;        // a decision that no single version gives
  std::size_t stale_reads = 0;  // a kept decision whose strings changed
  std::set<int> versions_seen;
};

template <class Slot>
RunResult run_readers_and_reloads(Slot& slot, int readers, int reloads,
                                  std::vector<std::weak_ptr<const FilterImpl>>& published) {
  // The expected signature of every probe in each source, single-threaded.
  std::vector<std::vector<Signature>> expected(2);
  for (int kind = 0; kind < 2; ++kind) {
    auto f = build_version(kind);
    REQUIRE(f != nullptr);
    for (const std::string& q : probes()) expected[kind].push_back(signature(f->check(q)));
  }
  // The sources must disagree on the probes, or a mix could go unseen.
  REQUIRE(expected[0] != expected[1]);

  auto first = build_version(0);
  REQUIRE(first != nullptr);
  published.push_back(first->impl());
  slot.publish(std::move(first));

  std::atomic<bool> done{false};
  std::atomic<int> started{0};
  std::mutex result_mu;
  RunResult total;

  auto reader = [&](int seed) {
    RunResult mine;
    Decision kept;  // a decision kept across reloads; must stay readable
    std::string kept_id;
    std::size_t i = static_cast<std::size_t>(seed);
    auto one_check = [&] {
      const std::string& q = probes()[i++ % probes().size()];
      const std::size_t probe = (i - 1) % probes().size();
      const void* used = nullptr;
      Decision d = slot.check(q, used);
      ++mine.checks;
      const int v = version_of(d);
      if (v == -2) {
        ++mine.torn;
      } else if (v >= 0) {
        mine.versions_seen.insert(v);
        if (signature(d) != expected[v % 2][probe]) ++mine.wrong;
        if (used != nullptr && d.keep_alive.get() != used) ++mine.wrong;
      } else if (signature(d) != expected[0][probe] && signature(d) != expected[1][probe]) {
        ++mine.wrong;
      }
      if (!kept_id.empty() && kept.matches.front().entry_id != kept_id) ++mine.stale_reads;
      if (!d.matches.empty() && mine.checks % 64 == 1) {
        kept = std::move(d);
        kept_id = std::string(kept.matches.front().entry_id);
      }
    };
    one_check();
    started.fetch_add(1);
    while (!done.load(std::memory_order_acquire)) one_check();
    for (std::size_t k = 0; k < probes().size(); ++k) one_check();  // the final version
    std::lock_guard<std::mutex> lock(result_mu);
    total.checks += mine.checks;
    total.torn += mine.torn;
    total.wrong += mine.wrong;
    total.stale_reads += mine.stale_reads;
    total.versions_seen.insert(mine.versions_seen.begin(), mine.versions_seen.end());
  };

  std::vector<std::thread> threads;
  for (int t = 0; t < readers; ++t) threads.emplace_back(reader, t * 3);
  while (started.load() < readers) std::this_thread::yield();
  for (int n = 1; n <= reloads; ++n) {
    auto next = build_version(n);
    REQUIRE(next != nullptr);
    published.push_back(next->impl());
    slot.publish(std::move(next));
  }
  done.store(true, std::memory_order_release);
  for (auto& t : threads) t.join();
  return total;
}

template <class Slot>
void check_reload_consistency() {
  constexpr int kReaders = 6;
  constexpr int kReloads = 60;
  std::vector<std::weak_ptr<const FilterImpl>> published;
  RunResult r;
  {
    Slot slot;
    r = run_readers_and_reloads(slot, kReaders, kReloads, published);
    CAPTURE(r.checks, r.versions_seen.size());
    CHECK(r.torn == 0);
    CHECK(r.wrong == 0);
    CHECK(r.stale_reads == 0);
    CHECK(r.checks >= static_cast<std::size_t>(kReaders) * 2 * probes().size());
    // Every reader checked before the first reload and after the last.
    CHECK(r.versions_seen.count(0) == 1);
    CHECK(r.versions_seen.count(kReloads) == 1);

    // Only the version still published is alive; every other was freed
    // once its last check and its last kept decision were done.
    REQUIRE(published.size() == kReloads + 1);
    for (int n = 0; n < kReloads; ++n) {
      CAPTURE(n);
      CHECK(published[n].expired());
    }
    CHECK(!published.back().expired());
  }
  CHECK(published.back().expired());  // and that one with the slot
}

}  // namespace

TEST_CASE("concurrent checks during reloads through a mutex slot", "[concurrency]") {
  check_reload_consistency<MutexSlot>();
}

TEST_CASE("concurrent checks during reloads through an atomic shared_ptr", "[concurrency]") {
#if defined(__SANITIZE_THREAD__) && defined(_GLIBCXX_RELEASE) && _GLIBCXX_RELEASE <= 12
  // GCC 12's std::atomic<std::shared_ptr>::load() releases its internal lock
  // with memory_order_relaxed, so its read of the stored pointer does not
  // happen before the next store() writes it: a data race inside libstdc++
  // (harmless on x86, but a race), which ThreadSanitizer rightly reports.
  // A Reloader built with this library must publish through a mutex (as
  // MutexSlot does) rather than std::atomic<std::shared_ptr>.
  WARN("skipped under ThreadSanitizer: libstdc++ 12's atomic<shared_ptr> races internally");
  return;
#endif
  check_reload_consistency<AtomicSlot>();
}

TEST_CASE("concurrent checks during reloads through deter::Reloader", "[concurrency]") {
  check_reload_consistency<ReloaderSlot>();
}

TEST_CASE("concurrent checks on one filter agree with a single thread", "[concurrency]") {
  const Filter f = testing::filter_from(source_text(1));
  std::vector<Signature> expected;
  for (const std::string& q : probes()) expected.push_back(signature(f.check(q)));
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&, t] {
      std::vector<std::string_view> batch(probes().begin(), probes().end());
      std::vector<Decision> out;
      for (int round = 0; round < 300; ++round) {
        if (t % 2 == 0) {
          f.check_batch(batch, out);
          for (std::size_t k = 0; k < out.size(); ++k) wrong += signature(out[k]) != expected[k];
        } else {
          const std::size_t k = static_cast<std::size_t>(round) % probes().size();
          wrong += signature(f.check(probes()[k])) != expected[k];
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  CHECK(wrong == 0);
}

TEST_CASE("filters are built on many threads at once", "[concurrency]") {
  // Loading runs beside checking in a service, and tools load in parallel.
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int n = 0; n < 10; ++n) {
        auto f = build_version(t * 10 + n);
        if (!f || f->check("forbidden orchard").action < Action::prompt) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  CHECK(failures == 0);
}
