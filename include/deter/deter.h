/* deter: the C API.
 *
 * A stable C interface over the C++ library (deter/filter.h), for services
 * written in any language that can call C. No C++ exception ever crosses it:
 * every function that can fail returns a deter_status_t and records a
 * message for the calling thread (deter_last_error()).
 *
 *   deter_filter_t* filter = NULL;
 *   if (deter_filter_open("lists/demo", NULL, &filter) != DETER_OK) {
 *     fprintf(stderr, "%s\n", deter_last_error());   // "hi.list:12:5: ..."
 *     return 1;
 *   }
 *   deter_decision_t* decision = NULL;
 *   deter_decision_new(&decision);                    // one per thread, reused
 *   deter_check(filter, query, query_len, NULL, decision);
 *   if (deter_decision_action(decision) >= DETER_ACTION_PROMPT) ...
 *   deter_decision_free(decision);
 *   deter_filter_free(filter);
 *
 * Conventions
 * - Handles are opaque. Every deter_x_new/open has a deter_x_free that
 *   accepts NULL.
 * - Option structs begin with `struct_size`; fill them with the matching
 *   deter_x_options_init(), which sets the size and every default, then
 *   change the fields you need. Passing NULL means "all defaults". Fields
 *   are only ever appended, so a program compiled against an older header
 *   keeps working with a newer library.
 * - Output structs (deter_match_t) also begin with `struct_size`; set it to
 *   sizeof the struct before the call. The library fills only that many
 *   bytes.
 * - Strings returned by the library are NUL-terminated UTF-8, also given
 *   with their length where a `size_t* len` parameter is offered (pass NULL
 *   if not needed). Their lifetime is stated with each function.
 * - Queries are (pointer, length) byte strings: any bytes are valid,
 *   including invalid UTF-8 and embedded NULs. Spans are byte offsets.
 *
 * Threads: a deter_filter_t is immutable and may be used by any number of
 * threads at once; so may a deter_service_t. A deter_decision_t belongs to
 * one thread at a time (keep one per worker thread and reuse it).
 */
#ifndef DETER_DETER_H_
#define DETER_DETER_H_

#include <stddef.h>
#include <stdint.h>

#include "deter/export.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The library version this header describes; deter_version() gives the
 * version of the library actually linked. */
#define DETER_VERSION_MAJOR 0
#define DETER_VERSION_MINOR 1
#define DETER_VERSION_PATCH 0

/* ---- Status codes and errors ------------------------------------------ */

/* Every fallible function returns one of the DETER_* status codes below. */
typedef int deter_status_t;

enum {
  DETER_OK = 0,
  /* NULL where a value is required, a bad struct_size, an index out of range */
  DETER_E_INVALID_ARGUMENT = 1,
  /* a file or directory could not be read */
  DETER_E_IO = 2,
  /* a list or messages file is malformed */
  DETER_E_SYNTAX = 3,
  /* an entry is empty, too long or otherwise unusable */
  DETER_E_INVALID_ENTRY = 4,
  /* the pattern compiler refused an entry */
  DETER_E_COMPILE = 5,
  /* a configured bound (file size, entry count) was exceeded */
  DETER_E_LIMIT = 6,
  /* a compiled database is damaged */
  DETER_E_CORRUPT = 7,
  /* an allocation failed */
  DETER_E_NO_MEMORY = 8,
  /* an unexpected failure inside the library */
  DETER_E_INTERNAL = 9,
  /* a compiled database is unsigned or its signature is not trusted */
  DETER_E_UNTRUSTED = 10,
  /* a service has no list set yet (deter_service_new_empty, no reload succeeded) */
  DETER_E_NO_LIST = 11
};

/* The calling thread's message for the last call that failed, e.g.
 * "hi.list:12:5: unknown action 'shout'". Like errno, successful calls leave
 * it unchanged. Valid until the next failing call on this thread; never NULL
 * ("" before any failure). */
DETER_EXPORT const char* deter_last_error(void);

/* The place of the last error on this thread: file name (never NULL; "" when
 * the error has no place), line and column counting from 1 (0 when unknown).
 * Any pointer may be NULL. Returns the status code of that error, or
 * DETER_OK before any failure. The file string lives as long as
 * deter_last_error()'s. */
DETER_EXPORT deter_status_t deter_last_error_location(const char** file, uint32_t* line,
                                                      uint32_t* column);

/* A short constant name for a status code ("ok", "invalid argument", ...). */
DETER_EXPORT const char* deter_status_string(deter_status_t status);

