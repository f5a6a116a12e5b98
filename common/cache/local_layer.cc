#include "common/cache/local_layer.h"

namespace metrocap::cache {

absl::optional<std::string> LocalLayer::Get(absl::string_view key, absl::Time now) {
  auto it = index_.find(std::string(key));
  if (it == index_.end()) return absl::nullopt;
  if (it->second->expires <= now) {
    entries_.erase(it->second);
    index_.erase(it);
    return absl::nullopt;
  }
  entries_.splice(entries_.begin(), entries_, it->second);
  return it->second->value;
}

bool LocalLayer::Contains(absl::string_view key, absl::Time now) const {
  auto it = index_.find(std::string(key));
  return it != index_.end() && it->second->expires > now;
}

void LocalLayer::Put(absl::string_view key, std::string value, absl::Time expires) {
  if (capacity_ == 0) return;
  std::string k(key);
  auto it = index_.find(k);
  if (it != index_.end()) {
    it->second->value = std::move(value);
    it->second->expires = expires;
    entries_.splice(entries_.begin(), entries_, it->second);
    return;
  }
  entries_.push_front(Entry{k, std::move(value), expires});
  index_.emplace(std::move(k), entries_.begin());
  if (index_.size() > capacity_) {
    index_.erase(entries_.back().key);
    entries_.pop_back();
  }
}

void LocalLayer::Erase(absl::string_view key) {
  auto it = index_.find(std::string(key));
  if (it == index_.end()) return;
  entries_.erase(it->second);
  index_.erase(it);
}

void LocalLayer::Clear() {
  entries_.clear();
  index_.clear();
}

}  // namespace metrocap::cache
