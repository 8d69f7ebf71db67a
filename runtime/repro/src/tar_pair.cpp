#include "tar_pair.h"

#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <optional>
#include <system_error>
#include <thread>
#include <vector>

namespace cleanroom::repro::detail {

namespace {

constexpr std::size_t kBatchMembers = 64;
constexpr std::size_t kBatchBytes = 1u << 20;
constexpr std::size_t kBatchesAhead = 2;  // per side, waiting to be matched

// One tar read on its own thread, its members queued in batches. Destroying it
// stops the reading at the next batch and joins the thread.
class TarThread {
 public:
  TarThread(std::string_view data, const std::string& name, TarMemberMaker make) {
    thread_ = std::thread([this, data, name, make] { run(data, name, make); });
  }
  ~TarThread() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stopped_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }
  TarThread(const TarThread&) = delete;
  TarThread& operator=(const TarThread&) = delete;

  // The next batch; false once every member has been handed over.
  bool next(std::vector<Member>& batch) {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return !ready_.empty() || done_; });
    if (ready_.empty()) return false;
    batch = std::move(ready_.front());
    ready_.pop_front();
    cv_.notify_all();
    return true;
  }
  // After next() returned false: what ended the reading early, if anything.
  std::exception_ptr error() {
    std::lock_guard<std::mutex> lock(mu_);
    return error_;
  }

 private:
  struct Stopped {};

  void run(std::string_view data, const std::string& name, TarMemberMaker make) {
    std::exception_ptr error;
    try {
      std::vector<Member> batch;
      std::size_t bytes = 0;
      formats::stream_tar_memory(data, name, [&](const formats::TarEntry& e, const auto& read) {
        batch.push_back(make(e, read));
        bytes += batch.back().owned.size();
        if (batch.size() < kBatchMembers && bytes < kBatchBytes) return;
        hand_over(batch);
        bytes = 0;
      });
      hand_over(batch);
    } catch (const Stopped&) {
    } catch (...) {
      error = std::current_exception();
    }
    {
      std::lock_guard<std::mutex> lock(mu_);
      error_ = error;
      done_ = true;
    }
    cv_.notify_all();
  }

  void hand_over(std::vector<Member>& batch) {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return ready_.size() < kBatchesAhead || stopped_; });
    if (stopped_) throw Stopped{};
    ready_.push_back(std::move(batch));
    batch.clear();
    cv_.notify_all();
  }

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::vector<Member>> ready_;
  bool done_ = false, stopped_ = false;
  std::exception_ptr error_;
  std::thread thread_;  // last: started once everything above exists
};

void read_serially(std::string_view data, const std::string& name, TarMemberMaker make,
                   int side, MemberMatcher& matcher) {
  formats::stream_tar_memory(data, name, [&](const formats::TarEntry& e, const auto& read) {
    matcher.add(side, make(e, read));
  });
}

}  // namespace

void read_tar_pair(std::string_view a, const std::string& name_a, std::string_view b,
                   const std::string& name_b, TarMemberMaker make, bool concurrent,
                   MemberMatcher& matcher) {
  std::optional<TarThread> threads[2];
  if (concurrent) {
    try {
      threads[0].emplace(a, name_a, make);
      threads[1].emplace(b, name_b, make);
    } catch (const std::system_error&) {  // no thread to be had: read them in turn
      threads[1].reset();
      threads[0].reset();
    }
  }
  if (!threads[1]) {
    read_serially(a, name_a, make, 0, matcher);
    read_serially(b, name_b, make, 1, matcher);
    return;
  }
  // Take from the side that is behind, so matching pairs meet early and are
  // dropped; an A that failed decides the error, whatever B still holds.
  bool more[2] = {true, true};
  std::vector<Member> batch;
  while (more[0] || more[1]) {
    int side = !more[1] || (more[0] && matcher.seen(0) <= matcher.seen(1)) ? 0 : 1;
    more[side] = threads[side]->next(batch);
    for (Member& m : batch) matcher.add(side, std::move(m));
    batch.clear();
    if (!more[0] && threads[0]->error()) break;
  }
  for (auto& t : threads)
    if (std::exception_ptr error = t->error()) std::rethrow_exception(error);
}

}  // namespace cleanroom::repro::detail
