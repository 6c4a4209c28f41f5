#include "text/entry_words.h"

#include <algorithm>

#include "text/scripts.h"
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
    const bool stem = open_end && j == text.size();
    words_.push_back(token_hash(word.data(), word.size()));
    if (stem) stems_.push_back(words_.back());
    for (std::size_t k = 1; k < word.size(); ++k) {
      if (is_continuation(word[k])) continue;
      pending_prefixes_.push_back(token_hash(word.data(), k));
      if (stem) pending_stem_prefixes_.push_back(pending_prefixes_.back());
    }
  }
}

bool EntryWords::has(std::uint64_t hash) const noexcept {
  if (words_.empty()) return false;
  const std::size_t b = hash >> (64 - bits_);
  return std::binary_search(words_.begin() + buckets_[b], words_.begin() + buckets_[b + 1], hash);
}

void EntryWords::finish() {
  std::sort(words_.begin(), words_.end());
  words_.erase(std::unique(words_.begin(), words_.end()), words_.end());
  bits_ = 1;
  while (bits_ < 31 && (std::size_t{1} << bits_) < words_.size()) ++bits_;
  buckets_.assign((std::size_t{1} << bits_) + 1, 0);
  std::size_t at = 0;
  for (std::size_t b = 0; b + 1 < buckets_.size(); ++b) {
    buckets_[b] = static_cast<std::uint32_t>(at);
    while (at < words_.size() && (words_[at] >> (64 - bits_)) == b) ++at;
  }
  buckets_.back() = static_cast<std::uint32_t>(words_.size());
  std::sort(stems_.begin(), stems_.end());
  stems_.erase(std::unique(stems_.begin(), stems_.end()), stems_.end());
  fill_filter(pending_stem_prefixes_, stem_prefixes_, stem_mask_);
  fill_filter(pending_prefixes_, prefixes_, mask_);
}

void EntryWords::fill_filter(std::vector<std::uint64_t>& hashes, std::vector<std::uint64_t>& filter,
                             std::uint64_t& mask) {
  std::sort(hashes.begin(), hashes.end());
  hashes.erase(std::unique(hashes.begin(), hashes.end()), hashes.end());
  filter.clear();
  mask = 0;
  if (hashes.empty()) return;
  // About 32 bits per prefix, two of them set: a token that begins no
  // entry word passes with odds near 1 in 250.
  std::size_t n = 16;
  while (n * 64 < hashes.size() * 32) n *= 2;
  mask = n - 1;
  filter.assign(n, 0);
  for (std::uint64_t h : hashes) filter[(h >> 12) & mask] |= bits_of(h);
  hashes.clear();
  hashes.shrink_to_fit();
}

}  // namespace deter::text