/* "0.1.0": the version of the linked library. Static storage. */
DETER_EXPORT const char* deter_version(void);

/* ---- Actions, views, flags -------------------------------------------- */

/* What the service should do with the query. Ordered: higher wins. */
typedef enum deter_action {
  DETER_ACTION_ALLOW = 0,  /* answer normally */
  DETER_ACTION_INFORM = 1, /* answer normally, with a notice above the results */
  DETER_ACTION_PROMPT = 2, /* show the deterrence prompt instead of results */
  DETER_ACTION_BLOCK = 3   /* show no results at all */
} deter_action_t;

/* "allow", "inform", "prompt", "block", or "unknown". Static storage. */
DETER_EXPORT const char* deter_action_string(int action);

/* A view is one normalization of the query; deter/filter.h documents each. */
typedef enum deter_view {
  DETER_VIEW_BASE = 0,
  DETER_VIEW_LEET = 1,
  DETER_VIEW_SQUEEZE = 2,
  DETER_VIEW_SPACED = 3,
  DETER_VIEW_JOINED = 4,
  DETER_VIEW_HOMOGLYPH = 5,
  DETER_VIEW_PHONETIC = 6,
  DETER_VIEW_FUZZY = 7
} deter_view_t;

/* A set of views as a bit mask: bit i is view i. */
#define DETER_VIEWS_ALL 0xFFu

/* "base", "leet", ..., or "unknown". Static storage. */
DETER_EXPORT const char* deter_view_string(int view);

/* Flags describing the query itself (deter_decision_flags). */
enum {
  DETER_FLAG_TRUNCATED = 1u << 0,      /* longer than max_query_bytes; the rest was not checked */
  DETER_FLAG_INVALID_UTF8 = 1u << 1,   /* held invalid UTF-8, treated as separators */
  DETER_FLAG_NO_LIST = 1u << 2,        /* no list was loaded; the fail mode answered */
  DETER_FLAG_INTERNAL_ERROR = 1u << 3, /* an unexpected failure; the fail mode answered */
  DETER_FLAG_CAPPED = 1u << 4          /* a bound on matches was reached; the decision leans
                                          toward the highest action seen */
};

/* What to answer when a check cannot be made: no list set is loaded
 * (DETER_FLAG_NO_LIST) or scanning failed (DETER_FLAG_INTERNAL_ERROR). The
 * flag is set either way, so it can be counted and alerted on. */
typedef enum deter_fail_mode {
  DETER_FAIL_OPEN = 0,  /* allow the query: search keeps working, unprotected */
  DETER_FAIL_CLOSED = 1 /* answer fail_closed_action, with no matches and no message */
} deter_fail_mode_t;

/* ---- Options ---------------------------------------------------------- */

/* Options fixed when a filter is built: every field of deter::FilterOptions
 * (deter/filter.h documents each bound), under the same names.
 *
 *   field                 default    meaning
 *   views                 ALL        views compiled and scanned, DETER_VIEWS_ALL or a mask of
 *                                    1u << DETER_VIEW_x (base is always on: 0 means base only)
 *   max_query_bytes       4096       longer queries are checked on their first part and flagged
 *   max_list_bytes        64 MiB     a list file larger than this is refused
 *   max_entries           1000000    a list set with more entries is refused
 *   max_entry_bytes       16000      a longer entry is refused
 *   --- version 2 (every field below; older callers get the defaults) ---
 *   max_examples          200000     a list set with more match:/no-match: lines is refused
 *   max_regexes           10000      a list set with more /regex/ patterns is refused
 *   max_regex_bytes       1000       a longer regex is refused
 *   max_regex_depth       32         a regex with groups nested deeper is refused
 *   max_regex_cost        512        a regex whose estimated compile cost is higher is refused
 *   max_regex_total_cost  20000      a list set whose regexes cost more in total is refused
 *   max_rule_parts        64         a rule ("a & b & !c") with more parts is refused
 *   max_list_files        1000       a list directory with more files is refused
 *   max_list_set_bytes    256 MiB    a list directory whose files hold more bytes is refused
 *   max_compiled_bytes    1 GiB      a compiled database larger than this is refused unread
 *   on_internal_error     OPEN       deter_fail_mode_t: what a check that fails answers; a
 *                                    service also answers it while it has no list set
 *   fail_closed_action    PROMPT     deter_action_t that DETER_FAIL_CLOSED answers
 *   cache_dir             NULL       NUL-terminated directory where deter_filter_open of a list
 *                                    directory keeps compiled databases; NULL or "": none
 *   trusted_keys          NULL       trusted_key_count public keys (the text of a .pub file of
 *   trusted_key_count     0          `deter keygen`, NUL-terminated); when any is given, a
 *                                    compiled database must be signed by one of them
 *                                    (`deter compile --sign`) or is refused (DETER_E_UNTRUSTED)
 *
 * The struct only grows at its end. struct_size tells the library which
 * fields the caller knows: a program built against the first version (the
 * fields up to max_entry_bytes) keeps working, with defaults for the rest. */
