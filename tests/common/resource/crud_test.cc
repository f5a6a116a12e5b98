// The standard-method helpers: update masks, etags, and the typed Get/Insert/Replace.
#include "common/resource/crud.h"

#include <string>

#include "common/status/errors.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "metrocap/roadmaps/v1/roadmaps.pb.h"
#include "tests/common/resource/resource_fixture.h"

namespace metrocap::resource {
namespace {

using membership::v1::Organisation;
using membership::v1::Partner;
using ::metrocap::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;
using testing::Org;

google::protobuf::FieldMask Mask(std::initializer_list<const char*> paths) {
  google::protobuf::FieldMask mask;
  for (const char* path : paths) mask.add_paths(path);
  return mask;
}

class ApplyUpdateMaskTest : public ::testing::Test {
 protected:
  void SetUp() override {
    target_ = Org("milan", "Milano", 3000000);
    target_.set_website("https://www.cittametropolitana.mi.it");
    target_.set_description("Città metropolitana di Milano");
    target_.mutable_member_since()->set_year(2001);
    target_.mutable_member_since()->set_month(2);
    target_.mutable_member_since()->set_day(3);
    patch_.set_name("organisations/milan");
    patch_.set_display_name("Milan");
    patch_.set_population(3250000);
    patch_.mutable_member_since()->set_year(2010);
  }

  const std::vector<std::string> writable_ = {"display_name", "population", "website",
                                              "description", "member_since"};
  Organisation target_;
  Organisation patch_;
};

TEST_F(ApplyUpdateMaskTest, NamedPathsOnly) {
  ASSERT_OK(ApplyUpdateMask(patch_, Mask({"display_name"}), writable_, &target_));
  EXPECT_EQ(target_.display_name(), "Milan");
  EXPECT_EQ(target_.population(), 3000000);
  EXPECT_EQ(target_.website(), "https://www.cittametropolitana.mi.it");
  EXPECT_EQ(target_.country_code(), "IT");
}

TEST_F(ApplyUpdateMaskTest, NamedButUnsetInPatchClearsTheField) {
  ASSERT_OK(ApplyUpdateMask(patch_, Mask({"population", "website"}), writable_, &target_));
  EXPECT_EQ(target_.population(), 3250000);
  EXPECT_EQ(target_.website(), "");
  EXPECT_EQ(target_.display_name(), "Milano");
}

TEST_F(ApplyUpdateMaskTest, MessageFieldsAreReplacedNotMerged) {
  ASSERT_OK(ApplyUpdateMask(patch_, Mask({"member_since"}), writable_, &target_));
  EXPECT_EQ(target_.member_since().year(), 2010);
  EXPECT_EQ(target_.member_since().month(), 0);
  EXPECT_EQ(target_.member_since().day(), 0);
}

TEST_F(ApplyUpdateMaskTest, RepeatedFieldsAreReplacedNotAppended) {
  Partner target;
  target.add_grants("organisations/a");
  target.add_grants("organisations/b");
  Partner patch;
  patch.add_grants("organisations/c");
  ASSERT_OK(ApplyUpdateMask(patch, Mask({"grants"}), {"grants", "display_name"}, &target));
  EXPECT_THAT(target.grants(), ElementsAre("organisations/c"));
}

TEST_F(ApplyUpdateMaskTest, EmptyMaskAndStarMeanEveryWritableField) {
  for (const google::protobuf::FieldMask& mask : {Mask({}), Mask({"*"})}) {
    Organisation target = target_;
    ASSERT_OK(ApplyUpdateMask(patch_, mask, writable_, &target));
    EXPECT_EQ(target.display_name(), "Milan");
    EXPECT_EQ(target.population(), 3250000);
    EXPECT_EQ(target.member_since().year(), 2010);
    // Writable but unset in the patch: cleared, as AIP-134 says for a full replacement.
    EXPECT_EQ(target.website(), "");
    EXPECT_EQ(target.description(), "");
    // Not writable: kept whatever the patch says.
    EXPECT_EQ(target.name(), "organisations/milan");
    EXPECT_EQ(target.country_code(), "IT");
    EXPECT_EQ(target.kind(), Organisation::CITY);
  }
}

TEST_F(ApplyUpdateMaskTest, UnknownOrReadOnlyPathIsRefusedNamingUpdateMask) {
  for (const char* path : {"bogus", "country_code", "name", "etag", "member_since.year", "*x"}) {
    Organisation target = target_;
    absl::Status status = ApplyUpdateMask(patch_, Mask({path}), writable_, &target);
    EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument,
                                 ::testing::AllOf(HasSubstr("updateMask"), HasSubstr(path))))
        << path;
    EXPECT_THAT(FieldViolationsOf(status),
                ElementsAre(Field(&FieldViolation::field, "updateMask")));
  }
}

