// A minimal search-service integration in C++: load the lists once, check
// every request, and reload the lists on SIGHUP without pausing requests.
//
//   example_service_cpp lists/demo < queries.txt
//   kill -HUP <pid>      # after editing lists/demo
//
// Requests are lines on stdin; each answer is one line on stdout:
// "<action>\t<category>\t<entry ids>". Like the library, the service never
// writes the query itself anywhere.
#include <deter/filter.h>
#include <deter/reloader.h>
#include <pthread.h>
#include <signal.h>

#include <iostream>
#include <string>
#include <thread>

namespace {

// The list version serving requests. A request finishes on the version it
// started with; the reload thread swaps in a new version only once it has
// compiled completely.
deter::Reloader current;

// Waits for SIGHUP (reload) or SIGTERM (stop). Runs on its own thread, so
// compiling a new list set never delays a request.
void reload_loop(const std::string& directory) {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGHUP);
  sigaddset(&signals, SIGTERM);
  for (;;) {
    int signal = 0;
    if (sigwait(&signals, &signal) != 0 || signal == SIGTERM) return;
    deter::Result<std::uint64_t> version = current.reload(directory);
    if (!version) {  // a broken list: the previous version keeps serving
      std::cerr << "reload failed, keeping the previous lists: " << version.error().to_string()
                << "\n";
      continue;
    }
    std::cerr << "reloaded " << directory << "\n";
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: " << argv[0] << " LIST_DIR < queries\n";
    return 2;
  }
  const std::string directory = argv[1];
  deter::Result<deter::Filter> opened = deter::Filter::open(directory);
  if (!opened) {
    std::cerr << opened.error().to_string() << "\n";
    return 1;
  }
  current.swap(std::move(opened).value());

  // Block the signals in every thread; the reload thread takes them with sigwait.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGHUP);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::thread reloader(reload_loop, directory);

  std::string request;
  std::string answer;
  while (std::getline(std::cin, request)) {
    deter::Decision d = current.check(request);
    answer.assign(deter::to_string(d.action));
    answer += '\t';
    answer += d.category;
    answer += '\t';
    for (std::size_t i = 0; i < d.matches.size(); ++i) {
      if (i > 0) answer += ',';
      answer += d.matches[i].entry_id;
    }
    std::cout << answer << std::endl;  // answer now, not when the buffer fills
  }

  kill(getpid(), SIGTERM);  // stops the reload thread (SIGTERM is blocked everywhere)
  reloader.join();
  return 0;
}
