#include "common/metrics/series.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/status/errors.h"

namespace metrocap::metrics {

const prometheus::Histogram::BucketBoundaries& LatencyBuckets() {
  static const auto* const buckets = new prometheus::Histogram::BucketBoundaries{
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
  return *buckets;
}

std::string GrpcCodeName(int code) { return CodeName(static_cast<absl::StatusCode>(code)); }

std::string HttpCodeName(int code) { return absl::StrCat(code); }

CodeCounters::CodeCounters(prometheus::Family<prometheus::Counter>& family,
                           prometheus::Labels labels, std::string code_label, int first_code,
                           int size, std::string (*code_name)(int))
    : family_(family),
      labels_(std::move(labels)),
      code_label_(std::move(code_label)),
      first_code_(first_code),
      size_(size),
      code_name_(code_name),
      counters_(new std::atomic<prometheus::Counter*>[size]()) {}

void CodeCounters::Increment(int code) {
  const int index = std::clamp(code - first_code_, 0, size_ - 1);
  prometheus::Counter* counter = counters_[index].load(std::memory_order_acquire);
  if (counter == nullptr) {
    // Family::Add returns the existing series for the same labels, so two threads meeting a
    // new code at once store the same pointer.
    prometheus::Labels labels = labels_;
    labels[code_label_] = code_name_(first_code_ + index);
    counter = &family_.Add(labels);
    counters_[index].store(counter, std::memory_order_release);
  }
  counter->Increment();
}

}  // namespace metrocap::metrics
