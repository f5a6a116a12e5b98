#pragma once

#include <string>

#include "common/cache/lookup_cache.h"
#include "common/server/call.h"
#include "common/store/schema.h"
#include "common/store/store.h"
#include "metrocap/membership/v1/membership.grpc.pb.h"

namespace metrocap::bench {

// The read paths the benchmark compares, chosen per call by the "x-bench-path" header.
inline constexpr char kPathHeader[] = "x-bench-path";

// GetOrganisation as the membership service serves it (Serve: authentication, one log line,
// the status mapping; CheckName; a read-only transaction; DecodeRecord), with the read
// path chosen per call:
//   noop      nothing read: the cost of the RPC itself
//   local     the in-process layer of the cache (a hit)
//   redis     the cache with no in-process layer: a Redis GET (a hit)
//   sqlite    the SQLite store, no cache
//   postgres  the PostgreSQL store, no cache
class BenchMembershipService final : public membership::v1::MembershipService::Service {
 public:
  struct Paths {
    store::Store* sqlite = nullptr;
    store::Store* postgres = nullptr;  // may be null: path refused
    cache::LookupCache* local = nullptr;
    cache::LookupCache* redis = nullptr;  // may be null: path refused
    const store::ResourceSchema* organisations = nullptr;
  };
  BenchMembershipService(server::CallEnv env, Paths paths) : env_(std::move(env)), paths_(paths) {}

  grpc::Status GetOrganisation(grpc::ServerContext* context,
                               const membership::v1::GetOrganisationRequest* request,
                               membership::v1::Organisation* response) override;

 private:
  const server::CallEnv env_;
  const Paths paths_;
};

}  // namespace metrocap::bench
