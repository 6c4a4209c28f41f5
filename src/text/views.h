// The obfuscation views (docs/DESIGN.md §4): each is one more normalization of the
// base form, applied identically to list entries (at compile time) and to
// queries (at check time), so that an obfuscated query and a plain entry
// meet in the same text.
#ifndef DETER_TEXT_VIEWS_H_
#define DETER_TEXT_VIEWS_H_

#include <array>
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>

#include "deter/types.h"
#include "text/entry_words.h"
#include "text/normalize.h"
#include "text/scripts.h"
#include "text/tokens.h"

namespace deter::text {

// The combining marks (general category M) of U+0900-U+0DFF, the Indic
// blocks: bit c % 64 of word c / 64 for kIndicFirst (U+0900) + c. A constant
// taken from ICU 72 (Unicode 15); tests/views_test.cc holds it to the ICU in use.
inline constexpr char32_t kIndicCount = 0x0500;
extern const std::array<std::uint64_t, kIndicCount / 64> kIndicMarks;

// Writes view `view` of `source` (a base form; for the leet view, the base
// form made with keep_leet_symbols) to `out`, space padded like the base
// form. Returns true when it differs from `source`. When `map` is given it
// receives, per output byte, the byte span of `source` it came from.
//
//   leet       inside tokens holding an ASCII letter, 0→o 1→i 3→e 4→a 5→s
//              7→t 8→b 9→g, '$'→s, '@'→a after the token's first
//              character, '|'→l before its last letter or digit, and '!'→i
//              between two of them ("h!dden", but "orchard!" and "!x" are
//              punctuation); other symbols separate. "455" stays "455".
//   squeeze    a letter repeated in a row is written once ("ooorchard").
//   spaced     runs of three or more one-character tokens join ("o r c h"),
//              and two Devanagari, Bengali or Kannada characters ("न क्शा")
//              unless both are common one-character words ("की है"); on the
//              query side, two or three tokens that spell an entry word join
//              too ("or chard", "लाल टेन"; QueryViews::build).
//   joined     the spaces between tokens go when the text has at least two
//              tokens and eight letters ("forbiddenorchard"), counted as a
//              Latin spelling would: a Devanagari, Bengali or Kannada
//              consonant counts two (its inherent vowel), a virama takes one
//              away, vowel signs count nothing ("वर्जितबगीचा", "চাঁদচোর").
//              This is the entries' side only: a query's joined view is its
//              base form.
//   homoglyph  in a token mixing ASCII letters with Cyrillic or Greek
//              letters, all of which look like Latin ones, those become
//              Latin ("оrсhаrd" with Cyrillic о, с, а).
//   phonetic   each token with a phonetic key (see phonetic.h) is replaced
//              by it: "varjeet" and "वर्जित" both read "varjit".
bool apply_view(View view, std::string_view source, std::string& out, OffsetMap* map = nullptr);

// Whether the squeeze view leaves the tokens of space-padded `text` as they
// are: no letter of theirs is written twice in a row.
bool squeeze_keeps(std::string_view text);

// The form of an entry's text in `view`: the base form (with leet symbols
// kept for the leet view), then the view. Equal to normalize_base(text) for
// View::base.
std::string entry_view(View view, std::string_view text);

// One view's part of the scan text. A composed section applies folds in
// turn (kFoldOrder, then phonetic): `folds` holds them all, and `view` is
// the last; a view's own section has folds == {view}.
struct Section {
  View view = View::base;
  std::uint32_t begin = 0;  // offsets in scan_text()
  std::uint32_t end = 0;
  ViewSet folds = ViewSet::only(View::base);
  bool composed = false;
};

// The order in which a composed section applies the folds it uses, before
// the phonetic key, which is always last: joining a spaced-out word first
// gives the others whole tokens ("v 4 r j"), look-alikes become Latin
// before the leet view looks for letters, and repeats are squeezed after
// leet made letters of digits ("f0000rbidden").
inline constexpr std::array<View, 4> kFoldOrder = {View::spaced, View::homoglyph, View::leet,
                                                    View::squeeze};

// Which views a base form may differ in (views.cc).
struct Hints;
class FuzzyIndex;

// All views of one query, concatenated into one text for a single scan:
// the base form, then "\n" and each enabled view that differs from it
// (no literal contains '\n', so a hit never straddles two sections), then
// the composed sections: when two folds apply to the query, or one and the
// phonetic key, they are applied in turn (views.cc, add_composed).
// Reuses its buffers: building allocates nothing once they are warm. Offset
// maps are built only on request, when something matched.
class QueryViews {
 public:
  QueryViews();
  // Builds the scan text of `query` for `views`. Returns NormalizeFlag bits.
  // The fuzzy section is written only with an index of entry words
  // (`fuzzy`, which must outlive the use of this build's sections): the
  // base form with each near-miss token replaced by the entry word it is
  // one edit from (text/fuzzy.h).
  // `fuzzy_keys`, an index of the entries' phonetic keys, corrects the
  // query's keys the same way, in a second part of the section after a
  // '\n' (romanized Hindi, Bengali and Kannada typed with a typo).
  // `words`, the entries' words, lets the spaced section join two or three
  // adjacent tokens that spell one of them ("forb.idden", "or chard").
  std::uint32_t build(std::string_view query, ViewSet views, const FuzzyIndex* fuzzy = nullptr,
                      const FuzzyIndex* fuzzy_keys = nullptr, const EntryWords* words = nullptr);