typedef struct deter_filter_options {
  size_t struct_size; /* sizeof(deter_filter_options_t), set by deter_filter_options_init */
  uint32_t views;
  size_t max_query_bytes;
  size_t max_list_bytes;
  size_t max_entries;
  size_t max_entry_bytes;
  /* version 2 */
  size_t max_examples;
  size_t max_regexes;
  size_t max_regex_bytes;
  size_t max_regex_depth;
  size_t max_regex_cost;
  size_t max_regex_total_cost;
  size_t max_rule_parts;
  size_t max_list_files;
  size_t max_list_set_bytes;
  size_t max_compiled_bytes;
  int on_internal_error;  /* deter_fail_mode_t */
  int fail_closed_action; /* deter_action_t */
  const char* cache_dir;
  const char* const* trusted_keys;
  size_t trusted_key_count;
} deter_filter_options_t;

/* Sets struct_size and every default. Does nothing when opts is NULL. */
DETER_EXPORT void deter_filter_options_init(deter_filter_options_t* opts);

/* Options for one check.
 *
 *   field    default  meaning
 *   locale   NULL     BCP 47 locale of the user ("hi-IN", "bn"), NUL-terminated;
 *                     chooses the message language. NULL or "": the script of
 *                     the matched text, else the list language, else English.
 *   explain  0        nonzero: also report the matches that exceptions
 *                     suppressed (deter_decision_suppressed). For tools.
 *   --- version 2 (typeahead: deter_check_partial, deter_filter_suggestions) ---
 *   min_partial_chars  5       the text typed toward an entry (its last word, and
 *                              the entry's earlier words before it) counts from this
 *                              many characters (code points, spaces left out)
 *   withhold_from      INFORM  deter_action_t: deter_filter_suggestions withholds a
 *                              candidate whose decision is at least this, and every
 *                              candidate while the typed text's partial decision is
 * CheckOptions in deter/filter.h documents both.
 */
typedef struct deter_check_options {
  size_t struct_size; /* sizeof(deter_check_options_t), set by deter_check_options_init */
  const char* locale;
  int explain;
  /* version 2 */
  size_t min_partial_chars;
  int withhold_from; /* deter_action_t */
} deter_check_options_t;

/* Sets struct_size and every default. Does nothing when opts is NULL. */
DETER_EXPORT void deter_check_options_init(deter_check_options_t* opts);

/* ---- Filters ---------------------------------------------------------- */

/* A compiled list set. Immutable; safe for concurrent use by any number of
 * threads. */
typedef struct deter_filter deter_filter_t;

/* Parses and compiles the list set in `dir` (every *.list file plus an
 * optional messages.toml). On success stores a new filter in *out; on
 * failure stores NULL (when out is not NULL) and sets the error, whose
 * location names file:line:col. opts may be NULL. */
DETER_EXPORT deter_status_t deter_filter_open(const char* dir, const deter_filter_options_t* opts,
                                              deter_filter_t** out);

/* One in-memory file of a list set. Names ending in ".toml" are message
 * files; all others are lists. */
typedef struct deter_source {
  const char* name; /* NUL-terminated file name, used in entry ids and errors */
  const char* data; /* contents; may be NULL when size is 0 */
  size_t size;
} deter_source_t;

/* Like deter_filter_open, from `count` in-memory files. The library copies
 * what it needs; the sources may be freed after the call. */
DETER_EXPORT deter_status_t deter_filter_from_sources(const deter_source_t* sources, size_t count,
                                                      const deter_filter_options_t* opts,
                                                      deter_filter_t** out);

/* Frees a filter. NULL is allowed. Decisions made with it stay valid. */
DETER_EXPORT void deter_filter_free(deter_filter_t* filter);

/* The number of entries in the list set; 0 for NULL. */
DETER_EXPORT size_t deter_filter_entry_count(const deter_filter_t* filter);

/* Hex digest of the list set's sources (equal sources, equal digests).
 * Valid while the filter lives; "" for NULL. */
