// RoadmapService: how a roadmap changes. An update or an accepted proposal is worked out
// from one read of the roadmap outside the write transaction, and written only if nothing
// it was judged against changed meanwhile; every write bumps `revision` and records a
// RoadmapRevision with its snapshot in the same transaction.
//
// Why not the kit's declared Update (common/resource/declared.h), now that its hooks get
// the call and it has check_outside for Update: it computes the update (load, mask,
// complete, validate) in a read-only transaction, then all of it again in the write
// transaction and compares the two results, and a revision row in also_write would diff
// the whole before and after. For a ~200 kB roadmap that is two parses, two masks, two
// validations and a full comparison per update, where this file does one of each and
// diffs only the masked fields (docs/benchmarks.md, "Roadmaps": ~18 ms of server CPU per
// update before, ~6 ms after); and the kit answers ABORTED when the resource changed
// meanwhile, where this works the change out again.
#include <algorithm>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "common/resource/crud.h"
#include "common/resource/names.h"
#include "common/status/errors.h"
#include "services/roadmaps/core/codes.h"
#include "services/roadmaps/core/progress.h"
#include "services/roadmaps/core/revisions.h"
#include "services/roadmaps/service.h"

namespace metrocap::roadmaps {
namespace {

using google::protobuf::FieldDescriptor;

// Times a change is worked out again because its roadmap changed before it was written.
constexpr int kChangeAttempts = 8;

// The fields an update mask writes (resource::UpdatePaths: every writable one when it is
// empty or "*", output-only ones left out). The mask has been checked by ApplyRoadmapMask.
std::vector<const FieldDescriptor*> MaskedFields(const google::protobuf::FieldMask& mask,
                                                 const std::vector<std::string>& writable) {
  const google::protobuf::Descriptor* roadmap = v1::Roadmap::descriptor();
  const std::vector<std::string> paths = resource::UpdatePaths(*roadmap, mask, writable).value();
  std::vector<const FieldDescriptor*> fields;
  for (const std::string& path : paths) fields.push_back(roadmap->FindFieldByName(path));
  return fields;
}

}  // namespace

const std::vector<std::string>& RoadmapService::WritableFields() {
  static const auto* fields = new std::vector<std::string>{
      "display_name", "description", "kind",     "state",      "plan",
      "framework",    "start_date",  "end_date", "objectives", "indicators"};
  return *fields;
}

absl::Status RoadmapService::ApplyRoadmapMask(const v1::Roadmap& patch,
                                              const google::protobuf::FieldMask& mask,
                                              v1::Roadmap& target) const {
  RETURN_IF_ERROR(resource::ApplyUpdateMask(patch, mask, WritableFields(), &target));
  ClearComputedOutputs(target);
  return absl::OkStatus();
}

absl::StatusOr<RoadmapService::References> RoadmapService::ReadReferences(
    store::Transaction& tx, const v1::Roadmap& roadmap) const {
  References references;
  if (roadmap.plan().empty()) return references;
  RETURN_IF_ERROR(resource::CheckName("roadmap.plan", roadmap.plan(), "plans"));
  absl::StatusOr<store::Record> plan = tx.Get(schemas_.plans, roadmap.plan());
  if (absl::IsNotFound(plan.status())) {
    return InvalidField("roadmap.plan", absl::StrCat(roadmap.plan(), " does not exist"));
  }
  RETURN_IF_ERROR(plan.status());
  references.plan_version = plan->version;
  RETURN_IF_ERROR(store::DecodeRecord(*plan, &references.plan));
  if (!references.plan.taxonomy().empty()) {
    ASSIGN_OR_RETURN(store::Record taxonomy,
                     tx.Get(schemas_.taxonomies, references.plan.taxonomy()));
    references.taxonomy_version = taxonomy.version;
    RETURN_IF_ERROR(store::DecodeRecord(taxonomy, &references.taxonomy));
  }
  return references;
}

absl::StatusOr<bool> RoadmapService::StillCurrent(store::Transaction& tx,
                                                  const v1::Roadmap& roadmap,
                                                  const References& references) const {
  const std::pair<const store::ResourceSchema*, std::pair<std::string, int64_t>> read[] = {
      {&schemas_.plans, {roadmap.plan(), references.plan_version}},
      {&schemas_.taxonomies, {references.plan.taxonomy(), references.taxonomy_version}}};
  for (const auto& [schema, version_of] : read) {
    const auto& [name, version] = version_of;
    if (version == 0) continue;
    absl::StatusOr<store::Record> record = tx.Get(*schema, name);
    if (absl::IsNotFound(record.status())) return false;
    RETURN_IF_ERROR(record.status());
    if (record->version != version) return false;
  }
  return true;
}

absl::Status RoadmapService::CheckRoadmap(const v1::Roadmap& roadmap, const References& references,
                                          const assessment::v1::Framework& framework) const {
  PlanCodes plan_codes(references.plan);
  TaxonomyCodes taxonomy_codes(references.taxonomy);
  absl::flat_hash_set<std::string> capacities;
  for (const assessment::v1::Capacity& capacity : framework.capacities()) {
    capacities.insert(capacity.id());
  }
  RoadmapReferences resolved;
  if (!roadmap.plan().empty()) resolved.plan = &plan_codes;
  if (!references.taxonomy.name().empty()) resolved.taxonomy = &taxonomy_codes;
  if (!roadmap.framework().empty()) resolved.capacities = &capacities;
  return ValidateRoadmap(roadmap, resolved, "roadmap.");
}

absl::Status RoadmapService::CheckRoadmap(store::Transaction& tx, const v1::Roadmap& roadmap,
                                          const assessment::v1::Framework& framework) const {
  ASSIGN_OR_RETURN(References references, ReadReferences(tx, roadmap));
  return CheckRoadmap(roadmap, references, framework);
}

absl::StatusOr<RoadmapService::RoadmapChange> RoadmapService::PrepareChange(
    const server::Call& call, const std::string& name, const v1::Roadmap& patch,
    const google::protobuf::FieldMask* mask) {
  RoadmapChange change;
  change.name = name;
  {
    ASSIGN_OR_RETURN(std::unique_ptr<store::Transaction> tx,
                     shared_.store->Begin(store::Store::Access::kReadOnly));
    ASSIGN_OR_RETURN(store::Record record, tx->Get(schemas_.roadmaps, name));
    change.version = record.version;
    RETURN_IF_ERROR(store::DecodeRecord(record, &change.roadmap));
    change.revision = change.roadmap.revision();
    if (mask == nullptr) return change;  // nothing changes, so nothing needs checking
    // Only the fields the mask names change: they alone are copied from the patch and
    // compared, and they are swapped into the roadmap read rather than copying it.
    v1::Roadmap after;
    change.verdict = ApplyRoadmapMask(patch, *mask, after);
    if (!change.verdict.ok()) return change;
    const std::vector<const FieldDescriptor*> fields = MaskedFields(*mask, WritableFields());
    const google::protobuf::Reflection* reflection = change.roadmap.GetReflection();
    v1::Roadmap before;
    reflection->SwapFields(&change.roadmap, &before, fields);
    change.changed = ChangedFields(before, after);
    reflection->SwapFields(&change.roadmap, &after, fields);

    absl::StatusOr<References> references = ReadReferences(*tx, change.roadmap);
    if (absl::IsInvalidArgument(references.status())) {
      change.verdict = references.status();
      return change;
    }
    RETURN_IF_ERROR(references.status());
    change.references = *std::move(references);
  }
  // Assessment is asked with no transaction open.
  absl::StatusOr<assessment::v1::Framework> framework = FrameworkOf(call, change.roadmap);
  if (absl::IsInvalidArgument(framework.status())) {
    change.verdict = framework.status();
    return change;
  }
  RETURN_IF_ERROR(framework.status());
  change.verdict = CheckRoadmap(change.roadmap, change.references, *framework);
  return change;
}

absl::StatusOr<v1::Roadmap> RoadmapService::WriteChange(
    store::Transaction& tx, RoadmapChange& change, absl::string_view etag,
    const std::string& author, const std::string& proposal, bool always_revise, bool* stale) const {
  *stale = false;
  if (change.written) {
    // Written once already, in a transaction that then lost to a concurrent one.
    *stale = true;
    return absl::AbortedError(absl::StrCat(change.name, " is to be read again"));
  }
  ASSIGN_OR_RETURN(store::Record record, tx.Get(schemas_.roadmaps, change.name));
  RETURN_IF_ERROR(resource::CheckEtag(etag, store::EtagOf(record.version), change.name));
  ASSIGN_OR_RETURN(bool current, StillCurrent(tx, change.roadmap, change.references));
  if (record.version != change.version || !current) {
    *stale = true;
    return absl::AbortedError(
        absl::StrCat(change.name, " or its plan changed while the change was worked out"));
  }
  RETURN_IF_ERROR(change.verdict);
  v1::Roadmap& roadmap = change.roadmap;
  change.written = true;
  if (!always_revise && change.changed.empty()) {
    // Nothing a caller wrote changed: no new revision.
    store::StampRecord(record, &roadmap);
    return std::move(roadmap);
  }
  roadmap.set_revision(change.revision + 1);
  resource::ClearOutputFields(&roadmap);
  ASSIGN_OR_RETURN(store::Record written,
                   tx.Update(schemas_.roadmaps, change.name, roadmap, change.version));
  store::StampRecord(written, &roadmap);
  RETURN_IF_ERROR(RecordRevision(tx, roadmap, change.changed, author, proposal));
  return std::move(roadmap);
}

absl::Status RoadmapService::RunChange(
    const std::function<absl::Status(bool* stale)>& attempt) const {
  absl::Status status;
  for (int i = 0; i < kChangeAttempts; ++i) {
    bool stale = false;
    status = attempt(&stale);
    if (!stale) return status;
  }
  return status;
}

absl::Status RoadmapService::RecordRevision(store::Transaction& tx, v1::Roadmap& stored,
                                            std::vector<std::string> changed,
                                            const std::string& author,
                                            const std::string& proposal) const {
  v1::RoadmapRevision revision;
  revision.set_revision(stored.revision());
  for (std::string& field : changed) revision.add_changed_fields(std::move(field));
  revision.set_author(author);
  revision.set_proposal(proposal);
  RETURN_IF_ERROR(
      tx.Insert(schemas_.revisions, RevisionName(stored.name(), stored.revision()), revision)
          .status());
  // The roadmap is lent to its snapshot for the write, not copied (it may be ~200 kB).
  v1::RoadmapRevision snapshot;
  snapshot.mutable_roadmap()->Swap(&stored);
  absl::Status written =
      tx.Insert(schemas_.snapshots,
                SnapshotName(snapshot.roadmap().name(), snapshot.roadmap().revision()), snapshot)
          .status();
  snapshot.mutable_roadmap()->Swap(&stored);
  return written;
}

}  // namespace metrocap::roadmaps
