#pragma once

#include <list>
#include <string>
#include <unordered_map>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/optional.h"

namespace metrocap::cache {

// The small in-process layer in front of Redis: at most `capacity` values, least recently
// used evicted first, each expiring at its own time. Not thread-safe (LookupCache locks).
class LocalLayer {
 public:
  explicit LocalLayer(size_t capacity) : capacity_(capacity) {}

  // The live value for `key`, marked as just used; nullopt when absent or expired.
  absl::optional<std::string> Get(absl::string_view key, absl::Time now);
  // Whether a live value for `key` is held (without marking it used).
  bool Contains(absl::string_view key, absl::Time now) const;
  void Put(absl::string_view key, std::string value, absl::Time expires);
  void Erase(absl::string_view key);
  void Clear();
  size_t size() const { return index_.size(); }

 private:
  struct Entry {
    std::string key;
    std::string value;
    absl::Time expires;
  };
  const size_t capacity_;
  std::list<Entry> entries_;  // most recently used first
  std::unordered_map<std::string, std::list<Entry>::iterator> index_;
};

}  // namespace metrocap::cache