DETER_EXPORT const char* deter_filter_content_hash(const deter_filter_t* filter);

/* ---- Decisions -------------------------------------------------------- */

/* The answer for one query. Caller-owned and reused across checks: a check
 * overwrites it, and the hot path (no match) allocates nothing. */
typedef struct deter_decision deter_decision_t;

/* Stores a new, empty (allow) decision in *out. */
DETER_EXPORT deter_status_t deter_decision_new(deter_decision_t** out);

/* Frees a decision. NULL is allowed. */
DETER_EXPORT void deter_decision_free(deter_decision_t* decision);

/* Decides one query of `len` bytes (any bytes; query may be NULL when len is
 * 0) into `decision`. opts may be NULL. Fails only on bad arguments; the
 * decision itself never fails. */
DETER_EXPORT deter_status_t deter_check(const deter_filter_t* filter, const char* query, size_t len,
                                        const deter_check_options_t* opts,
                                        deter_decision_t* decision);

/* Decides `count` queries: queries[i] of lens[i] bytes into decisions[i].
 * lens may be NULL, then every query is NUL-terminated. Each decisions[i]
 * must be a distinct decision from deter_decision_new. */
DETER_EXPORT deter_status_t deter_check_batch(const deter_filter_t* filter,
                                              const char* const* queries, const size_t* lens,
                                              size_t count, const deter_check_options_t* opts,
                                              deter_decision_t* const* decisions);

/* Typeahead (Filter::check_partial in deter/filter.h). Decides `text` (of
 * `len` bytes) as it would be decided with its last word typed out: at least
 * what deter_check answers, and more when the end of the text begins an
 * entry (the entry's earlier words typed in full, its next word begun, at
 * least min_partial_chars characters). Above allow: the text is heading into
 * a listed term; suggest nothing that leads on from it. opts may be NULL. */
DETER_EXPORT deter_status_t deter_check_partial(const deter_filter_t* filter, const char* text,
                                                size_t len, const deter_check_options_t* opts,
                                                deter_decision_t* decision);

/* Which of `count` suggested completions of `typed` may be shown:
 * shown[i] is set to 1 for candidates[i] (of lens[i] bytes; lens may be
 * NULL, then every candidate is NUL-terminated) when it may be shown, else
 * 0. Every shown[i] is 0 while the typed text's partial decision is at
 * least opts->withhold_from; else a candidate is shown when its own
 * decision (as a full query) is below it. *shown_count (may be NULL)
 * receives how many were set to 1. One call per keystroke; a candidate
 * costs one deter_check. opts may be NULL. */
DETER_EXPORT deter_status_t deter_filter_suggestions(const deter_filter_t* filter,
                                                     const char* typed, size_t typed_len,
                                                     const char* const* candidates,
                                                     const size_t* lens, size_t count,
                                                     const deter_check_options_t* opts, int* shown,
                                                     size_t* shown_count);

/* Accessors. Every string returned below is valid until the decision is
 * checked into again or freed (the decision keeps the list version it came
 * from alive, even after deter_filter_free or a service reload). A NULL
 * decision reads as an empty allow decision. */

/* The winning action (deter_action_t). */
DETER_EXPORT int deter_decision_action(const deter_decision_t* decision);
/* Category of the winning match; "" when allowed. */
DETER_EXPORT const char* deter_decision_category(const deter_decision_t* decision, size_t* len);
/* Severity of the winning match; 0 when allowed. */
DETER_EXPORT int deter_decision_severity(const deter_decision_t* decision);
/* DETER_FLAG_* bits describing the query. */
DETER_EXPORT uint32_t deter_decision_flags(const deter_decision_t* decision);

/* Nonzero when the decision carries a localized message. */
DETER_EXPORT int deter_decision_has_message(const deter_decision_t* decision);
/* The message's key ("prompt.default"), locale ("hi"), title and body; ""
 * when there is no message. */
DETER_EXPORT const char* deter_decision_message_key(const deter_decision_t* decision, size_t* len);
DETER_EXPORT const char* deter_decision_message_locale(const deter_decision_t* decision,
                                                       size_t* len);
DETER_EXPORT const char* deter_decision_message_title(const deter_decision_t* decision,
                                                      size_t* len);
DETER_EXPORT const char* deter_decision_message_body(const deter_decision_t* decision, size_t* len);
/* Help links of the message: count, then each; NULL when i is out of range. */
DETER_EXPORT size_t deter_decision_message_link_count(const deter_decision_t* decision);
DETER_EXPORT const char* deter_decision_message_link(const deter_decision_t* decision, size_t i,
                                                     size_t* len);