  std::string_view scan_text() const { return scan_; }
  std::string_view base() const { return std::string_view(scan_).substr(0, base_size_); }
  // The query build() read (cut to max_query_bytes by the caller), which
  // original_span's offsets are in.
  std::string_view query() const { return query_; }
  std::size_t section_count() const { return count_; }
  const Section& section(std::size_t i) const { return sections_[i]; }
  std::string_view section_text(std::size_t i) const {
    return std::string_view(scan_).substr(sections_[i].begin,
                                          sections_[i].end - sections_[i].begin);
  }
  // The section holding scan-text bytes [begin, end), or -1 if none does.
  int section_of(std::size_t begin, std::size_t end) const;
  // The views that have a section of their own.
  ViewSet present() const { return present_; }
  // The tokens of scan_text(), in order.
  std::vector<Token>& tokens() { return tokens_; }

  // The byte span of the original query that section-local bytes [begin,
  // end) of section `s` came from, on UTF-8 character boundaries. Builds the
  // offset maps on first use after build().
  std::pair<std::size_t, std::size_t> original_span(std::size_t s, std::size_t begin,
                                                    std::size_t end);

 private:
  bool build_ascii(std::string_view query, ViewSet views);
  void add_views(std::string_view base, ViewSet views, const Hints& hints,
                 std::uint64_t letters_only, bool ascii);
  // Write their section after scan_[0, begin) and return true, or return
  // false and leave scan_ as it was when it equals `base`.
  bool write_squeeze(std::string_view base, std::size_t base_tokens, std::size_t begin, bool ascii);
  bool write_phonetic(std::string_view base, std::size_t base_tokens, std::size_t begin,
                      std::uint64_t letters_only);
  std::uint64_t native_key(const Token& bt, const char* token, char* out, std::size_t& n);
  bool write_fuzzy(std::string_view base, std::size_t base_tokens, std::size_t begin);
  // The corrections of a query word (or its key) write_fuzzy and the typo
  // sections write, kFuzzyMaxCandidates at most.
  std::size_t candidates(const FuzzyIndex& index, bool key, std::string_view word,
                         std::string_view typed, std::string_view* out);
  // The spaced section: base tokens that spell an entry word joined
  // (joins_), then runs of one-character tokens (`runs`: the hints saw one).
  bool write_spaced(std::string_view base, std::size_t base_tokens, std::size_t begin, bool runs);
  // `skip_any`: with `skip_words`, a piece that is an entry word keeps
  // the join apart (a composed section's second line), not only all of them.
  void find_joins(std::string_view text, const Token* tokens, std::size_t n, bool skip_words,
                  std::vector<TokenJoin>& out, bool skip_any = false) const;
  void spaced_map(OffsetMap& map);
  // The map of `lines` lines of base-token-aligned words, from tokens_[first].
  void fuzzy_map(OffsetMap& map, std::size_t first, std::size_t lines) const;
  // The typo sections of folded tokens (views.cc): a word (part 0) or key
  // (part 1) line that a fold and a correction wrote together.
  void add_fuzzy_folded(std::size_t base_tokens, ViewSet views);
  struct FoldedFix {
    std::uint32_t token;    // base token index
    bool key;               // of the keys line
    bool typo;              // a correction, not the folded word itself
    ViewSet folds;          // the folds that made it
    std::string_view word;  // into the FuzzyIndex or fixed_words_
    std::uint8_t rank = 0;  // of the token's candidates (FuzzyIndex::near_all)
  };
  std::vector<FoldedFix> folded_fixes_;
  // The tokens of this query that add_fuzzy_folded folded and looked up,
  // by hash: where in folded_fixes_ their fixes lie (none, often). A token
  // repeated in a query is folded and looked up once. A slot of an earlier
  // query (another `query`) is empty.
  struct FoldedSeen {
    std::uint64_t query = 0;
    std::uint64_t hash = 0;
    std::uint32_t token = 0;  // the base token folded
    std::uint32_t first = 0;
    std::uint32_t count = 0;
  };
  std::array<FoldedSeen, 64> folded_seen_{};
  std::uint64_t folded_query_ = 0;  // add_fuzzy_folded calls that fold
  // add_fuzzy_folded's index in folded_fixes_ of each base token's fix, at
  // 2 * token + key, or -1: scanning folded_fixes_ for each token was
  // quadratic in a long query's tokens (so was corrections_: correction_at_).
  std::vector<std::int32_t> fix_at_;
  std::array<int, 2> folded_section_{-1, -1};  // of the words, of the keys
  std::array<std::size_t, 2> folded_first_{};  // their first token
  std::array<std::size_t, 2> folded_lines_{};  // their lines, one a candidate rank
  std::array<OffsetMap, 2> folded_maps_;
  // The typo sections of the spaced section's joined words (views.cc):
  // their maps go to the spaced section's text.
  void add_fuzzy_spaced(std::size_t first, std::size_t end);
  std::array<int, 2> spaced_fix_section_{-1, -1};
  int spaced_fix_source_ = -1;
  std::array<OffsetMap, 2> spaced_fix_maps_;
  std::string spaced_fix_text_;
  int spaced_fix_part(std::size_t s) const {
    return static_cast<int>(s) == spaced_fix_section_[0]   ? 0
           : static_cast<int>(s) == spaced_fix_section_[1] ? 1
                                                            : -1;
  }
  int folded_part(std::size_t s) const {
    return static_cast<int>(s) == folded_section_[0] ? 0 : static_cast<int>(s) == folded_section_[1] ? 1 : -1;
  }
  std::array<std::string, 9> fold_variants_;  // add_fuzzy_folded's, 3 + 2 * kFoldedRuns
  std::array<std::pair<std::size_t, std::size_t>, kViewCount> view_tokens_{};  // of own sections
  std::string fold_text_;
  std::string fold_out_;
  std::string fold_key_;
  // The section view `v` wrote alone, or -1.
  int own_section(View v) const;
  void map_section(std::size_t s);