// AIP-203 and AIP-161: a path naming an OUTPUT_ONLY field (membership.proto) is ignored,
// not refused, so a mask listing every field of a resource read can be sent back.
TEST_F(ApplyUpdateMaskTest, OutputOnlyPathsAreIgnored) {
  target_.mutable_create_time()->set_seconds(10);
  patch_.mutable_create_time()->set_seconds(99);
  ASSERT_OK(ApplyUpdateMask(patch_, Mask({"create_time", "display_name", "update_time"}), writable_,
                            &target_));
  EXPECT_EQ(target_.display_name(), "Milan");
  EXPECT_EQ(target_.create_time().seconds(), 10);
  // Only output-only paths: nothing is written (not every writable field, as for no mask).
  ASSERT_OK(ApplyUpdateMask(patch_, Mask({"create_time"}), writable_, &target_));
  EXPECT_EQ(target_.population(), 3000000);
  EXPECT_EQ(target_.create_time().seconds(), 10);
}

TEST(UpdatePathsTest, WritablePathsOnceInMaskOrderWithoutOutputOnlyOnes) {
  const std::vector<std::string> writable = {"display_name", "population", "website"};
  ASSERT_OK_AND_ASSIGN(
      std::vector<std::string> paths,
      UpdatePaths(*Organisation::descriptor(),
                  Mask({"website", "update_time", "display_name", "website"}), writable));
  EXPECT_THAT(paths, ElementsAre("website", "display_name"));
  ASSERT_OK_AND_ASSIGN(paths, UpdatePaths(*Organisation::descriptor(), Mask({"*"}), writable));
  EXPECT_THAT(paths, ElementsAre("display_name", "population", "website"));
  EXPECT_THAT(UpdatePaths(*Organisation::descriptor(), Mask({"create_time", "etag"}), writable),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("\"etag\"")));
}

// What the mask copies is cleared of the output-only fields nested in it (roadmaps.proto: an
// objective's progress is computed, never taken from the request).
TEST(ApplyUpdateMaskNestedTest, OutputOnlyFieldsInsideCopiedMessagesAreCleared) {
  roadmaps::v1::Roadmap target;
  target.set_revision(3);
  roadmaps::v1::Roadmap patch;
  roadmaps::v1::Objective* objective = patch.add_objectives();
  objective->set_id("learning");
  objective->set_progress_percent(12);
  objective->set_late_action_count(2);
  objective->add_actions()->set_late(true);
  ASSERT_OK(ApplyUpdateMask(patch, Mask({"objectives"}), {"objectives"}, &target));
  ASSERT_EQ(target.objectives_size(), 1);
  EXPECT_EQ(target.objectives(0).id(), "learning");
  EXPECT_FALSE(target.objectives(0).has_progress_percent());
  EXPECT_EQ(target.objectives(0).late_action_count(), 0);
  EXPECT_FALSE(target.objectives(0).actions(0).late());
  EXPECT_EQ(target.revision(), 3);  // not named, so kept
}

