/* A minimal search-service integration in C: load the lists once, check
 * every request, and reload the lists on SIGHUP without pausing requests.
 *
 *   example_service_c lists/demo < queries.txt
 *   kill -HUP <pid>      # after editing lists/demo
 *
 * Requests are lines on stdin; each answer is one line on stdout:
 * "<action>\t<category>\t<entry ids>". The query itself is never written. */
#define _POSIX_C_SOURCE 200809L

#include <deter/deter.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

/* Waits for SIGHUP (reload) or SIGTERM (stop). deter_service_reload swaps
 * the new lists in only if they load; checks never wait for it. */
static void* reload_loop(void* arg) {
  deter_service_t* service = arg;
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGHUP);
  sigaddset(&signals, SIGTERM);
  for (;;) {
    int signal = 0;
    if (sigwait(&signals, &signal) != 0 || signal == SIGTERM) return NULL;
    if (deter_service_reload(service, NULL) != DETER_OK) {
      fprintf(stderr, "reload failed, keeping the previous lists: %s\n", deter_last_error());
    } else {
      fprintf(stderr, "reloaded (generation %llu)\n",
              (unsigned long long)deter_service_generation(service));
    }
  }
}

int main(int argc, char** argv) {
  deter_service_t* service = NULL;
  deter_decision_t* decision = NULL;
  deter_match_t match;
  sigset_t signals;
  pthread_t reloader;
  char* line = NULL;
  size_t capacity = 0;
  ssize_t len;

  if (argc != 2) {
    fprintf(stderr, "usage: %s LIST_DIR < queries\n", argv[0]);
    return 2;
  }
  if (deter_service_new(argv[1], NULL, &service) != DETER_OK) {
    fprintf(stderr, "%s\n", deter_last_error());
    return 1;
  }
  if (deter_decision_new(&decision) != DETER_OK) { /* one per thread, reused */
    fprintf(stderr, "%s\n", deter_last_error());
    deter_service_free(service);
    return 1;
  }

  sigemptyset(&signals);
  sigaddset(&signals, SIGHUP);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, NULL);
  if (pthread_create(&reloader, NULL, reload_loop, service) != 0) {
    fprintf(stderr, "cannot start the reload thread\n");
    return 1;
  }

  while ((len = getline(&line, &capacity, stdin)) >= 0) {
    size_t n = (size_t)len, i;
    if (n > 0 && line[n - 1] == '\n') --n;
    if (deter_service_check(service, line, n, NULL, decision) != DETER_OK) {
      fprintf(stderr, "%s\n", deter_last_error());
      continue;
    }
    printf("%s\t%s\t", deter_action_string(deter_decision_action(decision)),
           deter_decision_category(decision, NULL));
    for (i = 0; i < deter_decision_match_count(decision); ++i) {
      match.struct_size = sizeof match;
      if (deter_decision_match(decision, i, &match) == DETER_OK) {
        printf("%s%s", i > 0 ? "," : "", match.entry_id);
      }
    }
    printf("\n");
    fflush(stdout); /* answer now, not when the buffer fills */
  }

  kill(getpid(), SIGTERM); /* stops the reload thread */
  pthread_join(reloader, NULL);
  free(line);
  deter_decision_free(decision);
  deter_service_free(service);
  return 0;
}
