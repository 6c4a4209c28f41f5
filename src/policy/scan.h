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
// query has produced kCompactAt hits: the kKeptPerAtom - 1 that end first
// and the one that ends last. Bounding per atom, not in total, is what
// keeps padding from hiding anything: `qq qq ... hidden lantern` cannot
// push the lantern out, however many times an exception or a low-action
// entry repeats, and every part of a rule keeps its own hits. What is left
// out is only ever more occurrences of something already kept, and decide
// treats the entries concerned so that the answer is never lower than with
// every occurrence kept (decide.cc). Memory is bounded by the atoms hit,
// not by how often they repeat.
inline constexpr std::size_t kKeptPerAtom = 16;
inline constexpr std::size_t kCompactAt = 1024;

// The hits of one scan. Below kCompactAt hits it keeps them all, so a
// query that repeats nothing much is decided on every occurrence; at each
// multiple it compacts to kKeptPerAtom per atom and notes which atoms lost
// hits. Appending is all the no-match path does.
class HitBuffer {
 public:
  HitBuffer() { hits_.reserve(64); }
  void clear() {
    hits_.clear();
    capped_.clear();
    limit_ = kCompactAt;
  }
  void add(const Hit& h) {
    hits_.push_back(h);
    if (hits_.size() >= limit_) compact();
  }
  bool empty() const { return hits_.empty(); }
  // In the order decisions are made in: by where they end, then by atom.
  const std::vector<Hit>& hits() const { return hits_; }
  void sort_by_end();
  // Atoms that lost hits (repeats possible).
  const std::vector<std::uint32_t>& capped_atoms() const { return capped_; }

 private:
  void compact();
  std::vector<Hit> hits_;
  std::vector<std::uint32_t> capped_;
  std::size_t limit_ = kCompactAt;
};

// Per-thread buffers of the three stages, reused across calls so the
// no-match path never allocates once they are warm.
struct Scratch {
  text::QueryViews views;
  HitBuffer hits;
  Evidence evidence;
};

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
