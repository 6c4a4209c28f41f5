/* A C program built against an installed deter with pkg-config only.
 * Usage: consumer_c LIST_DIR; prints "consumer: <action> <entry id>". */
#include <deter/deter.h>
#include <stdio.h>
#include <string.h>

int main(int argc, char** argv) {
  static const char query[] = "a forbidden orchard walk";
  deter_filter_t* filter = NULL;
  deter_decision_t* decision = NULL;
  deter_match_t match;
  int rc = 1;
  if (argc != 2) return 2;
  if (deter_filter_open(argv[1], NULL, &filter) != DETER_OK ||
      deter_decision_new(&decision) != DETER_OK) {
    fprintf(stderr, "%s\n", deter_last_error());
    deter_filter_free(filter);
    return 1;
  }
  match.struct_size = sizeof match;
  if (deter_check(filter, query, strlen(query), NULL, decision) == DETER_OK &&
      deter_decision_match(decision, 0, &match) == DETER_OK) {
    printf("consumer: %s %s (deter %s)\n", deter_action_string(deter_decision_action(decision)),
           match.entry_id, deter_version());
    rc = 0;
  }
  deter_decision_free(decision);
  deter_filter_free(filter);
  return rc;
}
