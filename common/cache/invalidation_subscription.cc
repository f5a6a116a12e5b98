#include "common/cache/invalidation_subscription.h"

#include "common/cache/lookup_cache.h"

namespace metrocap::cache {

InvalidationSubscription::InvalidationSubscription(CacheClient* client, std::string cache,
                                                   Handler handler)
    : client_(client), cache_(std::move(cache)), handler_(std::move(handler)) {}

InvalidationSubscription::~InvalidationSubscription() { client_->Unsubscribe(this); }

void InvalidationSubscription::CatchUp() { client_->DrainInvalidations(); }

bool InvalidationSubscription::Trusted() const { return client_->LocalLayerTrusted(); }

int64_t InvalidationSubscription::TrustGeneration() const { return client_->TrustGeneration(); }

}  // namespace metrocap::cache