  // A token of the base form that the fuzzy section corrects, and to what.
  struct Correction {
    std::uint32_t token;    // base token index
    std::string_view word;  // into the FuzzyIndex
    bool key = false;       // in the keys part
    std::uint8_t rank = 0;  // 0: the first of the word's candidates
  };
  // The fuzzy section's lines: each is the words (or keys) of the query,
  // with the corrections of one rank (and, where a word has fewer, its
  // first correction).
  static constexpr std::size_t kFuzzyLineRanks = 3;  // text::kFuzzyMaxCandidates
  struct FuzzyLine {
    bool key;
    std::uint8_t rank;
  };
  std::array<FuzzyLine, 2 * kFuzzyLineRanks> fuzzy_lines_{};
  // Which ranks of candidates some word (part 0) or key (part 1) has.
  using FuzzyRanks = std::array<std::array<bool, kFuzzyLineRanks>, 2>;
  void correct_token(std::size_t t, std::string_view word, FuzzyRanks& ranks, std::size_t& grow);
  std::size_t fuzzy_line_count_ = 0;
  // Where the fuzzy section's tokens begin: composed sections' tokens
  // follow them.
  std::size_t fuzzy_first_ = 0;
  void add_composed(std::string_view base, ViewSet views, const Hints& hints);
  // Whether the own section of a fold in `folds` holds a broken entry word.
  bool folds_break_word(ViewSet folds);
  // Writes the chain of composed section `c` of `source` to `out` (offset
  // maps of each step in compose_maps_[c] when `maps`); returns the folds
  // that changed the text.
  ViewSet write_chain(std::size_t c, std::string_view source, std::string& out, bool maps);

