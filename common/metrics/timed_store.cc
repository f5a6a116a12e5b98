#include "common/metrics/timed_store.h"

#include "absl/time/clock.h"
#include "common/metrics/series.h"

namespace metrocap::metrics {

// A transaction that records its lifetime in one of the store's histograms when it commits
// or is dropped (rolled back).
class TimedStore::Timed final : public store::Transaction {
 public:
  Timed(std::unique_ptr<store::Transaction> tx, prometheus::Histogram* committed,
        prometheus::Histogram* rolled_back)
      : tx_(std::move(tx)), committed_(committed), rolled_back_(rolled_back) {}
  ~Timed() override {
    if (!done_) rolled_back_->Observe(absl::ToDoubleSeconds(absl::Now() - start_));
  }

  absl::StatusOr<store::Record> Get(const store::ResourceSchema& schema,
                                    absl::string_view name) override {
    return tx_->Get(schema, name);
  }
  absl::StatusOr<store::Record> Insert(const store::ResourceSchema& schema, absl::string_view name,
                                       const google::protobuf::Message& message) override {
    return tx_->Insert(schema, name, message);
  }
  absl::StatusOr<store::Record> Update(const store::ResourceSchema& schema, absl::string_view name,
                                       const google::protobuf::Message& message,
                                       int64_t expected_version) override {
    return tx_->Update(schema, name, message, expected_version);
  }
  absl::Status Delete(const store::ResourceSchema& schema, absl::string_view name,
                      int64_t expected_version) override {
    return tx_->Delete(schema, name, expected_version);
  }
  absl::StatusOr<store::ListResult> List(const store::ResourceSchema& schema,
                                         const store::ListQuery& query) override {
    return tx_->List(schema, query);
  }
  absl::StatusOr<int64_t> Count(const store::ResourceSchema& schema, absl::string_view parent,
                                const query::Condition& filter) override {
    return tx_->Count(schema, parent, filter);
  }
  absl::StatusOr<std::vector<Row>> Select(absl::string_view text,
                                          const std::vector<store::SqlValue>& params) override {
    return tx_->Select(text, params);
  }
  absl::Status AddCounts(const store::CounterSchema& counter,
                         const std::vector<store::SqlValue>& keys,
                         const std::vector<int64_t>& deltas) override {
    return tx_->AddCounts(counter, keys, deltas);
  }
  absl::StatusOr<absl::optional<RecordedRequest>> FindRequest(
      absl::string_view caller, absl::string_view request_id) override {
    return tx_->FindRequest(caller, request_id);
  }
  absl::Status RecordRequest(absl::string_view caller, absl::string_view request_id,
                             absl::string_view request_fingerprint,
                             absl::string_view response) override {
    return tx_->RecordRequest(caller, request_id, request_fingerprint, response);
  }
  absl::Status Commit() override {
    absl::Status status = tx_->Commit();
    if (status.ok()) {
      done_ = true;
      committed_->Observe(absl::ToDoubleSeconds(absl::Now() - start_));
    }
    return status;
  }

 private:
  std::unique_ptr<store::Transaction> tx_;
  prometheus::Histogram* const committed_;
  prometheus::Histogram* const rolled_back_;
  const absl::Time start_ = absl::Now();
  bool done_ = false;
};

TimedStore::TimedStore(std::unique_ptr<store::Store> store, prometheus::Registry& registry)
    : store_(std::move(store)) {
  auto& family = prometheus::BuildHistogram()
                     .Name("metrocap_store_transaction_seconds")
                     .Help("Store transactions from begin to commit or rollback, by access.")
                     .Register(registry);
  for (int write : {0, 1}) {
    for (int committed : {0, 1}) {
      latency_[write][committed] = &family.Add(
          {{"access", write ? "write" : "read"}, {"outcome", committed ? "commit" : "rollback"}},
          LatencyBuckets());
    }
  }
}

absl::Status TimedStore::Migrate(const std::vector<const store::ResourceSchema*>& schemas) {
  return store_->Migrate(schemas);
}

absl::StatusOr<std::unique_ptr<store::Transaction>> TimedStore::Begin(Access access) {
  absl::StatusOr<std::unique_ptr<store::Transaction>> tx = store_->Begin(access);
  if (!tx.ok()) return tx;
  const int write = access == Access::kReadWrite ? 1 : 0;
  return std::unique_ptr<store::Transaction>(
      new Timed(*std::move(tx), latency_[write][1], latency_[write][0]));
}

}  // namespace metrocap::metrics
