#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "prometheus/counter.h"
#include "prometheus/family.h"
#include "prometheus/histogram.h"
#include "prometheus/labels.h"

// Per-series handles over prometheus-cpp (Debian's prometheus-cpp-dev). A request path keeps
// a handle and records with it: an atomic add and a histogram bucket, never a label map
// built, hashed and looked up the way prometheus::Family::Add does it.
namespace metrocap::metrics {

// Upper bounds (seconds) of every latency histogram the suite exports.
const prometheus::Histogram::BucketBoundaries& LatencyBuckets();

// One series' counters split by a status code (gRPC codes 0..16, HTTP statuses): each code's
// counter is created the first time that code is counted, so the exposition lists only codes
// that happened. Counting is lock-free. Thread-safe.
class CodeCounters {
 public:
  // Counters of `family` labelled `labels` plus `code_label` = `code_name(code)`, for codes
  // in [first_code, first_code + size); a code outside counts as the last one.
  CodeCounters(prometheus::Family<prometheus::Counter>& family, prometheus::Labels labels,
               std::string code_label, int first_code, int size,
               std::string (*code_name)(int code));

  void Increment(int code);

 private:
  prometheus::Family<prometheus::Counter>& family_;
  const prometheus::Labels labels_;
  const std::string code_label_;
  const int first_code_;
  const int size_;
  std::string (*const code_name_)(int);
  std::unique_ptr<std::atomic<prometheus::Counter*>[]> counters_;
};

// "OK", "NOT_FOUND"...: the name of a gRPC status code (an absl::StatusCode as int).
std::string GrpcCodeName(int code);
// "200", "404"...: an HTTP status.
std::string HttpCodeName(int code);

// Handles found by a name (a method, a route), each made once, on first use, and kept for
// the life of the table. Lookups take no lock: they read an immutable map behind an atomic
// pointer. A new name copies the map under a mutex, which happens once per name (the names
// are a service's methods or the gateway's routes, a bounded set). Thread-safe.
template <typename Series>
class HandleTable {
 public:
  HandleTable() {
    maps_.push_back(std::make_unique<Map>());
    current_.store(maps_.back().get(), std::memory_order_release);
  }

  // The handle for `name`, made by `make(name)` (returning std::unique_ptr<Series>) the
  // first time.
  template <typename Make>
  Series& Get(absl::string_view name, Make make) {
    const Map* map = current_.load(std::memory_order_acquire);
    if (auto it = map->find(name); it != map->end()) return *it->second;
    absl::MutexLock lock(&mu_);
    map = current_.load(std::memory_order_acquire);
    if (auto it = map->find(name); it != map->end()) return *it->second;
    series_.push_back(make(name));
    auto next = std::make_unique<Map>(*map);
    next->emplace(std::string(name), series_.back().get());
    current_.store(next.get(), std::memory_order_release);
    // Readers may still hold an older map: every version lives as long as the table.
    maps_.push_back(std::move(next));
    return *series_.back();
  }

 private:
  using Map = absl::flat_hash_map<std::string, Series*>;
  std::atomic<const Map*> current_{nullptr};
  absl::Mutex mu_;
  std::vector<std::unique_ptr<Series>> series_ ABSL_GUARDED_BY(mu_);
  std::vector<std::unique_ptr<Map>> maps_ ABSL_GUARDED_BY(mu_);
};

}  // namespace metrocap::metrics
