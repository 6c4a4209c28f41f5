#include "text/entry_words.h"

#include <algorithm>
#include <bit>
#include <cstring>

#include "text/gapped.h"
#include "text/scripts.h"
#include "text/stored.h"
#include "text/tokens.h"
#include "text/utf8.h"

namespace deter::text {

namespace {

// Words shorter than this are never joined to: among short words two
// pieces that happen to spell one are common ("a way", "in to"). Letters
// are counted as a Latin spelling would (the joined view's guard): an
// Indic consonant is two with its inherent vowel, a virama takes one away,
// vowel signs count nothing, so "চোর" (chor) is four and "चाँद" five.
constexpr int kJoinMinLetters = 4;

bool is_continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

int latin_letters(std::string_view word) {
  const auto* p = reinterpret_cast<const unsigned char*>(word.data());
  int n = 0;
  for (std::size_t i = 0; i < word.size();) {
    const Decoded d = decode_valid_utf8(p + i);
    i += d.size;
    const IndicScript script = indic_script(d.cp);
    if (script == IndicScript::none) {
      ++n;
    } else if (is_indic_consonant(d.cp)) {
      n += 2;
    } else if (is_indic_virama(d.cp)) {
      --n;
    } else if (const char32_t offset = d.cp - block_start(script); offset >= 0x05 && offset <= 0x14) {
      ++n;  // an independent vowel
    }
  }
  return n;
}

}  // namespace

void EntryWords::add(std::string_view text, bool open_end) {
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && text[i] == ' ') ++i;
    std::size_t j = i;
    while (j < text.size() && text[j] != ' ') ++j;
    const std::string_view word = text.substr(i, j - i);
    i = j;
    if (word.empty() || word.size() > kJoinMaxBytes) continue;
    if (latin_letters(word) < kJoinMinLetters) continue;
    pending_.push_back(Pending{std::string(word), open_end && j == text.size()});
  }
}

bool EntryWords::has(std::uint64_t hash) const noexcept {
  if (words_.empty()) return false;
  const std::size_t b = hash >> (64 - bits_);
  return std::binary_search(words_.begin() + buckets_[b], words_.begin() + buckets_[b + 1], hash);
}

struct EntryWords::Tables {
  std::vector<std::uint64_t> words;
  std::vector<std::uint32_t> buckets;
  std::vector<std::uint64_t> stems;
  std::vector<std::uint64_t> pieces;  // 8 words more, to begin on a line
  std::vector<std::uint64_t> begins;
};

