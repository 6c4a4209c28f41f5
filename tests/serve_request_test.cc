// deter serve's flat request reader (cli/serve_request.h) against the
// document parser it stands in for: a body the flat reader accepts must be
// one nlohmann::json parses to the same members, so the sidecar answers it
// the same either way; what it declines goes to the document parser.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/serve_request.h"
#include "test_util.h"

using deter::cli::FlatRequest;
using Json = nlohmann::json;

namespace {

// Empty when the two agree on an accepted body; else what differs.
std::string disagreement(const FlatRequest& flat, std::string_view body) {
  Json doc;
  try {
    doc = Json::parse(body);
  } catch (const Json::parse_error& e) {
    return std::string("accepted, but the document parser refuses it: ") + e.what();
  }
  if (!doc.is_object()) return "accepted, but not an object";
  for (auto& [key, value] : doc.items()) {
    const FlatRequest::Member* m = flat.find(key);
    if (m == nullptr) return "member " + key + " missing";
    switch (m->kind) {
      case FlatRequest::Kind::null:
        if (!value.is_null()) return key + " read as null";
        break;
      case FlatRequest::Kind::string:
        if (!value.is_string() || value.get<std::string>() != m->text) {
          return key + " read as \"" + std::string(m->text) + "\"";
        }
        break;
      case FlatRequest::Kind::array: {
        if (!value.is_array() || value.size() != m->count) return key + ": another array";
        for (std::size_t i = 0; i < m->count; ++i) {
          if (!value[i].is_string() || value[i].get<std::string>() != flat.items()[m->first + i]) {
            return key + "[" + std::to_string(i) + "] differs";
          }
        }
        break;
      }
    }
  }
  // No member read flat that the document lacks.
  for (const char* key : {"query", "queries", "locale", "typed", "candidates", "a", "b", ""}) {
    if ((flat.find(key) != nullptr) != doc.contains(key)) return std::string("member ") + key;
  }
  return "";
}

}  // namespace

TEST_CASE("serve: the flat request reader accepts what the document parser reads the same",
          "[serve]") {
  struct Row {
    std::string body;
    bool flat;  // read flat; false: left to the document parser
  };
  auto row = GENERATE(values<Row>({
      {R"({"query":"forbidden orchard"})", true},
      {" \t\r\n{ \"query\" : \"a\" , \"locale\" : null }\n ", true},
      {R"({"queries":["a","b",""],"locale":"hi"})", true},
      {R"({"queries":[]})", true},
      {R"({"queries":[ ]})", true},
      {R"({})", true},
      {R"({"typed":"वर्जि","candidates":["वर्जित बगीचा"]})", true},
      // Escapes, decoded: simple ones, \u in and beyond the BMP, \u0000.
      {R"({"query":"a\"b\\c\/d\b\f\n\r\te"})", true},
      {R"({"query":"\u0935\u0930\u094D\u091C\u093F"})", true},
      {R"({"query":"\uD83C\uDF19 moon \u00e9\u00C9"})", true},
      {R"({"query":"nul\u0000in"})", true},
      {R"({"queries":["plain","esc\"aped","plain again"]})", true},
      // Well-formed UTF-8 at each edge of the table.
      {"{\"query\":\"\xC2\x80\xDF\xBF\xE0\xA0\x80\xED\x9F\xBF\xEE\x80\x80\xF0\x90\x80\x80\xF4\x8F\xBF\xBF\"}",
       true},
      {"{\"query\":\"\x7F\"}", true},
      // Left to the document parser: its error or its answer.
      {R"({"query":"a","query":"b"})", false},
      {R"({"query":"a","query":{"x":1}})", false},
      {R"({"query":5})", false},
      {R"({"query":true})", false},
      {R"({"queries":["a",1]})", false},
      {R"({"queries":[["a"]]})", false},
      {R"({"queries":["a",]})", false},
      {R"({"query":"a",})", false},
      {R"({"\u0071uery":"a"})", false},
      {"{\"qu\xC3\xA9ry\":\"a\"}", false},
      {"\xEF\xBB\xBF{\"query\":\"a\"}", false},
      {R"({"query":"a"} x)", false},
      {R"({"query":"a"}{})", false},
      {R"(["a"])", false},
      {R"("a")", false},
      {"", false},
      {"{", false},
      {R"({"query":"a)", false},
      {R"({"query":nul})", false},
      {R"({"query":nullx})", false},
      {R"({"query":"\x"})", false},
      {R"({"query":"\u12"})", false},
      {R"({"query":"\u12G4"})", false},
      {R"({"query":"\uD800"})", false},
      {R"({"query":"\uD800\u0041"})", false},
      {R"({"query":"\uDC00"})", false},
      {"{\"query\":\"tab\there\"}", false},
      {"{\"query\":\"a\xFF\"}", false},
      {"{\"query\":\"\xC0\xAF\"}", false},
      {"{\"query\":\"\xE0\x80\xAF\"}", false},
      {"{\"query\":\"\xED\xA0\x80\"}", false},
      {"{\"query\":\"\xF4\x90\x80\x80\"}", false},
      {"{\"query\":\"\xF5\x80\x80\x80\"}", false},
      {"{\"query\":\"\xE2\x82\"}", false},
      {R"({"a":"1","b":"2","c":"3","d":"4","e":"5","f":"6","g":"7","h":"8","i":"9","j":"10","k":"11","l":"12","m":"13","n":"14","o":"15","p":"16","q":"17"})",
       false},
  }));
  CAPTURE(row.body);
  FlatRequest flat;
  CHECK(flat.parse(row.body) == row.flat);
  if (row.flat) CHECK(disagreement(flat, row.body) == "");
}

// Bodies made from the pieces of the shapes above, spliced, cut and with
// bytes changed: every one the flat reader accepts, the document parser
// reads the same.
TEST_CASE("serve: spliced and damaged bodies read flat agree with the document parser",
          "[serve]") {
  const std::vector<std::string> pieces = {
      "{",    "}",     "[",     "]",        ",",       ":",       " ",      "\"",
      "null", "\"a\"", "\\",    "\\u0041",  "\\uD83C", "\\uDF19", "\\n",    "\xC3\xA9",
      "\xE0", "\xA4",  "\xFF",  "\"query\"", "\"queries\"", "\"locale\"", "1", "\t",
  };
  std::uint64_t state = 0x9E3779B97F4A7C15ull;
  auto next = [&](std::uint64_t n) {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state % n;
  };
  const std::vector<std::string> seeds = {
      R"({"queries":["a\u0041","b\n",""],"locale":null})",
      R"({"query":"x\uD83C\uDF19y","locale":"bn"})",
      "{\"typed\":\"\xE0\xA4\xB5\",\"candidates\":[\"\xC3\xA9\",\"z\"]}",
  };
  FlatRequest flat;
  int accepted = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string body = seeds[next(seeds.size())];
    const int edits = 1 + static_cast<int>(next(3));
    for (int e = 0; e < edits; ++e) {
      const std::size_t at = next(body.size() + 1);
      switch (next(3)) {
        case 0: body.insert(at, pieces[next(pieces.size())]); break;
        case 1: body.erase(at, next(4)); break;
        default:
          if (at < body.size()) body[at] = static_cast<char>(next(256));
      }
    }
    if (!flat.parse(body)) continue;
    ++accepted;
    const std::string d = disagreement(flat, body);
    if (!d.empty()) {
      CAPTURE(body);
      FAIL(d);
    }
  }
  CHECK(accepted > 100);  // the loop did read bodies flat
}
