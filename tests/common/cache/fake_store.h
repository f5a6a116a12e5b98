#pragma once

#include <atomic>
#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"

namespace metrocap::cache::testing {

// The source of truth behind a cache in tests: values by key, and how often they were
// loaded. Load() can be held at a gate to line up concurrent misses.
class FakeStore {
 public:
  void Set(const std::string& key, const std::string& value) {
    absl::MutexLock lock(&mu_);
    values_[key] = value;
  }
  void Erase(const std::string& key) {
    absl::MutexLock lock(&mu_);
    values_.erase(key);
  }
  absl::StatusOr<std::string> Load(const std::string& key) {
    ++loads_;
    if (absl::Notification* gate = gate_.load()) gate->WaitForNotification();
    absl::MutexLock lock(&mu_);
    auto it = values_.find(key);
    if (it == values_.end()) return absl::NotFoundError(absl::StrCat(key, " does not exist"));
    return it->second;
  }
  // The loader GetOrLoad takes, for `key`.
  auto Loader(const std::string& key) {
    return [this, key]() { return Load(key); };
  }
  int loads() const { return loads_; }
  // Loads wait for `gate` (not owned) until it is notified; nullptr opens it for good.
  void HoldLoadsAt(absl::Notification* gate) { gate_ = gate; }

 private:
  absl::Mutex mu_;
  std::map<std::string, std::string> values_ ABSL_GUARDED_BY(mu_);
  std::atomic<int> loads_{0};
  std::atomic<absl::Notification*> gate_{nullptr};
};

}  // namespace metrocap::cache::testing
