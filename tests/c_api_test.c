/* The C API, compiled as C11 with -Wall -Wextra -pedantic -Werror: every
 * entry point, with good and bad arguments.
 *
 * Usage: c_api_test <demo list dir> <broken list dir> <scratch dir> */
#define _POSIX_C_SOURCE 200809L /* mkdir */

#include <deter/deter.h>
#include <dirent.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int failures = 0;

#define CHECK(cond)                                                            \
  do {                                                                         \
    if (!(cond)) {                                                             \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
      ++failures;                                                              \
    }                                                                          \
  } while (0)

#define CHECK_STATUS(expr, want)                                                                   \
  do {                                                                                             \
    deter_status_t got_ = (expr);                                                                  \
    if (got_ != (want)) {                                                                          \
      fprintf(stderr, "%s:%d: %s returned %d (%s), want %d; last error: %s\n", __FILE__, __LINE__, \
              #expr, got_, deter_status_string(got_), (want), deter_last_error());                 \
      ++failures;                                                                                  \
    }                                                                                              \
  } while (0)

/* One row of the decision table: a query (bytes, so embedded NULs and
 * invalid UTF-8 are expressible), its expected action, and, when it should
 * match, the entry and byte span of its first match. */
struct row {
  const char* query;
  size_t len;
  int action;
  const char* entry_id; /* NULL: no match expected */
  size_t begin, end;
  uint32_t flags;
};

#define Q(s) s, sizeof(s) - 1

static const struct row rows[] = {
    {Q("an ordinary query"), DETER_ACTION_ALLOW, NULL, 0, 0, 0},
    {Q(""), DETER_ACTION_ALLOW, NULL, 0, 0, 0},
    {Q("where is the forbidden orchard today"), DETER_ACTION_PROMPT, "en.list:13", 13, 30, 0},
    {Q("Forbidden   ORCHARD!! photos"), DETER_ACTION_PROMPT, "en.list:13", 0, 19, 0},
    {Q("hidden lantern guild members list"), DETER_ACTION_BLOCK, "en.list:61", 0, 20, 0},
    {Q("opening hours of the forbidden orchard museum"), DETER_ACTION_ALLOW, NULL, 0, 0, 0},
    /* an embedded NUL separates words like any other control byte */
    {Q("forbidden\0orchard"), DETER_ACTION_PROMPT, "en.list:13", 0, 17, 0},
    /* invalid UTF-8 bytes are separators and flag the decision */
    {Q("forbidden\xff orchard"), DETER_ACTION_PROMPT, "en.list:13", 0, 18, DETER_FLAG_INVALID_UTF8},
    {Q("\xc3\x28\xa0\xa1 plain"), DETER_ACTION_ALLOW, NULL, 0, 0, DETER_FLAG_INVALID_UTF8},
    /* native script: spans stay byte offsets into the query */
    {Q("\xe0\xa4\xb5\xe0\xa4\xb0\xe0\xa5\x8d\xe0\xa4\x9c\xe0\xa4\xbf\xe0\xa4\xa4 "
       "\xe0\xa4\xac\xe0\xa4\x97\xe0\xa5\x80\xe0\xa4\x9a\xe0\xa4\xbe"),
     DETER_ACTION_PROMPT, NULL, 0, 34, 0},
};

static void test_static_strings(void) {
  CHECK(strcmp(deter_version(), "0.1.0") == 0);
  CHECK(strcmp(deter_status_string(DETER_OK), "ok") == 0);
  CHECK(strcmp(deter_status_string(DETER_E_SYNTAX), "syntax error") == 0);
  CHECK(strcmp(deter_status_string(12345), "unknown status") == 0);
  CHECK(strcmp(deter_action_string(DETER_ACTION_PROMPT), "prompt") == 0);
  CHECK(strcmp(deter_action_string(-1), "unknown") == 0);
  CHECK(strcmp(deter_action_string(4), "unknown") == 0);
  CHECK(strcmp(deter_view_string(DETER_VIEW_PHONETIC), "phonetic") == 0);
  CHECK(strcmp(deter_view_string(DETER_VIEW_FUZZY), "fuzzy") == 0);
  CHECK(strcmp(deter_view_string(8), "unknown") == 0);
  CHECK(strcmp(deter_status_string(DETER_E_UNTRUSTED), "untrusted database") == 0);
  CHECK(strcmp(deter_status_string(DETER_E_NO_LIST), "no list set") == 0);
  CHECK(DETER_FLAG_CAPPED == 16u);
}

static void test_options_init(void) {
  deter_filter_options_t fo;
  deter_check_options_t co;
  deter_filter_options_init(NULL); /* allowed, does nothing */
  deter_check_options_init(NULL);
  deter_filter_options_init(&fo);
  CHECK(fo.struct_size == sizeof fo);
  CHECK(fo.views == DETER_VIEWS_ALL);
  CHECK(fo.max_query_bytes == 4096);
  CHECK(fo.max_entry_bytes == 16000);
  CHECK(fo.max_examples == 200000);
  CHECK(fo.max_regexes == 10000);
  CHECK(fo.max_regex_bytes == 1000);
  CHECK(fo.max_regex_depth == 32);
  CHECK(fo.max_regex_cost == 512);
  CHECK(fo.max_regex_total_cost == 20000);
  CHECK(fo.on_internal_error == DETER_FAIL_OPEN);
  CHECK(fo.fail_closed_action == DETER_ACTION_PROMPT);
  CHECK(fo.cache_dir == NULL);
  deter_check_options_init(&co);
  CHECK(co.struct_size == sizeof co);
  CHECK(co.locale == NULL);
  CHECK(co.explain == 0);
  CHECK(co.min_partial_chars == 5);
  CHECK(co.withhold_from == DETER_ACTION_INFORM);
}

static void test_open_errors(const char* broken_dir) {
  deter_filter_t* f = (deter_filter_t*)&f; /* must be overwritten with NULL */
  const char* file = NULL;
  uint32_t line = 0, column = 0;
  deter_filter_options_t fo;

  CHECK_STATUS(deter_filter_open(NULL, NULL, &f), DETER_E_INVALID_ARGUMENT);
  CHECK(f == NULL);
  CHECK(strlen(deter_last_error()) > 0);
  CHECK_STATUS(deter_filter_open("lists", NULL, NULL), DETER_E_INVALID_ARGUMENT);

  CHECK_STATUS(deter_filter_open("/nonexistent/deter/lists", NULL, &f), DETER_E_IO);
  CHECK(f == NULL);

  /* a broken list names file:line:col */
  CHECK_STATUS(deter_filter_open(broken_dir, NULL, &f), DETER_E_INVALID_ENTRY);
  CHECK(f == NULL);
  CHECK(strncmp(deter_last_error(), "bad.list:4:", 11) == 0);
  CHECK(deter_last_error_location(&file, &line, &column) == DETER_E_INVALID_ENTRY);
  CHECK(strcmp(file, "bad.list") == 0);
  CHECK(line == 4);
  CHECK(column >= 1);
  CHECK(deter_last_error_location(NULL, NULL, NULL) == DETER_E_INVALID_ENTRY);

  /* a struct_size from no known version is refused */
  deter_filter_options_init(&fo);
  fo.struct_size = 3;
  CHECK_STATUS(deter_filter_open(broken_dir, &fo, &f), DETER_E_INVALID_ARGUMENT);
  deter_filter_options_init(&fo);
  fo.views = 0x100u;
  CHECK_STATUS(deter_filter_open(broken_dir, &fo, &f), DETER_E_INVALID_ARGUMENT);

  deter_filter_free(NULL);
  CHECK(deter_filter_entry_count(NULL) == 0);
  CHECK(strcmp(deter_filter_content_hash(NULL), "") == 0);
}

static void test_from_sources(void) {
  static const char list[] =
      "! deter-list 1\n! name: t\n! category: demo\n! action: prompt\nquiet harbour\n";
  static const char broken[] = "! deter-list 1\n! name: t\n! action: shout\nquiet harbour\n";
  deter_source_t sources[1];
  deter_filter_t* f = NULL;
  deter_decision_t* d = NULL;
  deter_filter_options_t fo;
  const char* file = NULL;
  uint32_t line = 0;

  sources[0].name = "t.list";
  sources[0].data = list;
  sources[0].size = sizeof list - 1;
  CHECK_STATUS(deter_filter_from_sources(sources, 1, NULL, &f), DETER_OK);
  CHECK(deter_filter_entry_count(f) == 1);
  CHECK(strlen(deter_filter_content_hash(f)) > 0);
  CHECK_STATUS(deter_decision_new(&d), DETER_OK);
  CHECK_STATUS(deter_check(f, Q("a quiet harbour at dusk"), NULL, d), DETER_OK);
  CHECK(deter_decision_action(d) == DETER_ACTION_PROMPT);
  deter_filter_free(f);
  /* the decision keeps its list version alive after the filter is freed */
  CHECK(strcmp(deter_decision_category(d, NULL), "demo") == 0);
  deter_decision_free(d);

  /* options are honoured: a query limit that cuts the match off */
  deter_filter_options_init(&fo);
  fo.max_query_bytes = 8;
  f = NULL;
  CHECK_STATUS(deter_filter_from_sources(sources, 1, &fo, &f), DETER_OK);
  CHECK_STATUS(deter_decision_new(&d), DETER_OK);
  CHECK_STATUS(deter_check(f, Q("a quiet harbour"), NULL, d), DETER_OK);
  CHECK(deter_decision_action(d) == DETER_ACTION_ALLOW);
  CHECK(deter_decision_flags(d) & DETER_FLAG_TRUNCATED);
  deter_decision_free(d);
  deter_filter_free(f);

  sources[0].data = broken;
  sources[0].size = sizeof broken - 1;
  CHECK_STATUS(deter_filter_from_sources(sources, 1, NULL, &f), DETER_E_SYNTAX);
  CHECK(f == NULL);
  deter_last_error_location(&file, &line, NULL);
  CHECK(strcmp(file, "t.list") == 0);
  CHECK(line == 3);

  /* bad arguments */
  CHECK_STATUS(deter_filter_from_sources(NULL, 1, NULL, &f), DETER_E_INVALID_ARGUMENT);
  CHECK_STATUS(deter_filter_from_sources(sources, 1, NULL, NULL), DETER_E_INVALID_ARGUMENT);
  sources[0].name = NULL;
  CHECK_STATUS(deter_filter_from_sources(sources, 1, NULL, &f), DETER_E_INVALID_ARGUMENT);
  sources[0].name = "t.list";
  sources[0].data = NULL;
  CHECK_STATUS(deter_filter_from_sources(sources, 1, NULL, &f), DETER_E_INVALID_ARGUMENT);
  /* no list at all: an error, not a filter that allows everything */
  f = NULL;
  CHECK_STATUS(deter_filter_from_sources(NULL, 0, NULL, &f), DETER_E_INVALID_ARGUMENT);
  CHECK(f == NULL);
}

static void check_match_strings(const deter_match_t* m) {
  CHECK(m->entry_id != NULL && strlen(m->entry_id) == m->entry_id_len);
  CHECK(m->category != NULL && strlen(m->category) == m->category_len);
  CHECK(m->suppressed_by != NULL && strlen(m->suppressed_by) == m->suppressed_by_len);
}

static void test_decisions(const deter_filter_t* f) {
  deter_decision_t* d = NULL;
  size_t i, len = 99;
  deter_match_t m;

  CHECK_STATUS(deter_decision_new(&d), DETER_OK);
  /* a fresh decision is an empty allow */
  CHECK(deter_decision_action(d) == DETER_ACTION_ALLOW);
  CHECK(deter_decision_match_count(d) == 0);

  for (i = 0; i < sizeof rows / sizeof rows[0]; ++i) {
    const struct row* r = &rows[i];
    CHECK_STATUS(deter_check(f, r->query, r->len, NULL, d), DETER_OK);
    if (deter_decision_action(d) != r->action) {
      fprintf(stderr, "row %zu: action %s, want %s\n", i,
              deter_action_string(deter_decision_action(d)), deter_action_string(r->action));
      ++failures;
      continue;
    }
    CHECK((deter_decision_flags(d) & r->flags) == r->flags);
    if (r->action == DETER_ACTION_ALLOW) {
      CHECK(deter_decision_match_count(d) == 0);
      CHECK(strcmp(deter_decision_category(d, &len), "") == 0 && len == 0);
      CHECK(deter_decision_severity(d) == 0);
      CHECK(!deter_decision_has_message(d));
      CHECK(strcmp(deter_decision_message_title(d, &len), "") == 0 && len == 0);
      continue;
    }
    CHECK(deter_decision_match_count(d) >= 1);
    m.struct_size = sizeof m;
    CHECK_STATUS(deter_decision_match(d, 0, &m), DETER_OK);
    check_match_strings(&m);
    CHECK(m.begin < m.end && m.end <= r->len);
    if (r->entry_id != NULL) {
      if (strcmp(m.entry_id, r->entry_id) != 0) {
        fprintf(stderr, "row %zu: entry %s, want %s\n", i, m.entry_id, r->entry_id);
        ++failures;
      }
    }
    if (m.begin != r->begin || m.end != r->end) {
      fprintf(stderr, "row %zu: span [%zu, %zu), want [%zu, %zu)\n", i, m.begin, m.end, r->begin,
              r->end);
      ++failures;
    }
    CHECK(m.action == r->action);
    CHECK(m.view >= DETER_VIEW_BASE && m.view <= DETER_VIEW_PHONETIC);
    CHECK(deter_decision_severity(d) >= 1);
    CHECK(strcmp(deter_decision_category(d, &len), "demo") == 0 && len == 4);
    CHECK(deter_decision_has_message(d));
    CHECK(strlen(deter_decision_message_key(d, &len)) == len && len > 0);
    CHECK(strlen(deter_decision_message_locale(d, &len)) == len && len > 0);
    CHECK(strlen(deter_decision_message_title(d, &len)) == len && len > 0);
    CHECK(strlen(deter_decision_message_body(d, &len)) == len && len > 0);
    CHECK(deter_decision_message_link_count(d) >= 1);
    CHECK(strncmp(deter_decision_message_link(d, 0, &len), "https://", 8) == 0);
    CHECK(deter_decision_message_link(d, 1000, &len) == NULL && len == 0);
  }

  /* the caller's locale chooses the message language */
  {
    deter_check_options_t co;
    deter_check_options_init(&co);
    co.locale = "hi-IN";
    CHECK_STATUS(deter_check(f, Q("forbidden orchard"), &co, d), DETER_OK);
    CHECK(strcmp(deter_decision_message_locale(d, NULL), "hi") == 0);
    CHECK(strcmp(deter_decision_message_key(d, NULL), "prompt.default") == 0);
    co.struct_size = 1;
    CHECK_STATUS(deter_check(f, Q("forbidden orchard"), &co, d), DETER_E_INVALID_ARGUMENT);
  }

  /* explain: the match an exception removed, and which exception */
  {
    deter_check_options_t co;
    deter_check_options_init(&co);
    CHECK_STATUS(deter_check(f, Q("the forbidden orchard museum"), &co, d), DETER_OK);
    CHECK(deter_decision_suppressed_count(d) == 0);
    co.explain = 1;
    CHECK_STATUS(deter_check(f, Q("the forbidden orchard museum"), &co, d), DETER_OK);
    CHECK(deter_decision_action(d) == DETER_ACTION_ALLOW);
    CHECK(deter_decision_suppressed_count(d) == 1);
    m.struct_size = sizeof m;
    CHECK_STATUS(deter_decision_suppressed(d, 0, &m), DETER_OK);
    check_match_strings(&m);
    CHECK(strcmp(m.entry_id, "en.list:13") == 0);
    CHECK(strcmp(m.suppressed_by, "en.list:21") == 0);
    CHECK_STATUS(deter_decision_suppressed(d, 1, &m), DETER_E_INVALID_ARGUMENT);
    CHECK_STATUS(deter_decision_suppressed(NULL, 0, &m), DETER_E_INVALID_ARGUMENT);
    CHECK_STATUS(deter_decision_suppressed(d, 0, NULL), DETER_E_INVALID_ARGUMENT);
  }

  /* a caller with an older, shorter deter_match_t gets only what fits */
  {
    unsigned char buf[sizeof(deter_match_t) + 8];
    deter_match_t* big = (deter_match_t*)(void*)buf;
    memset(buf, 0xAB, sizeof buf);
    big->struct_size = sizeof(deter_match_t);
    CHECK_STATUS(deter_check(f, Q("forbidden orchard"), NULL, d), DETER_OK);
    CHECK_STATUS(deter_decision_match(d, 0, big), DETER_OK);
    CHECK(buf[sizeof(deter_match_t)] == 0xAB); /* nothing written past struct_size */
    m.struct_size = 4;
    CHECK_STATUS(deter_decision_match(d, 0, &m), DETER_E_INVALID_ARGUMENT);
  }

  /* bad arguments to check and the accessors */
  CHECK_STATUS(deter_check(NULL, Q("forbidden orchard"), NULL, d), DETER_E_INVALID_ARGUMENT);
  CHECK_STATUS(deter_check(f, Q("forbidden orchard"), NULL, NULL), DETER_E_INVALID_ARGUMENT);
  CHECK_STATUS(deter_check(f, NULL, 5, NULL, d), DETER_E_INVALID_ARGUMENT);
  CHECK_STATUS(deter_check(f, NULL, 0, NULL, d), DETER_OK);
  CHECK(deter_decision_action(d) == DETER_ACTION_ALLOW);
  m.struct_size = sizeof m;
  CHECK_STATUS(deter_decision_match(d, 0, &m), DETER_E_INVALID_ARGUMENT);
  CHECK_STATUS(deter_decision_match(NULL, 0, &m), DETER_E_INVALID_ARGUMENT);
  CHECK_STATUS(deter_decision_match(d, 0, NULL), DETER_E_INVALID_ARGUMENT);
  CHECK(deter_decision_action(NULL) == DETER_ACTION_ALLOW);
  CHECK(deter_decision_severity(NULL) == 0);
  CHECK(deter_decision_flags(NULL) == 0);
  CHECK(deter_decision_has_message(NULL) == 0);
  CHECK(strcmp(deter_decision_category(NULL, &len), "") == 0 && len == 0);
  CHECK(strcmp(deter_decision_message_key(NULL, NULL), "") == 0);
  CHECK(strcmp(deter_decision_message_locale(NULL, NULL), "") == 0);
  CHECK(strcmp(deter_decision_message_title(NULL, NULL), "") == 0);
  CHECK(strcmp(deter_decision_message_body(NULL, NULL), "") == 0);
  CHECK(deter_decision_message_link_count(NULL) == 0);
  CHECK(deter_decision_message_link(NULL, 0, NULL) == NULL);
  CHECK(deter_decision_match_count(NULL) == 0);
  CHECK(deter_decision_suppressed_count(NULL) == 0);
  CHECK_STATUS(deter_decision_new(NULL), DETER_E_INVALID_ARGUMENT);
  deter_decision_free(NULL);
  deter_decision_free(d);
}

static void test_batch(const deter_filter_t* f) {
  enum { kRows = sizeof rows / sizeof rows[0] };
  const char* queries[kRows];
  size_t lens[kRows];
  deter_decision_t* ds[kRows];
  size_t i;
  const char* cstrings[2] = {"forbidden orchard", "plain words"};

  for (i = 0; i < kRows; ++i) {
    queries[i] = rows[i].query;
    lens[i] = rows[i].len;
    CHECK_STATUS(deter_decision_new(&ds[i]), DETER_OK);
  }
  CHECK_STATUS(deter_check_batch(f, queries, lens, kRows, NULL, ds), DETER_OK);
  for (i = 0; i < kRows; ++i) {
    if (deter_decision_action(ds[i]) != rows[i].action) {
      fprintf(stderr, "batch row %zu: action %d, want %d\n", i, deter_decision_action(ds[i]),
              rows[i].action);
      ++failures;
    }
  }
  /* lens NULL: NUL-terminated queries */
  CHECK_STATUS(deter_check_batch(f, cstrings, NULL, 2, NULL, ds), DETER_OK);
  CHECK(deter_decision_action(ds[0]) == DETER_ACTION_PROMPT);
  CHECK(deter_decision_action(ds[1]) == DETER_ACTION_ALLOW);

  CHECK_STATUS(deter_check_batch(f, NULL, NULL, 0, NULL, NULL), DETER_OK);
  CHECK_STATUS(deter_check_batch(NULL, queries, lens, kRows, NULL, ds), DETER_E_INVALID_ARGUMENT);
  CHECK_STATUS(deter_check_batch(f, NULL, lens, kRows, NULL, ds), DETER_E_INVALID_ARGUMENT);
  CHECK_STATUS(deter_check_batch(f, queries, lens, kRows, NULL, NULL), DETER_E_INVALID_ARGUMENT);
  /* one bad element fails the call before any decision changes */
  queries[1] = NULL;
  lens[1] = 3;
  CHECK_STATUS(deter_check_batch(f, cstrings, NULL, 1, NULL, ds + 1), DETER_OK);
  CHECK_STATUS(deter_check_batch(f, queries, lens, kRows, NULL, ds), DETER_E_INVALID_ARGUMENT);
  CHECK(deter_decision_action(ds[1]) == DETER_ACTION_PROMPT);
  queries[1] = rows[1].query;
  lens[1] = rows[1].len;
  {
    deter_decision_t* kept = ds[2];
    ds[2] = NULL;
    CHECK_STATUS(deter_check_batch(f, queries, lens, kRows, NULL, ds), DETER_E_INVALID_ARGUMENT);
    ds[2] = kept;
  }
  for (i = 0; i < kRows; ++i) deter_decision_free(ds[i]);
}

/* Typeahead: the partial decision of text typed so far, in every script of
 * the demo lists, and the suggestions it lets through. */
struct partial_row {
  const char* text;
  int action;
};

static const struct partial_row partial_rows[] = {
    {"forbidden orc", DETER_ACTION_PROMPT},
    {"where is the forbi", DETER_ACTION_PROMPT},
    {"\xe0\xa4\xb5\xe0\xa4\xb0\xe0\xa5\x8d\xe0\xa4\x9c\xe0\xa4\xbf",
     DETER_ACTION_PROMPT}, /* Hindi */
    {"\xe0\xa6\xa8\xe0\xa6\xbf\xe0\xa6\xb7\xe0\xa6\xbf\xe0\xa6\xa6\xe0\xa7\x8d"
     "\xe0\xa6\xa7 \xe0\xa6\xac\xe0\xa6\xbe",
     DETER_ACTION_PROMPT}, /* Bengali */
    {"\xe0\xb2\xa8\xe0\xb2\xbf\xe0\xb2\xb7\xe0\xb2\xbf\xe0\xb2\xa6\xe0\xb3\x8d"
     "\xe0\xb2\xa7 \xe0\xb2\xa4\xe0\xb3\x8b",
     DETER_ACTION_PROMPT}, /* Kannada */
    {"kebun terl", DETER_ACTION_PROMPT},
    {"varjit bag", DETER_ACTION_PROMPT},
    {"hidden lantern gu", DETER_ACTION_BLOCK},
    /* near misses: too short to head anywhere */
    {"for", DETER_ACTION_ALLOW},
    {"\xe0\xa4\xb5\xe0\xa4\xb0", DETER_ACTION_ALLOW},
    {"", DETER_ACTION_ALLOW},
};

static void test_typeahead(const deter_filter_t* f) {
  deter_decision_t* d = NULL;
  deter_check_options_t co;
  size_t i;
  const char* candidates[3] = {"forest walks", "forbidden orchard", "fort history"};
  const size_t lens[3] = {12, 17, 12};
  int shown[3] = {-1, -1, -1};
  size_t shown_count = 99;

  CHECK_STATUS(deter_decision_new(&d), DETER_OK);
  for (i = 0; i < sizeof partial_rows / sizeof partial_rows[0]; ++i) {
    const char* t = partial_rows[i].text;
    CHECK_STATUS(deter_check_partial(f, t, strlen(t), NULL, d), DETER_OK);
    if (deter_decision_action(d) != partial_rows[i].action) {
      fprintf(stderr, "partial row %zu: action %d, want %d\n", i, deter_decision_action(d),
              partial_rows[i].action);
      ++failures;
    }
  }
  /* the minimum length, through the options */
  deter_check_options_init(&co);
  co.min_partial_chars = 3;
  CHECK_STATUS(deter_check_partial(f, "for", 3, &co, d), DETER_OK);
  CHECK(deter_decision_action(d) == DETER_ACTION_PROMPT);
  /* a caller of the first deter_check_options_t gets the default minimum */
  co.struct_size = offsetof(deter_check_options_t, min_partial_chars);
  CHECK_STATUS(deter_check_partial(f, "for", 3, &co, d), DETER_OK);
  CHECK(deter_decision_action(d) == DETER_ACTION_ALLOW);

  CHECK_STATUS(
      deter_filter_suggestions(f, "for", 3, candidates, lens, 3, NULL, shown, &shown_count),
      DETER_OK);
  CHECK(shown[0] == 1 && shown[1] == 0 && shown[2] == 1);
  CHECK(shown_count == 2);
  /* NUL-terminated candidates; heading into an entry withholds them all */
  CHECK_STATUS(deter_filter_suggestions(f, "forbi", 5, candidates, NULL, 3, NULL, shown, NULL),
               DETER_OK);
  CHECK(shown[0] == 0 && shown[1] == 0 && shown[2] == 0);
  /* withhold_from block: a prompt, typed or suggested, is no longer withheld */
  deter_check_options_init(&co);
  co.withhold_from = DETER_ACTION_BLOCK;
  CHECK_STATUS(
      deter_filter_suggestions(f, "forbi", 5, candidates, lens, 3, &co, shown, &shown_count),
      DETER_OK);
  CHECK(shown[0] == 1 && shown[1] == 1 && shown[2] == 1 && shown_count == 3);
  CHECK_STATUS(deter_filter_suggestions(f, "for", 3, NULL, NULL, 0, NULL, NULL, &shown_count),
               DETER_OK);
  CHECK(shown_count == 0);

  /* bad arguments */
  CHECK_STATUS(deter_check_partial(NULL, "for", 3, NULL, d), DETER_E_INVALID_ARGUMENT);
  CHECK_STATUS(deter_check_partial(f, NULL, 3, NULL, d), DETER_E_INVALID_ARGUMENT);
  CHECK_STATUS(deter_check_partial(f, "for", 3, NULL, NULL), DETER_E_INVALID_ARGUMENT);
  CHECK_STATUS(deter_check_partial(f, NULL, 0, NULL, d), DETER_OK);
  co.withhold_from = 4;
  CHECK_STATUS(deter_check_partial(f, "for", 3, &co, d), DETER_E_INVALID_ARGUMENT);
  co.withhold_from = -1;
  CHECK_STATUS(deter_filter_suggestions(f, "for", 3, candidates, lens, 3, &co, shown, NULL),
               DETER_E_INVALID_ARGUMENT);
  co.struct_size = 1;
  CHECK_STATUS(deter_check_partial(f, "for", 3, &co, d), DETER_E_INVALID_ARGUMENT);
  CHECK_STATUS(deter_filter_suggestions(NULL, "for", 3, candidates, lens, 3, NULL, shown, NULL),
               DETER_E_INVALID_ARGUMENT);
  CHECK_STATUS(deter_filter_suggestions(f, NULL, 3, candidates, lens, 3, NULL, shown, NULL),
               DETER_E_INVALID_ARGUMENT);
  CHECK_STATUS(deter_filter_suggestions(f, "for", 3, NULL, lens, 3, NULL, shown, NULL),
               DETER_E_INVALID_ARGUMENT);
  CHECK_STATUS(deter_filter_suggestions(f, "for", 3, candidates, lens, 3, NULL, NULL, NULL),
               DETER_E_INVALID_ARGUMENT);
  {
    const char* with_null[2] = {"forest walks", NULL};
    const size_t null_lens[2] = {12, 4};
    CHECK_STATUS(
        deter_filter_suggestions(f, "for", 3, with_null, null_lens, 2, NULL, shown, &shown_count),
        DETER_E_INVALID_ARGUMENT);
    CHECK(shown_count == 0);
  }
  deter_decision_free(d);
}

/* Writes one list file; returns 0 on failure. */
static int write_list(const char* dir, const char* phrase) {
  char path[1024];
  FILE* out;
  snprintf(path, sizeof path, "%s/t.list", dir);
  out = fopen(path, "w");
  if (out == NULL) return 0;
  fprintf(out, "! deter-list 1\n! name: t\n! category: demo\n%s\n", phrase);
  return fclose(out) == 0;
}

/* The first published deter_filter_options_t: a program built against that
 * header passes this layout, with its own sizeof as struct_size. */
struct filter_options_v1 {
  size_t struct_size;
  uint32_t views;
  size_t max_query_bytes;
  size_t max_list_bytes;
  size_t max_entries;
  size_t max_entry_bytes;
};

/* Every deter::FilterOptions field is reachable from C, and a caller of the
 * first struct version still works (with defaults for the newer fields). */
static void test_filter_options_v2(const char* scratch) {
  static const char list[] =
      "! deter-list 1\n! name: t\n! category: demo\nquiet harbour\n/lantern[0-9]{3,}/\n";
  deter_source_t src;
  deter_filter_t* f = (deter_filter_t*)&f;
  deter_filter_options_t fo;
  struct filter_options_v1 v1;
  char cache[1024];
  char compiled[2048];
  DIR* dir;
  struct dirent* de;
  int cached = 0;

  src.name = "t.list";
  src.data = list;
  src.size = sizeof list - 1;

  /* regex limits: no regex allowed, or a regex cost bound of 1 */
  deter_filter_options_init(&fo);
  fo.max_regexes = 0;
  CHECK_STATUS(deter_filter_from_sources(&src, 1, &fo, &f), DETER_E_LIMIT);
  CHECK(f == NULL);
  deter_filter_options_init(&fo);
  fo.max_regex_cost = 1;
  CHECK_STATUS(deter_filter_from_sources(&src, 1, &fo, &f), DETER_E_COMPILE);
  deter_filter_options_init(&fo);
  fo.max_regex_bytes = 4;
  CHECK(deter_filter_from_sources(&src, 1, &fo, &f) != DETER_OK);
  deter_filter_options_init(&fo);
  fo.max_examples = 0;
  fo.max_regex_depth = 0;
  fo.max_regex_total_cost = 1;
  CHECK(deter_filter_from_sources(&src, 1, &fo, &f) != DETER_OK);
  {
    /* a rule of two parts under a bound of one part */
    static const char rule[] = "! deter-list 1\nquiet & harbour\n";
    deter_source_t rs;
    rs.name = "r.list";
    rs.data = rule;
    rs.size = sizeof rule - 1;
    deter_filter_options_init(&fo);
    CHECK(fo.max_rule_parts == 64);
    CHECK(fo.max_list_files == 1000);
    CHECK(fo.max_list_set_bytes == (size_t)256 << 20);
    fo.max_rule_parts = 1;
    CHECK_STATUS(deter_filter_from_sources(&rs, 1, &fo, &f), DETER_E_LIMIT);
  }

  /* the first struct version: the newer fields keep their defaults */
  memset(&v1, 0, sizeof v1);
  v1.struct_size = sizeof v1;
  v1.views = DETER_VIEWS_ALL;
  v1.max_query_bytes = 4096;
  v1.max_list_bytes = 1u << 20;
  v1.max_entries = 100;
  v1.max_entry_bytes = 100;
  CHECK_STATUS(deter_filter_from_sources(&src, 1, (const deter_filter_options_t*)(void*)&v1, &f),
               DETER_OK);
  CHECK(deter_filter_entry_count(f) == 2);
  deter_filter_free(f);
  v1.max_entries = 1; /* and its own fields are read */
  CHECK_STATUS(deter_filter_from_sources(&src, 1, (const deter_filter_options_t*)(void*)&v1, &f),
               DETER_E_LIMIT);

  /* fail settings out of range */
  deter_filter_options_init(&fo);
  fo.on_internal_error = 2;
  CHECK_STATUS(deter_filter_from_sources(&src, 1, &fo, &f), DETER_E_INVALID_ARGUMENT);
  fo.on_internal_error = -1;
  CHECK_STATUS(deter_filter_from_sources(&src, 1, &fo, &f), DETER_E_INVALID_ARGUMENT);
  deter_filter_options_init(&fo);
  fo.fail_closed_action = DETER_ACTION_BLOCK + 1;
  CHECK_STATUS(deter_filter_from_sources(&src, 1, &fo, &f), DETER_E_INVALID_ARGUMENT);
  fo.fail_closed_action = -1;
  CHECK_STATUS(deter_filter_from_sources(&src, 1, &fo, &f), DETER_E_INVALID_ARGUMENT);
  CHECK(f == NULL);

  /* cache_dir: opening a list directory writes its compiled database there */
  mkdir(scratch, 0755);
  CHECK(write_list(scratch, "quiet harbour"));
  snprintf(cache, sizeof cache, "%s-cache", scratch);
  mkdir(cache, 0700);
  /* an earlier run's files (perhaps of an older format) are not this run's */
  dir = opendir(cache);
  while (dir != NULL && (de = readdir(dir)) != NULL) {
    if (de->d_name[0] == '.') continue;
    snprintf(compiled, sizeof compiled, "%s/%s", cache, de->d_name);
    unlink(compiled);
  }
  if (dir != NULL) closedir(dir);
  deter_filter_options_init(&fo);
  fo.cache_dir = cache;
  CHECK_STATUS(deter_filter_open(scratch, &fo, &f), DETER_OK);
  deter_filter_free(f);
  dir = opendir(cache);
  CHECK(dir != NULL);
  while (dir != NULL && (de = readdir(dir)) != NULL) {
    if (de->d_name[0] == '.' || strstr(de->d_name, ".deterdb") == NULL) continue;
    ++cached;
    snprintf(compiled, sizeof compiled, "%s/%s", cache, de->d_name);
  }
  if (dir != NULL) closedir(dir);
  CHECK(cached >= 1);

  /* max_compiled_bytes and trusted_keys reach the reader of compiled files:
     the cached database is too large for 64 bytes, and it is not signed */
  if (cached >= 1) {
    static const char* const keys[] = {
        "deter-ed25519-public "
        "0000000000000000000000000000000000000000000000000000000000000000\n"};
    deter_filter_options_init(&fo);
    CHECK(fo.max_compiled_bytes == (size_t)1 << 30);
    CHECK(fo.trusted_keys == NULL && fo.trusted_key_count == 0);
    fo.max_compiled_bytes = 64;
    CHECK_STATUS(deter_filter_open(compiled, &fo, &f), DETER_E_LIMIT);
    deter_filter_options_init(&fo);
    fo.trusted_keys = keys;
    fo.trusted_key_count = 1;
    CHECK_STATUS(deter_filter_open(compiled, &fo, &f), DETER_E_UNTRUSTED);
    CHECK(f == NULL);
    fo.trusted_keys = NULL;
    CHECK_STATUS(deter_filter_open(compiled, &fo, &f), DETER_E_INVALID_ARGUMENT);
  }
}

/* A service answers by its fail mode while it has no list set. */
static void test_service_fail_mode(const char* scratch, const char* broken_dir) {
  deter_service_t* s = (deter_service_t*)&s;
  deter_filter_t* pinned = (deter_filter_t*)&pinned;
  deter_decision_t* d = NULL;
  deter_filter_options_t fo;
  deter_match_t m;

  CHECK_STATUS(deter_decision_new(&d), DETER_OK);
  CHECK(write_list(scratch, "quiet harbour"));

  /* fail open (the default): allow, flagged */
  CHECK_STATUS(deter_service_new_empty(NULL, &s), DETER_OK);
  CHECK(deter_service_generation(s) == 0);
  CHECK_STATUS(deter_service_check(s, Q("quiet harbour"), NULL, d), DETER_OK);
  CHECK(deter_decision_action(d) == DETER_ACTION_ALLOW);
  CHECK(deter_decision_flags(d) == DETER_FLAG_NO_LIST);
  CHECK(deter_decision_match_count(d) == 0);
  CHECK_STATUS(deter_service_filter(s, &pinned), DETER_E_NO_LIST);
  CHECK(pinned == NULL);
  /* no directory to reload yet */
  CHECK_STATUS(deter_service_reload(s, NULL), DETER_E_INVALID_ARGUMENT);
  /* a broken first list set leaves it failing as configured */
  CHECK_STATUS(deter_service_reload(s, broken_dir), DETER_E_INVALID_ENTRY);
  CHECK(deter_service_generation(s) == 0);
  CHECK_STATUS(deter_service_reload(s, NULL), DETER_E_INVALID_ARGUMENT);
  CHECK_STATUS(deter_service_check(s, Q("quiet harbour"), NULL, d), DETER_OK);
  CHECK(deter_decision_flags(d) == DETER_FLAG_NO_LIST);
  /* the first good list set ends it */
  CHECK_STATUS(deter_service_reload(s, scratch), DETER_OK);
  CHECK(deter_service_generation(s) == 1);
  CHECK_STATUS(deter_service_check(s, Q("quiet harbour"), NULL, d), DETER_OK);
  CHECK(deter_decision_action(d) == DETER_ACTION_PROMPT);
  CHECK(deter_decision_flags(d) == 0);
  m.struct_size = sizeof m;
  CHECK_STATUS(deter_decision_match(d, 0, &m), DETER_OK);
  CHECK(strcmp(m.entry_id, "t.list:4") == 0);
  CHECK_STATUS(deter_service_reload(s, NULL), DETER_OK);
  CHECK(deter_service_generation(s) == 2);
  CHECK_STATUS(deter_service_filter(s, &pinned), DETER_OK);
  CHECK(deter_filter_entry_count(pinned) == 1);
  deter_filter_free(pinned);
  deter_service_free(s);

  /* fail closed with block */
  deter_filter_options_init(&fo);
  fo.on_internal_error = DETER_FAIL_CLOSED;
  fo.fail_closed_action = DETER_ACTION_BLOCK;
  CHECK_STATUS(deter_service_new_empty(&fo, &s), DETER_OK);
  CHECK_STATUS(deter_service_check(s, Q("plain words"), NULL, d), DETER_OK);
  CHECK(deter_decision_action(d) == DETER_ACTION_BLOCK);
  CHECK(deter_decision_flags(d) == DETER_FLAG_NO_LIST);
  CHECK(deter_decision_match_count(d) == 0);
  CHECK(!deter_decision_has_message(d));
  CHECK_STATUS(deter_service_reload(s, scratch), DETER_OK);
  CHECK_STATUS(deter_service_check(s, Q("plain words"), NULL, d), DETER_OK);
  CHECK(deter_decision_action(d) == DETER_ACTION_ALLOW);
  CHECK(deter_decision_flags(d) == 0);
  deter_service_free(s);

  /* a service with a list set takes the same options */
  CHECK_STATUS(deter_service_new(scratch, &fo, &s), DETER_OK);
  CHECK_STATUS(deter_service_check(s, Q("plain words"), NULL, d), DETER_OK);
  CHECK(deter_decision_action(d) == DETER_ACTION_ALLOW);
  deter_service_free(s);

  /* bad arguments */
  s = (deter_service_t*)&s;
  CHECK_STATUS(deter_service_new_empty(NULL, NULL), DETER_E_INVALID_ARGUMENT);
  fo.struct_size = 3;
  CHECK_STATUS(deter_service_new_empty(&fo, &s), DETER_E_INVALID_ARGUMENT);
  CHECK(s == NULL);
  CHECK_STATUS(deter_service_new(scratch, &fo, &s), DETER_E_INVALID_ARGUMENT);
  CHECK(s == NULL);
  deter_decision_free(d);
}

static void test_service(const char* scratch, const char* broken_dir) {
  deter_service_t* s = (deter_service_t*)&s;
  deter_decision_t* d = NULL;
  deter_filter_t* pinned = NULL;

  mkdir(scratch, 0755);
  CHECK(write_list(scratch, "quiet harbour"));
  CHECK_STATUS(deter_service_new(NULL, NULL, &s), DETER_E_INVALID_ARGUMENT);
  CHECK(s == NULL);
  CHECK_STATUS(deter_service_new(scratch, NULL, NULL), DETER_E_INVALID_ARGUMENT);
  CHECK_STATUS(deter_service_new(broken_dir, NULL, &s), DETER_E_INVALID_ENTRY);
  CHECK(s == NULL);
  CHECK_STATUS(deter_service_new(scratch, NULL, &s), DETER_OK);
  CHECK(deter_service_generation(s) == 1);
  CHECK_STATUS(deter_decision_new(&d), DETER_OK);
  CHECK_STATUS(deter_service_check(s, Q("quiet harbour"), NULL, d), DETER_OK);
  CHECK(deter_decision_action(d) == DETER_ACTION_PROMPT);
  CHECK_STATUS(deter_service_filter(s, &pinned), DETER_OK);

  /* a new list version replaces the old one */
  CHECK(write_list(scratch, "amber lighthouse"));
  CHECK_STATUS(deter_service_reload(s, NULL), DETER_OK);
  CHECK(deter_service_generation(s) == 2);
  CHECK_STATUS(deter_service_check(s, Q("quiet harbour"), NULL, d), DETER_OK);
  CHECK(deter_decision_action(d) == DETER_ACTION_ALLOW);
  CHECK_STATUS(deter_service_check(s, Q("amber lighthouse"), NULL, d), DETER_OK);
  CHECK(deter_decision_action(d) == DETER_ACTION_PROMPT);
  /* the filter taken before the reload still answers with its version */
  CHECK_STATUS(deter_check(pinned, Q("quiet harbour"), NULL, d), DETER_OK);
  CHECK(deter_decision_action(d) == DETER_ACTION_PROMPT);

  /* a broken reload keeps the previous version serving */
  CHECK_STATUS(deter_service_reload(s, broken_dir), DETER_E_INVALID_ENTRY);
  CHECK(strncmp(deter_last_error(), "bad.list:4:", 11) == 0);
  CHECK(deter_service_generation(s) == 2);
  CHECK_STATUS(deter_service_check(s, Q("amber lighthouse"), NULL, d), DETER_OK);
  CHECK(deter_decision_action(d) == DETER_ACTION_PROMPT);

  deter_filter_free(pinned);
  CHECK_STATUS(deter_service_reload(NULL, NULL), DETER_E_INVALID_ARGUMENT);
  CHECK_STATUS(deter_service_check(NULL, Q("x"), NULL, d), DETER_E_INVALID_ARGUMENT);
  CHECK_STATUS(deter_service_check(s, Q("x"), NULL, NULL), DETER_E_INVALID_ARGUMENT);
  CHECK_STATUS(deter_service_filter(NULL, &pinned), DETER_E_INVALID_ARGUMENT);
  CHECK(pinned == NULL);
  CHECK_STATUS(deter_service_filter(s, NULL), DETER_E_INVALID_ARGUMENT);
  CHECK(deter_service_generation(NULL) == 0);
  deter_service_free(s);
  deter_service_free(NULL);
  deter_decision_free(d);
}

/* Checks from two threads while the main thread reloads: every check must
 * see one whole list version or the other (run this under TSan too). */
struct checker {
  deter_service_t* service;
  int bad;
};

static void* check_loop(void* arg) {
  struct checker* c = arg;
  deter_decision_t* d = NULL;
  deter_match_t m;
  int i;
  if (deter_decision_new(&d) != DETER_OK) {
    c->bad = 1;
    return NULL;
  }
  for (i = 0; i < 3000; ++i) {
    const char* q = (i & 1) ? "amber lighthouse" : "quiet harbour";
    if (deter_service_check(c->service, q, strlen(q), NULL, d) != DETER_OK) ++c->bad;
    if (deter_decision_action(d) == DETER_ACTION_PROMPT) {
      m.struct_size = sizeof m;
      if (deter_decision_match(d, 0, &m) != DETER_OK || strcmp(m.entry_id, "t.list:4") != 0) {
        ++c->bad;
      }
    } else if (deter_decision_action(d) != DETER_ACTION_ALLOW) {
      ++c->bad;
    }
  }
  deter_decision_free(d);
  return NULL;
}

static void test_service_concurrent(const char* scratch) {
  deter_service_t* s = NULL;
  struct checker checkers[2];
  pthread_t threads[2];
  int i;
  CHECK(write_list(scratch, "quiet harbour"));
  CHECK_STATUS(deter_service_new(scratch, NULL, &s), DETER_OK);
  if (s == NULL) return;
  for (i = 0; i < 2; ++i) {
    checkers[i].service = s;
    checkers[i].bad = 0;
    CHECK(pthread_create(&threads[i], NULL, check_loop, &checkers[i]) == 0);
  }
  for (i = 0; i < 6; ++i) {
    CHECK(write_list(scratch, (i & 1) ? "quiet harbour" : "amber lighthouse"));
    CHECK_STATUS(deter_service_reload(s, NULL), DETER_OK);
  }
  for (i = 0; i < 2; ++i) {
    pthread_join(threads[i], NULL);
    CHECK(checkers[i].bad == 0);
  }
  CHECK(deter_service_generation(s) == 7);
  deter_service_free(s);
}

/* The first published deter_match_t: a program built against that header
 * passes this layout, with its own sizeof as struct_size. */
struct match_v1 {
  size_t struct_size;
  const char* entry_id;
  size_t entry_id_len;
  uint32_t entry_index;
  const char* category;
  size_t category_len;
  int action;
  int severity;
  int view;
  size_t begin;
  size_t end;
  const char* suppressed_by;
  size_t suppressed_by_len;
};

/* deter_match_t.folds: the chain of folds that led to a match, as
 * deter::Match::folds and `deter explain` have it. */
static void test_match_folds(const deter_filter_t* f) {
  static const struct {
    const char* query;
    uint32_t folds;
  } rows[] = {
      {"forbidden orchard", 1u << DETER_VIEW_BASE},
      {"f0rbidden orchard", 1u << DETER_VIEW_LEET},
      {"f0rbbbidden 0rchard", 1u << DETER_VIEW_LEET | 1u << DETER_VIEW_SQUEEZE},
      {"v\xD0\xB0rj33t bag!cha",
       1u << DETER_VIEW_HOMOGLYPH | 1u << DETER_VIEW_LEET | 1u << DETER_VIEW_PHONETIC},
      {"h i d d 3 n lantern guild", 1u << DETER_VIEW_SPACED | 1u << DETER_VIEW_LEET},
  };
  deter_decision_t* d = NULL;
  deter_match_t m;
  struct match_v1 v1;
  size_t i;
  CHECK_STATUS(deter_decision_new(&d), DETER_OK);
  for (i = 0; i < sizeof rows / sizeof rows[0]; ++i) {
    CHECK_STATUS(deter_check(f, rows[i].query, strlen(rows[i].query), NULL, d), DETER_OK);
    CHECK(deter_decision_match_count(d) >= 1);
    memset(&m, 0, sizeof m);
    m.struct_size = sizeof m;
    CHECK_STATUS(deter_decision_match(d, 0, &m), DETER_OK);
    if (m.folds != rows[i].folds) {
      fprintf(stderr, "folds of '%s': 0x%x, want 0x%x\n", rows[i].query, (unsigned)m.folds,
              (unsigned)rows[i].folds);
      ++failures;
    }
    CHECK((m.folds & (1u << m.view)) != 0); /* the view found it: it is in the chain */
  }
  /* a caller of the first version gets every field it knows, and no folds */
  memset(&v1, 0xAB, sizeof v1);
  v1.struct_size = sizeof v1;
  CHECK_STATUS(deter_check(f, "f0rbidden orchard", 17, NULL, d), DETER_OK);
  CHECK_STATUS(deter_decision_match(d, 0, (deter_match_t*)(void*)&v1), DETER_OK);
  CHECK(v1.view == DETER_VIEW_LEET && v1.begin == 0 && v1.end == 17);
  CHECK(strcmp(v1.suppressed_by, "") == 0 && v1.suppressed_by_len == 0);
  deter_decision_free(d);
}

int main(int argc, char** argv) {
  deter_filter_t* demo = NULL;
  if (argc != 4) {
    fprintf(stderr, "usage: c_api_test <demo list dir> <broken list dir> <scratch dir>\n");
    return 2;
  }
  CHECK(strcmp(deter_last_error(), "") == 0);
  CHECK(deter_last_error_location(NULL, NULL, NULL) == DETER_OK);
  test_static_strings();
  test_options_init();
  test_open_errors(argv[2]);
  test_from_sources();
  if (deter_filter_open(argv[1], NULL, &demo) != DETER_OK) {
    fprintf(stderr, "cannot open %s: %s\n", argv[1], deter_last_error());
    return 1;
  }
  CHECK(deter_filter_entry_count(demo) > 10);
  test_decisions(demo);
  test_match_folds(demo);
  test_batch(demo);
  test_typeahead(demo);
  deter_filter_free(demo);
  test_service(argv[3], argv[2]);
  test_service_concurrent(argv[3]);
  test_filter_options_v2(argv[3]);
  test_service_fail_mode(argv[3], argv[2]);
  if (failures != 0) {
    fprintf(stderr, "%d failure(s)\n", failures);
    return 1;
  }
  printf("c_api_test: all checks passed\n");
  return 0;
}
