// The phonetic key of native-script tokens, rule by rule (phonetic.h):
// the inherent vowel and its deletion, vowel signs, virama, anusvara,
// nukta and each script's own readings, then the Latin fold. Words are
// given as typed and keyed as the base form holds them.
#include <catch2/catch.hpp>

#include <string>

#include "text/normalize.h"
#include "text/phonetic.h"

using namespace deter;

namespace {

// The key of the one token of `word`'s base form, or "(none)".
std::string base_key(const std::string& word) {
  const std::string base = text::normalize_base(word);
  REQUIRE(base.size() >= 3);
  const std::string token = base.substr(1, base.size() - 2);
  REQUIRE(token.find(' ') == std::string::npos);
  std::string out;
  if (!text::phonetic_key(token, out)) return "(none)";
  return out;
}

std::string repeat(const std::string& s, int n) {
  std::string out;
  for (int k = 0; k < n; ++k) out += s;
  return out;
}

}  // namespace

TEST_CASE("phonetic keys of native-script words follow the rules", "[phonetic]") {
  struct Row {
    std::string word;
    const char* key;
    const char* rule;
  };
  auto row = GENERATE(values<Row>({
      // Hindi: inherent "a", silent at the end of a word ...
      {"घर", "gar", "final schwa goes; gh folds to g"},
      {"कमल", "kamal", "final schwa goes, the one before it stays"},
      {"कलम", "kalam", "final schwa goes"},
      // ... and between a vowel-consonant and a consonant-vowel.
      {"बचपन", "bacpan", "medial schwa: ba-ch-pan"},
      {"दरवाज़ा", "darvaj", "medial schwa before a vowel sign; nukta dropped by the base form"},
      {"कलकल", "kalkal", "decided from the end: a deleted vowel keeps the one before it"},
      // Virama makes conjuncts.
      {"पत्र", "patr", "virama: no vowel between t and r"},
      {"विद्या", "vidy", "conjunct dy; final a folds away"},
      {"पत्", "pat", "word-final virama"},
      {"पुस्तक", "pustak", "virama before the medial context: no deletion"},
      {"ज्ञान", "gyan", "ज्ञ is gy"},
      // Anusvara (and chandrabindu, which the base form makes anusvara).
      {"संगीत", "sangit", "anusvara before a consonant is n"},
      {"हिंदी", "hindi", "anusvara after a vowel sign"},
      {"चाँद", "cand", "chandrabindu reads as anusvara"},
      {"आँख", "ank", "chandrabindu on an independent vowel"},
      {"दुःख", "duhk", "visarga is h"},
      // Vowel signs and independent vowels.
      {"किताब", "kitab", "vowel signs replace the inherent vowel"},
      {"खेल", "kel", "e sign"},
      {"कृषि", "krisi", "vocalic r sign is ri; sh folds to s"},
      {"गौरव", "gorav", "au folds to o"},
      {"मैदान", "medan", "ai folds to e"},
      {"ऋषि", "risi", "independent vocalic r"},
      {"इमली", "inli", "independent i; m before a consonant is n"},
      {"उदय", "uday", "independent u"},
      {"एक", "ek", "independent e"},
      {"ओस", "os", "independent o"},
      {"ज़मीन", "jamin", "Devanagari nukta is dropped"},
      // Bengali: inherent "o", য is j, nukta letters, khanda ta.
      {"বন", "bon", "inherent o, silent at the end"},
      {"কলম", "kolom", "inherent o"},
      {"অচল", "ocol", "অ is o"},
      {"যদি", "jodi", "য is j"},
      {"রহস্য", "rohosy", "য after a virama (ya-phala) is y"},
      {"বিদ্যা", "bidy", "ya-phala before a vowel sign"},
      {"সময়", "somoy", "য় is y"},
      {"পড়া", "por", "ড় is r"},
      {"গাঢ়", "gar", "ঢ় is rh"},
      {"নয়ন", "noyon", "য় is y"},
      {"উৎসব", "utsob", "khanda ta is t with no vowel"},
      {"আকাশ", "akas", "independent a and a sign"},
      {"বাংলা", "banl", "Bengali anusvara"},
      // The Latin fold reads across syllables: a letter of one may pair
      // with the next one's first letter.
      {"कई", "ke", "inherent a then independent i fold as ai"},
      {"एए", "i", "two independent e fold as ee"},
      {"कआ", "ka", "inherent a then independent a fold as aa"},
      {"अकहा", "ak", "a deleted vowel leaves k before h: kh"},
      {"च्ह", "c", "ch then h folds as chh"},
      {"छ्ह", "ch", "chh then h: the third h stays"},
      {"ढ्ह", "dh", "dh then h: the second h stays"},
      {"গাঢ়্হ", "garh", "rh then h: the second h stays"},
      {"पक्का", "pak", "doubled letters across syllables collapse"},
      {"कम्ब", "kanb", "m before a consonant of the next syllable"},
      // Kannada keeps every vowel; only the Latin fold drops a final a.
      {"ಮನೆ", "mane", "final vowel kept"},
      {"ಹಸಿರು", "hasiru", "final u kept"},
      {"ಅರಮನೆ", "aramane", "no medial deletion"},
      {"ಕಮಲ", "kamal", "final a dropped by the Latin fold"},
      {"ಪುಸ್ತಕ", "pustak", "virama"},
      {"ಬಂಗಾರ", "bangar", "anusvara"},
      // Only tokens of one script, of at most 120 bytes, have a key.
      {repeat("कल", 20), "kalkalkalkalkalkalkalkalkalkalkalkalkalkalkalkalkalkalkalkal",
       "40 characters, 120 bytes"},
      {repeat("कल", 20) + "क", "(none)", "41 characters, 123 bytes: not a word"},
      {repeat("ಕ", 41), "(none)", "Kannada, over the limit"},
      {"कখ", "(none)", "Devanagari then Bengali"},
      {"कಕ", "(none)", "Devanagari then Kannada"},
      {"कa", "(none)", "native script then Latin"},
      {"क1", "(none)", "native script then a digit"},
  }));
  CAPTURE(row.word, row.rule);
  CHECK(base_key(row.word) == row.key);
}

TEST_CASE("phonetic keys of tokens the base form never holds", "[phonetic]") {
  struct Row {
    std::string token;
    const char* key;
  };
  auto row = GENERATE(values<Row>({
      {"चाँद", "(none)"},       // chandrabindu: the base form makes it anusvara
      {"ज़मीन", "jamin"},       // Devanagari nukta, kept: no effect
      {"क\u200Dष", "(none)"},  // ZWJ
      {"क\u200Cष", "(none)"},  // ZWNJ
      {"\xE0\xA4", "(none)"},  // cut inside a character
      {"\xE0\xA4\x95\xE0", "(none)"},
      {"\xE0\xA5\xA6", "(none)"},  // Devanagari digit zero: no letter
  }));
  CAPTURE(row.token);
  std::string out;
  const bool keyed = text::phonetic_key(row.token, out);
  CHECK((keyed ? out : std::string("(none)")) == row.key);
}
