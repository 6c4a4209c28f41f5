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
#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <iostream>
#include <memory>
#include <string>
#include <thread>

namespace {

// The list version serving requests. Requests take a reference (cheap);
// the reload thread swaps in a new version only once it has loaded.
std::atomic<std::shared_ptr<const deter::Filter>> current;

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
    deter::Result<deter::Filter> next = deter::Filter::open(directory);
    if (!next) {  // a broken list: keep serving the previous version
      std::cerr << "reload failed, keeping the previous lists: " << next.error().to_string()
                << "\n";
      continue;
    }
    current.store(std::make_shared<const deter::Filter>(std::move(next).value()));
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
  current.store(std::make_shared<const deter::Filter>(std::move(opened).value()));

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
    std::shared_ptr<const deter::Filter> filter = current.load();
    deter::Decision d = filter->check(request);
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
