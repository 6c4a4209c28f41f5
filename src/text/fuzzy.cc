#include "text/fuzzy.h"

#include <algorithm>
#include <array>

#include "text/tokens.h"
#include "text/utf8.h"

namespace deter::text {

// The generated dictionary (build/<preset>/generated/dictionary.cc, made by
// deter_dictgen from the Debian word lists): sorted token_hash values, and
// where each bucket of them (by the top bits) begins, 2^bits + 1 of them.
extern const std::uint64_t kDictionaryHashes[];
extern const std::size_t kDictionaryCount;
extern const std::uint32_t kDictionaryBuckets[];

namespace {

// A polynomial hash over code points: the hash of a word with one letter
// left out comes from the hashes of its prefix and suffix in two
// operations, so a token's n deletions cost n multiply-adds, not n passes.
// Collisions cost a comparison, never a wrong correction.
constexpr std::uint64_t kBase = 0x100000001B3ull;

// kPowers[k] = kBase^k, for every k a token's deletions need.
constexpr auto kPowers = [] {
  std::array<std::uint64_t, kFuzzyMaxLetters + 2> p{};
  p[0] = 1;
  for (std::size_t k = 1; k < p.size(); ++k) p[k] = p[k - 1] * kBase;
  return p;
}();

// One multiply spreads the polynomial's low-order structure into the top
// bits, which the filter reads (an odd multiplier: no two keys merge).
std::uint64_t mix(std::uint64_t x) {
  x *= 0x9E3779B97F4A7C15ull;
  return x ^ x >> 29;
}

std::uint64_t poly(const char32_t* c, std::size_t n, std::size_t skip) {
  std::uint64_t h = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (i != skip) h = h * kBase + c[i];
  }
  return h;
}

// Whether a and b are exactly one edit apart (Damerau: one deletion,
// insertion, substitution or transposition of neighbours).
bool one_edit(const char32_t* a, std::size_t na, const char32_t* b, std::size_t nb) {
  if (na < nb) return one_edit(b, nb, a, na);
  if (na - nb > 1) return false;
  std::size_t i = 0;
  while (i < nb && a[i] == b[i]) ++i;
  if (na == nb) {
    if (i == na) return false;                                  // equal
    if (std::equal(a + i + 1, a + na, b + i + 1)) return true;  // substitution
    return i + 1 < na && a[i] == b[i + 1] && a[i + 1] == b[i] &&
           std::equal(a + i + 2, a + na, b + i + 2);  // transposition
  }
  return std::equal(a + i + 1, a + na, b + i);  // a has one letter more
}

// Decodes a base-form token into at most `cap` code points; false if it
// has more, or an ASCII digit (numbers and leet spellings are not words).
bool letters_of(std::string_view s, char32_t* out, std::size_t cap, std::size_t& n) {
  n = 0;
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* end = p + s.size();
  if (s.size() <= cap) {
    // ASCII letters, the common case: a byte is a letter.
    unsigned high = 0;
    unsigned digit = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
      high |= p[i] & 0x80u;
      digit |= static_cast<unsigned>(p[i] - '0') < 10u;
      out[i] = p[i];
    }
    if (high == 0) {
      n = s.size();
      return digit == 0;
    }
  }
  while (p < end) {
    if (n == cap) return false;
    const Decoded d = decode_valid_utf8(p);
    if (d.cp >= '0' && d.cp <= '9') return false;
    out[n++] = d.cp;
    p += d.size;
  }
  return true;
}

// Where each bucket of `sorted` (by the top `bits` of hash(item), about
// one bucket per item) begins, and one past the last.
template <class T, class Hash>
std::vector<std::uint32_t> buckets_of(const std::vector<T>& sorted, Hash hash, unsigned& bits) {
  bits = 1;
  while (bits < 31 && (std::size_t{1} << bits) < sorted.size()) ++bits;
  std::vector<std::uint32_t> out((std::size_t{1} << bits) + 1, 0);
  std::size_t at = 0;
  for (std::size_t b = 0; b + 1 < out.size(); ++b) {
    out[b] = static_cast<std::uint32_t>(at);
    while (at < sorted.size() && (hash(sorted[at]) >> (64 - bits)) == b) ++at;
  }
  out.back() = static_cast<std::uint32_t>(sorted.size());
  return out;
}

}  // namespace

