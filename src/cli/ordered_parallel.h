// Runs work on batches of input on several threads and hands the results on
// in input order: the reading thread also writes, workers only compute.
// `deter check -j N` uses it so that output lines follow input lines.
#ifndef DETER_CLI_ORDERED_PARALLEL_H_
#define DETER_CLI_ORDERED_PARALLEL_H_

#include <condition_variable>
#include <cstdint>
#include <exception>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace deter::cli {

// read(Batch&) fills the next batch and returns false at the end of input;
// work(worker, Batch&, Result&) computes a result (worker is 0..threads-1);
// write(Batch&, Result&) consumes results in the order the batches were read.
// With threads <= 1 everything runs on the calling thread. At most
// 2 * threads batches are in flight, so memory stays bounded. An exception
// from read, work or write (std::bad_alloc) stops the workers, joins them
// and is rethrown on the calling thread, as it would be without threads.
template <class Batch, class Result, class Read, class Work, class Write>
void run_ordered(int threads, Read&& read, Work&& work, Write&& write) {
  if (threads <= 1) {
    Batch batch;
    Result result;
    while (read(batch)) {
      work(0, batch, result);
      write(batch, result);
    }
    return;
  }
  struct Slot {
    Batch batch;
    Result result;
    bool done = false;
    std::exception_ptr error;  // thrown by work(), rethrown when the slot is written
  };
  const std::uint64_t capacity = 2 * static_cast<std::uint64_t>(threads);
  std::vector<Slot> slots(capacity);
  std::mutex mutex;
  std::condition_variable has_work;
  std::condition_variable has_done;
  std::uint64_t next_read = 0;  // slots below this hold read batches
  std::uint64_t next_work = 0;  // the next batch a worker takes
  bool end_of_input = false;
  bool stopped = false;  // an exception on the calling thread: workers leave now

  std::vector<std::thread> workers;
  auto worker = [&](int w) {
    for (;;) {
      std::uint64_t index;
      {
        std::unique_lock lock(mutex);
        has_work.wait(lock, [&] { return next_work < next_read || end_of_input; });
        if (stopped || next_work == next_read) return;  // end of input, nothing left
        index = next_work++;
      }
      Slot& slot = slots[index % capacity];
      try {
        work(w, slot.batch, slot.result);
      } catch (...) {
        slot.error = std::current_exception();
      }
      {
        std::lock_guard lock(mutex);
        slot.done = true;
      }
      has_done.notify_all();
    }
  };

  std::uint64_t next_write = 0;
  auto write_oldest = [&] {
    Slot& slot = slots[next_write % capacity];
    {
      std::unique_lock lock(mutex);
      has_done.wait(lock, [&] { return slot.done; });
      slot.done = false;
    }
    if (slot.error) std::rethrow_exception(std::exchange(slot.error, nullptr));
    write(slot.batch, slot.result);
    ++next_write;
  };
  try {
    for (int w = 0; w < threads; ++w) workers.emplace_back(worker, w);
    for (;;) {
      if (next_read - next_write == capacity) {
        write_oldest();
        continue;
      }
      // Workers never touch a slot at or beyond next_read: safe without the lock.
      bool more = read(slots[next_read % capacity].batch);
      {
        std::lock_guard lock(mutex);
        if (more) {
          ++next_read;
        } else {
          end_of_input = true;
        }
      }
      if (!more) {
        has_work.notify_all();
        break;
      }
      has_work.notify_one();
    }
    while (next_write < next_read) write_oldest();
  } catch (...) {
    {
      std::lock_guard lock(mutex);
      end_of_input = true;
      stopped = true;
    }
    has_work.notify_all();
    for (std::thread& t : workers) t.join();
    throw;
  }
  for (std::thread& t : workers) t.join();
}

}  // namespace deter::cli

#endif  // DETER_CLI_ORDERED_PARALLEL_H_
