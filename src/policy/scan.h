// The first two stages of check() (policy/check.cc):
//   scan     the query -> its views, one scan text -> hits (atom, offsets);
//   resolve  hits -> occurrences of entries in original query bytes
//            (sections, which view counts where, offset maps);
// then decide (policy/decide.h) makes the Decision from the occurrences.
#ifndef DETER_POLICY_SCAN_H_
#define DETER_POLICY_SCAN_H_

#include <cstdint>
#include <vector>

#include "filter_impl.h"
#include "policy/decide.h"
#include "text/views.h"

namespace deter::policy {

// One report of the matcher: atom `atom` ends at `to` in the scan text
// (`from` is exact for regexes only).
struct Hit {
  std::uint32_t atom;
  std::size_t from;
  std::size_t to;
};

// Occurrences kept per atom (one pattern of one entry in one view) once a
// query has produced kCountFrom hits: the first kKeptPerAtom reported.
// Bounding per atom, not in total, is what keeps padding from hiding
// anything: `qq qq ... hidden lantern` cannot push the lantern out, however
// many times an exception or a low-action entry repeats, and every part of
// a rule keeps its own hits. What is left out is only ever more occurrences
// of something already kept, and decide treats the entries concerned so
// that the answer is never lower than with every occurrence kept
// (decide.cc). Memory is bounded by the atoms hit, not by how often they
// repeat, and so is time: the matcher is told to skip a full atom's token
// literals rather than compare their bytes again (skip()).
inline constexpr std::size_t kKeptPerAtom = 16;
inline constexpr std::size_t kCountFrom = 1024;

// The hits of one scan. Below kCountFrom hits it keeps them all, so a
// query that repeats nothing much is decided on every occurrence, and
// appending is all a hit costs. From then on it counts per atom (a small
// hash table of the atoms hit), so that a hostile list and query that
// report hundreds of thousands of hits cost a lookup each.
class HitBuffer {
 public:
  HitBuffer() { hits_.reserve(64); }
  void clear() {
    hits_.clear();
    capped_.clear();
    if (counting_) stop_counting();
  }
  void add(const Hit& h) {
    if (counting_) return count(h);
    hits_.push_back(h);
    if (hits_.size() == kCountFrom) start_counting();
  }
  // Whether atom `atom` has all the hits it keeps: then its next hit would
  // be left out, and is counted as such without being added. The token
  // index asks before comparing a candidate's bytes, so a candidate that
  // would not have matched (a hash collision) may flag a cap that did not
  // happen; that errs only toward the higher action (decide.cc).
  bool skip(std::uint32_t atom) {
    if (!counting_) return false;
    Slot* s = find(atom);
    if (s == nullptr || s->kept < kKeptPerAtom) return false;
    if (s->kept == kKeptPerAtom) {
      ++s->kept;
      capped_.push_back(atom);
    }
    return true;
  }
  bool empty() const { return hits_.empty(); }
  // In the order decisions are made in: by where they end, then by atom.
  const std::vector<Hit>& hits() const { return hits_; }
  void sort_by_end();
  // Atoms that lost hits, each once.
  const std::vector<std::uint32_t>& capped_atoms() const { return capped_; }

 private:
  // An atom hit since counting started: key atom + 1 (0: a free slot), and
  // its hits seen, kept or not (up to kKeptPerAtom + 1).
  struct Slot {
    std::uint32_t key = 0;
    std::uint32_t kept = 0;
  };
  Slot* find(std::uint32_t atom);
  std::size_t home(std::uint32_t atom) const {
    return (atom * std::uint64_t{0x9E3779B97F4A7C15}) >> 32 & (slots_.size() - 1);
  }
  void start_counting();
  void stop_counting();
  void count(const Hit& h);
  Slot& slot(std::uint32_t atom);

  std::vector<Hit> hits_;
  std::vector<std::uint32_t> capped_;
  bool counting_ = false;
  std::vector<Slot> slots_;  // a power of two in size, at most half full
  std::size_t used_ = 0;
};

// Per-thread buffers of the three stages, reused across calls so the
// no-match path never allocates once they are warm.
struct Scratch {
  text::QueryViews views;
  HitBuffer hits;
  Evidence evidence;
  std::string word;  // resolve's: a query word's base form
};

// Whether a hit of atom `a` (of entry `e`) in section `sec` of a query
// whose views `present` have sections counts; check_partial asks the same
// of the literals a query's end begins.
bool counts(const Atom& a, const rules::EntryRef& e, const text::Section& sec, ViewSet present);
// Whether a hit of squeeze atom `a` (the entry with repeated letters written
// once) counts in section `sec`, which applied no squeeze, given the bytes
// it matched there (`matched`): see scan.cc.
bool counts_squeezed(const Atom& a, const rules::EntryRef& e, const text::Section& sec,
                     std::string_view matched);

// Stage 1. Cuts the query to max_query_bytes, builds its views and scans
// them, filling s.hits (sorted by end). Sets kFlagTruncated and
// kFlagInvalidUtf8 in `flags`. Returns false only when the matcher failed.
bool scan(const FilterImpl& filter, std::string_view query, Scratch& s, std::uint32_t& flags);

// Stage 2. Turns s.hits into s.evidence: each hit that counts in its
// section (counts() in scan.cc) becomes an occurrence with its span in the
// original query; capped atoms become capped entries.
void resolve(const FilterImpl& filter, Scratch& s);

}  // namespace deter::policy

#endif  // DETER_POLICY_SCAN_H_