bool is_dictionary_hash(std::uint64_t hash) noexcept {
  if (kDictionaryCount == 0) return false;
  const std::size_t bucket = hash >> (64 - kDictionaryBucketBits);
  const std::uint64_t* p = kDictionaryHashes + kDictionaryBuckets[bucket];
  const std::uint64_t* end = kDictionaryHashes + kDictionaryBuckets[bucket + 1];
  for (; p < end; ++p) {
    if (*p >= hash) return *p == hash;
  }
  return false;
}

bool is_dictionary_word(std::string_view word) noexcept {
  return is_dictionary_hash(token_hash(word.data(), word.size()));
}

std::size_t dictionary_size() noexcept { return kDictionaryCount; }

bool FuzzyIndex::is_word_hash(std::uint64_t hash) const noexcept {
  if (exact_.empty()) return false;
  const std::size_t b = hash >> (64 - exact_bits_);
  return std::binary_search(exact_.begin() + exact_buckets_[b],
                            exact_.begin() + exact_buckets_[b + 1], hash);
}

void FuzzyIndex::add(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && text[i] == ' ') ++i;
    std::size_t j = i;
    while (j < text.size() && text[j] != ' ') ++j;
    if (j > i) {
      std::array<char32_t, kFuzzyMaxLetters> c;
      std::size_t n = 0;
      if (letters_of(text.substr(i, j - i), c.data(), c.size(), n)) {
        exact_.push_back(token_hash(text.data() + i, j - i));
        if (n >= min_letters_) words_.emplace_back(text.substr(i, j - i));
      }
    }
    i = j;
  }
}

void FuzzyIndex::finish() {
  std::sort(words_.begin(), words_.end());
  words_.erase(std::unique(words_.begin(), words_.end()), words_.end());
  std::sort(exact_.begin(), exact_.end());
  exact_.erase(std::unique(exact_.begin(), exact_.end()), exact_.end());
  exact_buckets_ = buckets_of(exact_, [](std::uint64_t h) { return h; }, exact_bits_);
  letters_.clear();
  keys_.clear();
  for (std::uint32_t w = 0; w < words_.size(); ++w) {
    std::array<char32_t, kFuzzyMaxLetters> c;
    std::size_t n = 0;
    letters_of(words_[w], c.data(), c.size(), n);
    letters_.emplace_back(c.data(), n);
    keys_.push_back(Key{mix(poly(c.data(), n, n)), w});
    for (std::size_t k = 0; k < n; ++k) {
      // A doubled letter gives the same deletion twice: keep one key.
      if (k > 0 && c[k] == c[k - 1]) continue;
      keys_.push_back(Key{mix(poly(c.data(), n, k)), w});
    }
  }
  std::sort(keys_.begin(), keys_.end(), [](const Key& a, const Key& b) {
    return a.hash != b.hash ? a.hash < b.hash : a.word < b.word;
  });
  keys_.erase(
      std::unique(keys_.begin(), keys_.end(),
                  [](const Key& a, const Key& b) { return a.hash == b.hash && a.word == b.word; }),
      keys_.end());
  key_buckets_ = buckets_of(keys_, [](const Key& k) { return k.hash; }, key_bits_);
  // About 32 bits per key, two of them set: a token's deletions that begin
  // no entry word's key pass with odds near 1 in 250.
  std::size_t words = 16;
  while (words * 64 < keys_.size() * 32) words *= 2;
  mask_ = words - 1;
  bloom_.assign(words, 0);
  for (const Key& k : keys_) bloom_[(k.hash >> 12) & mask_] |= bits_of(k.hash);
}

std::string_view FuzzyIndex::correct(std::string_view token) const noexcept {
  return correct(token, token, token_hash(token.data(), token.size()));
}

std::string_view FuzzyIndex::correct(std::string_view token, std::string_view guard,
                                     std::uint64_t guard_hash) const noexcept {
  // Five bytes is the shortest a token one letter short of a six-letter
  // word can be; most tokens stop here. The word a key spells is held to
  // the same length as a word.
  if (token.size() + 1 < min_letters_ || guard.size() + 1 < kFuzzyMinLetters || words_.empty()) {
    return {};
  }
  // The benign-word guard first: most long words of a query are ordinary
  // words, and asking costs a bucket lookup by the hash the views recorded.
  if (is_dictionary_hash(guard_hash)) return {};
  return near(token, guard);
}