  // How a composed section was written, to write it again with maps.
  struct Chain {
    ViewSet folds;          // the folds to try, in kFoldOrder
    bool phonetic = false;  // then the phonetic key
    bool pairs = false;     // squeeze runs of three or more letters to two, not one
    bool final_bang = false;  // leet reads a token's final '!' as i
    bool keep_ee = false;     // squeeze runs of three or more to one letter, "e" to two
    bool one_as_l = false;    // leet reads '1' as l
    bool join_words = false;  // after the folds, broken entry words join (find_joins)
  };
  static constexpr std::size_t kMaxComposed = 12;

  std::string_view query_;
  std::string scan_;
  std::vector<Token> tokens_;
  std::string base_;  // the base form alone, which the views read (general path)
  std::string work_;
  std::string section_;               // a section being written; only grows
  std::vector<std::uint64_t> masks_;  // build_ascii's bit masks
  std::string symbols_;               // base form with leet symbols kept, when the query has them
  bool symbols_used_ = false;
  std::size_t base_size_ = 0;
  std::array<Section, kViewCount + kMaxComposed + 4> sections_{};  // and the typo sections of folds
  std::size_t count_ = 0;
  ViewSet present_;
  bool maps_built_ = false;
  std::string map_base_;            // the base form again, when mapping
  std::uint32_t sections_mapped_ = 0;  // bit s: section s's maps are built
  OffsetMap base_map_;
  OffsetMap symbols_map_;
  std::array<OffsetMap, kViewCount> view_maps_;
  const FuzzyIndex* fuzzy_ = nullptr;
  const FuzzyIndex* fuzzy_keys_ = nullptr;
  const EntryWords* entry_words_ = nullptr;
  bool spaced_joined_ = false;    // the last build's spaced section joined tokens
  std::vector<TokenJoin> joins_;  // of its first line
  std::vector<TokenJoin> base_joins_;  // of its second line, or none
  bool spaced_runs_ = false;      // it joined runs of one-character tokens first
  std::string spaced_text_;       // those runs joined
  std::vector<Token> spaced_tokens_;
  OffsetMap join_map_;            // spaced_text_'s map
  std::size_t phonetic_first_ = 0;
  // The phonetic sections' words in Devanagari, Bengali or Kannada script
  // seen last by this object, with their keys: the frequent words of a
  // Hindi or Bengali query ("है", "में", "কি") are transliterated and keyed
  // once per thread, not once per query. Direct-mapped by token hash, and
  // confirmed by the token's bytes, so a key is always the token's own.
  struct KeyMemo {
    std::uint64_t hash = 0;      // token_hash of the token
    std::uint64_t key_hash = 0;  // token_hash of what the section holds for it
    std::uint8_t size = 0;       // token bytes; 0 for an empty slot
    std::uint8_t key_size = 0;
    char token[30];
    char key[30];
  };
  // 80 KB a thread once it meets native script: 256 slots saved about half
  // as much as 1,024 on 1,164 Hindi queries of 3,190 distinct words.
  static constexpr std::size_t kKeyMemoSlots = 1024;
  std::vector<KeyMemo> key_memo_;
  // The fuzzy section's words seen last by this object, with the
  // corrections they had (most had none): a query's long words are mostly
  // ordinary ones, and each costs several filters and searches of the
  // indexes before it is let be or corrected (queries repeat their words:
  // the 4,096 commonest long words are three quarters of a real log's).
  // Two ways a set (memo_set: by the word's and its key's hashes; direct
  // mapping cost a tenth more in searches in a real log's later
  // passes). A slot answers only for the same indexes (their serials) and
  // the same bytes, so it never answers for another word or list set.
  // Dictionary words stay out (the dictionary answers them as cheaply). A
  // slot's corrections point into the indexes, which its serials keep, or
  // into memo_text_. The first line is all a word with no correction
  // reads; one with some reads the second.
  struct alignas(64) FuzzyMemo {
    std::uint64_t hash = 0;      // token_hash of the base token
    std::uint64_t key_hash = 0;  // token_hash of its phonetic key (or itself)
    std::uint64_t indexes = 0;   // the serials of the two indexes; 0: empty
    std::uint8_t size = 0;
    std::array<std::uint8_t, 2> count{};  // corrections of the word (0) and of its key (1)
    char token[37];
    // The second line: each correction's bytes, in an index or memo_text_.
    std::array<std::array<const char*, kFuzzyLineRanks>, 2> fixed{};
    std::array<std::array<std::uint8_t, kFuzzyLineRanks>, 2> fixed_size{};
  };
  static_assert(sizeof(FuzzyMemo) == 128);
  static constexpr std::size_t kFuzzyMemoSlots = 4096;  // 512 KB a thread
  static constexpr std::size_t kFuzzyMemoWays = 2;
  static constexpr std::size_t kFuzzyMemoSets = kFuzzyMemoSlots / kFuzzyMemoWays;
  std::vector<FuzzyMemo> fuzzy_memo_;
  FuzzyMemo* memo_set(std::uint64_t hash, std::uint64_t key_hash);
  // Replays a slot's corrections for base token t, as correct_token makes
  // them; writes token t's (corrections_ from `words`, key_corrections_
  // from `keys`) into a slot, false (the slot unchanged) if they do not fit.
  void replay(const FuzzyMemo& memo, std::uint32_t t, FuzzyRanks& ranks, std::size_t& grow);
  bool remember(FuzzyMemo& memo, const Correction* words, std::size_t word_count,
                const Correction* keys, std::size_t key_count, std::size_t written);
  // The corrections the views wrote (a prefix word with the token's rest,
  // a key rekeyed() met), copied for the memo's slots: a fixed store, so
  // that what a slot points to never moves; when it fills, the memo is
  // emptied and the store used again.
  static constexpr std::size_t kFuzzyMemoText = 64 * 1024;
  std::vector<char> memo_text_;
  std::size_t memo_text_used_ = 0;
  std::uint64_t fuzzy_indexes_ = 0;  // this build's serials, as a slot holds them
  // The words of this query that had corrections, by the same hashes:
  // where in corrections_ and key_corrections_ the first one's lie. A slot
  // of an earlier query (another `query`) is empty.
  struct FuzzySeen {
    std::uint64_t query = 0;
    std::uint64_t hash = 0;
    std::uint64_t key_hash = 0;
    std::uint32_t token = 0;  // the base token that had them
    std::uint32_t words = 0;
    std::uint32_t word_count = 0;
    std::uint32_t keys = 0;
    std::uint32_t key_count = 0;
  };
  std::array<FuzzySeen, 64> fuzzy_seen_{};
  std::uint64_t fuzzy_query_ = 0;  // write_fuzzy calls so far
  std::vector<std::uint32_t> long_tokens_;  // write_fuzzy's tokens that may be typos
  std::size_t base_tokens_ = 0;  // the first token of the phonetic section, if present
  std::vector<Correction> corrections_;
  // The index in corrections_ of each base token's candidate of each rank,
  // at (2 * token + key) * kFuzzyLineRanks + rank, or -1: filled by
  // index_corrections for write_fuzzy's lines and add_fuzzy_folded.
  std::vector<std::int32_t> correction_at_;
  void index_corrections(std::size_t base_tokens);
  std::vector<Correction> key_corrections_;
  // Corrections made for this query (a prefix word and the token's rest):
  // a deque, so that the views of those before stay valid.
  std::deque<std::string> fixed_words_;
  std::string fix_;  // write_fuzzy's, before they join corrections_

 public:
  // The corrections of the last build's fuzzy section, by base token
  // index: (the token as it is in the base form, the entry word).
  std::vector<std::pair<std::string_view, std::string_view>> corrections() const;
  std::array<Chain, kMaxComposed> chains_{};  // of the composed sections, in order
  std::size_t composed_ = 0;
  bool thrice_ = false;  // write_squeeze met a letter three times in a row
  std::array<std::string, 2> chain_text_;  // a chain's steps, written in turn
  std::string composed_text_;
  std::vector<Token> chain_tokens_;  // a join_words chain's tokens before it joins
  std::vector<TokenJoin> chain_joins_;
  std::vector<TokenJoin> chain_apart_;  // its second line's joins
  OffsetMap chain_line_map_;            // its second line's map
  std::array<std::array<OffsetMap, kFoldOrder.size() + 1>, kMaxComposed> compose_maps_;
};

}  // namespace deter::text

#endif  // DETER_TEXT_VIEWS_H_