// Paths are all checked before any field is cleared.
TEST_F(ApplyUpdateMaskTest, RefusedMaskLeavesTargetUntouched) {
  Organisation target = target_;
  EXPECT_THAT(ApplyUpdateMask(patch_, Mask({"display_name", "bogus"}), writable_, &target),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(target.display_name(), "Milano");
}

// What the protos mark OUTPUT_ONLY is cleared, in nested messages too; the rest is kept.
TEST(ClearOutputOnlyFieldsTest, ClearsOutputOnlyFieldsAtEveryDepth) {
  membership::v1::CreateApiKeyRequest request;
  request.set_parent("partners/p");
  membership::v1::ApiKey* key = request.mutable_api_key();
  key->set_display_name("ci");
  key->set_secret("mc_sneaky");
  key->set_state(membership::v1::ApiKey::REVOKED);
  key->set_key_prefix("mc_1234");
  key->mutable_create_time()->set_seconds(1);
  key->set_etag("3");
  ClearOutputOnlyFields(&request);
  EXPECT_EQ(request.parent(), "partners/p");
  EXPECT_EQ(key->display_name(), "ci");
  EXPECT_EQ(key->etag(), "3");  // not output only: it is the client's concurrency check
  EXPECT_EQ(key->secret(), "");
  EXPECT_EQ(key->state(), membership::v1::ApiKey::STATE_UNSPECIFIED);
  EXPECT_EQ(key->key_prefix(), "");
  EXPECT_FALSE(key->has_create_time());
}

TEST(CheckEtagTest, NoneOrCurrentEtagPasses) {
  EXPECT_OK(CheckEtag("", "\"3\"", "organisations/milan"));
  EXPECT_OK(CheckEtag("\"3\"", "\"3\"", "organisations/milan"));
}

TEST(CheckEtagTest, StaleEtagIsAbortedWithReason) {
  absl::Status status = CheckEtag("\"2\"", "\"3\"", "organisations/milan");
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kAborted, HasSubstr("organisations/milan")));
  EXPECT_EQ(ReasonOf(status), "ETAG_MISMATCH");
}

TEST(CheckEtagTest, MalformedEtagIsInvalidArgumentNamingEtag) {
  absl::Status status = CheckEtag("W/\"x\"", "\"3\"", "organisations/milan");
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("etag")));
  EXPECT_THAT(FieldViolationsOf(status), ElementsAre(Field(&FieldViolation::field, "etag")));
}

TEST(ClearOutputFieldsTest, ClearsEtagAndTimesOnly) {
  Organisation org = Org("milan", "Milano", 1);
  org.set_etag("\"4\"");
  org.mutable_create_time()->set_seconds(10);
  org.mutable_update_time()->set_seconds(20);
  ClearOutputFields(&org);
  EXPECT_EQ(org.etag(), "");
  EXPECT_FALSE(org.has_create_time());
  EXPECT_FALSE(org.has_update_time());
  EXPECT_EQ(org.display_name(), "Milano");
}

class TypedCrudTest : public testing::StoreTest {};

TEST_F(TypedCrudTest, InsertGetReplaceThroughTheEtag) {
  Organisation org = Org("ignored", "Torino", 2200000);
  org.set_etag("\"99\"");  // Callers cannot choose the etag nor the times.
  org.mutable_create_time()->set_seconds(1);
  Organisation created;
  ASSERT_OK(store_->RunInTransaction([&](store::Transaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(created, Insert(tx, organisations_, "organisations/torino", org));
    return absl::OkStatus();
  }));
  EXPECT_EQ(created.name(), "organisations/torino");
  EXPECT_EQ(created.etag(), store::EtagOf(1));
  EXPECT_GT(created.create_time().seconds(), 1);
  EXPECT_EQ(created.create_time().seconds(), created.update_time().seconds());

  ASSERT_OK_AND_ASSIGN(Organisation loaded,
                       Load<Organisation>(*store_, organisations_, "organisations/torino"));
  EXPECT_EQ(loaded.etag(), store::EtagOf(1));
  EXPECT_EQ(loaded.display_name(), "Torino");

  loaded.set_population(2300000);
  Organisation replaced;
  ASSERT_OK(store_->RunInTransaction([&](store::Transaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(replaced, Replace(tx, organisations_, loaded));
    return absl::OkStatus();
  }));
  EXPECT_EQ(replaced.etag(), store::EtagOf(2));
  EXPECT_EQ(replaced.population(), 2300000);

  // The copy read before the replacement is stale now.
  EXPECT_THAT(store_->RunInTransaction([&](store::Transaction& tx) {
    return Replace(tx, organisations_, loaded).status();
  }),
              StatusIs(absl::StatusCode::kAborted));
  loaded.set_etag("not-an-etag");
  EXPECT_THAT(store_->RunInTransaction([&](store::Transaction& tx) {
    return Replace(tx, organisations_, loaded).status();
  }),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("etag")));
  EXPECT_THAT(Load<Organisation>(*store_, organisations_, "organisations/nowhere"),
              StatusIs(absl::StatusCode::kNotFound));
}

}  // namespace
}  // namespace metrocap::resource