std::string_view FuzzyIndex::near(std::string_view token, std::string_view guard) const noexcept {
  std::string_view out;
  return near_all(token, guard, &out, 1) == 0 ? std::string_view() : out;
}

std::size_t FuzzyIndex::near_all(std::string_view token, std::string_view guard,
                                 std::string_view* out, std::size_t cap) const noexcept {
  if (token.size() + 1 < min_letters_ || guard.size() + 1 < kFuzzyMinLetters || words_.empty()) {
    return 0;
  }
  std::array<char32_t, kFuzzyMaxLetters + 1> c;
  std::size_t n = 0;
  if (!letters_of(token, c.data(), c.size(), n) || n + 1 < min_letters_) return 0;
  if (guard.data() != token.data()) {
    // A key spells a word: that word, as typed, needs five letters too
    // (बटन is three, and its key "batan" is one edit from "bagan").
    std::size_t letters = 0;
    for (char b : guard) letters += (static_cast<unsigned char>(b) & 0xC0) != 0x80;
    if (letters + 1 < kFuzzyMinLetters) return 0;
  }
  // prefix[i]: hash of c[0, i). The hash of c without c[k] is
  // prefix[k] * kBase^(n-1-k) + hash(c[k+1, n)), and the second term is
  // prefix[n] - prefix[k+1] * kBase^(n-1-k): one multiply per deletion.
  std::array<std::uint64_t, kFuzzyMaxLetters + 2> prefix;
  prefix[0] = 0;
  for (std::size_t i = 0; i < n; ++i) {
    prefix[i + 1] = prefix[i] * kBase + c[i];
  }
  // Keys to look up: the token itself (an entry word, or a deletion of
  // one), then each deletion of the token.
  std::array<std::uint64_t, kFuzzyMaxLetters + 2> want;
  std::size_t wanted = 0;
  const std::uint64_t whole = mix(prefix[n]);
  if (maybe(whole)) want[wanted++] = whole;
  for (std::size_t k = 0; k < n; ++k) {
    if (k > 0 && c[k] == c[k - 1]) continue;
    const std::uint64_t h = mix(prefix[n] + kPowers[n - 1 - k] * (prefix[k] - prefix[k + 1]));
    if (maybe(h)) want[wanted++] = h;
  }
  if (wanted == 0) return 0;
  // The candidates found, the first `cap` by word index, ascending.
  std::array<std::uint32_t, kFuzzyMaxCandidates> best;
  std::size_t found = 0;
  if (cap > best.size()) cap = best.size();
  if (cap == 0) return 0;
  // Hostile lists can make many words share a hash; a bounded number of
  // comparisons keeps a token's cost bounded whatever the list.
  int budget = 64;
  for (std::size_t k = 0; k < wanted && budget > 0; ++k) {
    // A binary search in the bucket: a list made to crowd one bucket
    // costs its logarithm, not its size.
    const std::size_t b = want[k] >> (64 - key_bits_);
    const auto end = keys_.begin() + key_buckets_[b + 1];
    auto it = std::lower_bound(keys_.begin() + key_buckets_[b], end, want[k],
                               [](const Key& a, std::uint64_t h) { return a.hash < h; });
    for (; it != end && it->hash == want[k] && budget > 0; ++it, --budget) {
      const std::u32string& w = letters_[it->word];
      if (w.size() == n && std::equal(w.begin(), w.end(), c.begin())) return 0;  // an entry word
      if (found == cap && it->word >= best[found - 1]) continue;
      if (std::find(best.begin(), best.begin() + found, it->word) != best.begin() + found) continue;
      if (!one_edit(w.data(), w.size(), c.data(), n)) continue;
      std::size_t at = found < cap ? found++ : found - 1;
      for (; at > 0 && best[at - 1] > it->word; --at) best[at] = best[at - 1];
      best[at] = it->word;
    }
  }
  if (found == 0) return 0;
  // An entry word too short to be indexed ("kat", the key of "kathaa") is
  // still a word of the entry: it reads as itself.
  if (is_word_hash(token_hash(token.data(), token.size()))) return 0;
  for (std::size_t k = 0; k < found; ++k) out[k] = words_[best[k]];
  return found;
}

}  // namespace deter::text
