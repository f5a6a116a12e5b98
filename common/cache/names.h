#pragma once

// The names of the shared-lookup caches (CacheClient::Cache(name)). Every component that
// reads or invalidates one of these uses the constant here, so that one component's write
// reaches every other component's copy: the Redis keys are "metrocap:{<cache>:<key>}" and
// invalidations travel as "<cache>\n<key>" on one channel, so a misspelt name would be a
// cache that is never invalidated.
//
// Values are always a serialized protobuf message as the owning service's store returned
// it (with its etag), so a reader can tell which version it holds. Only the owning service
// loads a value from its store and invalidates it after a committed write; other services
// may fill a key through the owner's Get method, which returns the same message.
namespace metrocap::cache {

// Key: the resource name, "organisations/{organisation}".
// Value: metrocap.membership.v1.Organisation.
// Owner: membership (invalidates after every committed write that changes an organisation:
// create, update, delete, and the application steps that change its membership state).
inline constexpr char kOrganisationsCache[] = "organisations";

// Key: the lowercase hex SHA-256 digest (64 characters) of the whole API key as presented
// ("mck_..."); never the key itself.
// Value: metrocap.membership.v1.Principal (partner, role, grants, api_key name), only for
// an ACTIVE key of an existing partner: unknown and revoked keys are never cached.
// Owner: membership (invalidates a key's digest when it is revoked or deleted, and every
// key of a partner whose role or grants change or which is deleted).
inline constexpr char kApiKeysCache[] = "api-keys";

// Key: the resource name, "frameworks/{framework}".
// Value: metrocap.assessment.v1.Framework. Owner: assessment.
inline constexpr char kFrameworksCache[] = "frameworks";

// Key: the resource name, "organisations/{organisation}/roadmaps/{roadmap}".
// Value: metrocap.roadmaps.v1.Roadmap. Owner: roadmaps, which invalidates it after every
// write made through its declared resource (Delete today; Create and Update are still
// written by hand and do not, so a cached copy may lag their changes). Hubs reads it only
// to confirm that a roadmap exists, which neither of those changes.
inline constexpr char kRoadmapsCache[] = "roadmaps";

// Key: the resource name, "plans/{plan}".
// Value: metrocap.roadmaps.v1.Plan. Owner: roadmaps (not built yet).
inline constexpr char kPlansCache[] = "plans";

// Key: the resource name, "taxonomies/{taxonomy}".
// Value: metrocap.roadmaps.v1.Taxonomy. Owner: roadmaps (not built yet).
inline constexpr char kTaxonomiesCache[] = "taxonomies";

}  // namespace metrocap::cache