void EntryWords::finish() {
  auto t = std::make_shared<Tables>();
  std::vector<std::uint64_t>& words_built = t->words;
  std::vector<std::uint64_t>& stems_built = t->stems;
  std::sort(pending_.begin(), pending_.end(), [](const Pending& a, const Pending& b) {
    return a.word != b.word ? a.word < b.word : a.stem < b.stem;
  });
  pending_.erase(std::unique(pending_.begin(), pending_.end(),
                             [](const Pending& a, const Pending& b) {
                               return a.word == b.word && a.stem == b.stem;
                             }),
                 pending_.end());
  std::vector<std::pair<std::uint64_t, std::uint64_t>> keys;  // line, key
  std::vector<std::uint64_t> begins;                           // may_begin's keys
  for (const Pending& p : pending_) {
    const std::string& w = p.word;
    const std::uint64_t whole = token_hash(w.data(), w.size());
    words_built.push_back(whole);
    if (p.stem) stems_built.push_back(whole);
    // Code point boundaries, and the hash of every piece between two.
    std::vector<std::size_t> at;
    for (std::size_t k = 0; k < w.size(); ++k) {
      if (!is_continuation(w[k])) at.push_back(k);
    }
    at.push_back(w.size());
    const std::size_t n = at.size();
    std::vector<std::uint64_t> piece(n * n, 0);  // [i * n + j]: bytes at[i] to at[j]
    for (std::size_t a = 0; a + 1 < n; ++a) {
      for (std::size_t b = a + 1; b < n; ++b) {
        piece[a * n + b] = token_hash(w.data() + at[a], at[b] - at[a]);
      }
    }
    const std::size_t last = n - 1;
    for (std::size_t x = 1; x < last; ++x) {
      begins.push_back(begin_key(piece[x], lead_of(w.data() + at[x])));
      if (p.stem) {
        // A piece that begins the word, and how much of it is left: the
        // query's next token is that much of it and an ending.
        keys.push_back({stem_line(piece[x]), stem_line(piece[x])});
        keys.push_back(
            {stem_line(piece[x]), stem_key(piece[x], w.size() - at[x], lead_of(w.data() + at[x]))});
      }
      const std::uint64_t two = piece_key(piece[x], piece[x * n + last]);
      keys.push_back({two, two});
      for (std::size_t y = x + 1; y < last; ++y) {
        const std::uint64_t first_two = piece_key(piece[x], piece[x * n + y]);
        keys.push_back({first_two, piece_key(first_two, piece[y * n + last])});
      }
    }
  }
  pending_.clear();
  pending_.shrink_to_fit();
  std::sort(words_built.begin(), words_built.end());
  words_built.erase(std::unique(words_built.begin(), words_built.end()), words_built.end());
  std::sort(stems_built.begin(), stems_built.end());
  stems_built.erase(std::unique(stems_built.begin(), stems_built.end()), stems_built.end());
  bits_ = 1;
  while (bits_ < 31 && (std::size_t{1} << bits_) < words_built.size()) ++bits_;
  t->buckets.assign((std::size_t{1} << bits_) + 1, 0);
  std::size_t at = 0;
  for (std::size_t b = 0; b + 1 < t->buckets.size(); ++b) {
    t->buckets[b] = static_cast<std::uint32_t>(at);
    while (at < words_built.size() && (words_built[at] >> (64 - bits_)) == b) ++at;
  }
  t->buckets.back() = static_cast<std::uint32_t>(words_built.size());
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  // About 24 bits per key, two of them set: a pair of tokens that joins
  // into no entry word passes with odds near 1 in 130.
  std::size_t words = 8;
  while (words * 64 < keys.size() * 24) words *= 2;
  t->pieces.assign(words + 8, 0);
  std::uint64_t* pieces = t->pieces.data() + first_line_word(t->pieces.data());
  mask_ = words - 1;
  for (const auto& [line, key] : keys) pieces[word_of(line, key)] |= bits_of(key);
  std::sort(begins.begin(), begins.end());
  begins.erase(std::unique(begins.begin(), begins.end()), begins.end());
  std::size_t begin_words = 1;
  while (begin_words * 64 < begins.size() * 12) begin_words *= 2;
  t->begins.assign(begin_words, 0);
  begins_mask_ = begin_words - 1;
  for (const std::uint64_t key : begins) t->begins[(key >> 12) & begins_mask_] |= bits_of(key);
  words_ = t->words;
  buckets_ = t->buckets;
  stems_ = t->stems;
  pieces_ = std::span<const std::uint64_t>(pieces, words);
  begins_ = t->begins;
  storage_ = std::move(t);
}

void EntryWords::save(std::string& out) const {
  stored::Writer w(out);
  w.u64(bits_);
  w.u64(mask_);
  w.array(words_);
  w.array(buckets_);
  w.array(stems_);
  w.lines(pieces_);
  w.array(begins_);
}

bool EntryWords::load(std::string_view in, std::shared_ptr<const void> keep_alive) {
  *this = EntryWords();
  EntryWords t;
  stored::Reader r(in);
  const std::uint64_t bits = r.u64();
  const std::uint64_t mask = r.u64();
  t.words_ = r.array<std::uint64_t>();
  t.buckets_ = r.array<std::uint32_t>();
  t.stems_ = r.array<std::uint64_t>();
  const std::span<const std::uint64_t> pieces = r.lines<std::uint64_t>();
  t.begins_ = r.array<std::uint64_t>();
  if (!r.done()) return false;
  // may_begin() reads begins_ at a hash's bits under its mask.
  if (t.begins_.empty() || !std::has_single_bit(t.begins_.size())) return false;
  t.begins_mask_ = t.begins_.size() - 1;
  // has() reads buckets_[hash >> (64 - bits_)] and the one after, and
  // words_ between them; maybe() reads a line of eight words at most
  // mask_ on.
  if (bits < 1 || bits > 31) return false;
  t.bits_ = static_cast<unsigned>(bits);
  if (pieces.size() < 8 || mask != pieces.size() - 1 || (pieces.size() & mask) != 0) {
    return false;
  }
  t.pieces_ = pieces;
  t.mask_ = mask;
  if (!t.words_.empty()) {
    if (t.buckets_.size() != (std::size_t{1} << t.bits_) + 1 || t.buckets_.front() != 0 ||
        t.buckets_.back() != t.words_.size()) {
      return false;
    }
    for (std::size_t b = 1; b < t.buckets_.size(); ++b) {
      if (t.buckets_[b] < t.buckets_[b - 1]) return false;
    }
  }
  t.storage_ = std::move(keep_alive);
  *this = std::move(t);
  return true;
}

bool EntryWords::contains_added(const EntryWords& part) const {
  for (const Pending& p : part.pending_) {
    const std::uint64_t h = token_hash(p.word.data(), p.word.size());
    if (!has(h) || (p.stem && !has_stem(h))) return false;
  }
  return true;
}

}  // namespace deter::text