/* One list entry that matched. Strings follow the decision's lifetime. */
typedef struct deter_match {
  size_t struct_size;   /* set to sizeof(deter_match_t) before the call */
  const char* entry_id; /* "en.list:13": file name and line of the entry */
  size_t entry_id_len;
  uint32_t entry_index; /* the entry's index in the list set (load order) */
  const char* category;
  size_t category_len;
  int action; /* deter_action_t of the entry */
  int severity;
  int view;                  /* deter_view_t in which it was found */
  size_t begin;              /* byte span [begin, end) in the query as given, */
  size_t end;                /* on UTF-8 character boundaries */
  const char* suppressed_by; /* suppressed matches: the exception's id; else "" */
  size_t suppressed_by_len;
  /* version 2 (a caller built against version 1 gets the fields above) */
  uint32_t folds; /* the folds that led to the match, a mask of 1u << DETER_VIEW_x:
                   * 1u << view for most matches; a composed reading has several,
                   * applied in the order spaced, homoglyph, leet, squeeze, then
                   * phonetic ("v4rj33t" with a Cyrillic a: homoglyph, leet, phonetic) */
} deter_match_t;

/* Unsuppressed matches, ordered by begin. */
DETER_EXPORT size_t deter_decision_match_count(const deter_decision_t* decision);
DETER_EXPORT deter_status_t deter_decision_match(const deter_decision_t* decision, size_t i,
                                                 deter_match_t* out);

/* Matches an exception removed (only with deter_check_options_t.explain). */
DETER_EXPORT size_t deter_decision_suppressed_count(const deter_decision_t* decision);
DETER_EXPORT deter_status_t deter_decision_suppressed(const deter_decision_t* decision, size_t i,
                                                      deter_match_t* out);

/* ---- Services: a filter that can be reloaded -------------------------- */

/* A list directory served while it changes: checks use the current filter;
 * deter_service_reload compiles the directory again and swaps the new
 * filter in only if it loaded, so a broken list never stops the service.
 * Safe for concurrent checks and reloads from any threads. */
typedef struct deter_service deter_service_t;

/* Loads `dir` (as deter_filter_open) and stores a new service in *out. */
DETER_EXPORT deter_status_t deter_service_new(const char* dir, const deter_filter_options_t* opts,
                                              deter_service_t** out);

/* Stores a new service with no list set in *out: until a reload succeeds
 * (deter_service_reload with a directory), every check answers by
 * opts->on_internal_error and fail_closed_action, flagged
 * DETER_FLAG_NO_LIST. For a service that must start, and fail as
 * configured, while its lists are missing or broken. opts may be NULL
 * (fail open); it also applies to every reload. */
DETER_EXPORT deter_status_t deter_service_new_empty(const deter_filter_options_t* opts,
                                                    deter_service_t** out);

/* Frees a service. NULL is allowed. Filters acquired from it stay valid. */
DETER_EXPORT void deter_service_free(deter_service_t* service);

/* Compiles the service's directory again, or `dir` instead when not NULL
 * (it then becomes the service's directory). On success the new list set
 * serves every later check; on failure the previous one keeps serving and
 * the error (with file:line:col) is set. Checks running meanwhile are not
 * blocked. A service from deter_service_new_empty has no directory until
 * one is given: dir NULL is then DETER_E_INVALID_ARGUMENT. */
DETER_EXPORT deter_status_t deter_service_reload(deter_service_t* service, const char* dir);

/* deter_check against the service's current filter. With no list set yet,
 * the decision is the fail mode's (DETER_FLAG_NO_LIST set). Never blocks:
 * no lock and no reference count is taken unless a reload happened since
 * this thread's last check of this service. */
DETER_EXPORT deter_status_t deter_service_check(const deter_service_t* service, const char* query,
                                                size_t len, const deter_check_options_t* opts,
                                                deter_decision_t* decision);

/* Stores the current filter in *out, a reference of its own: free it with
 * deter_filter_free. Use it for a batch that must see one list version.
 * DETER_E_NO_LIST (and *out NULL) while the service has no list set. */
DETER_EXPORT deter_status_t deter_service_filter(const deter_service_t* service,
                                                 deter_filter_t** out);

/* How many times the list set was loaded: 1 after deter_service_new (0
 * after deter_service_new_empty), plus one per successful reload; 0 for
 * NULL. */
DETER_EXPORT uint64_t deter_service_generation(const deter_service_t* service);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* DETER_DETER_H_ */
