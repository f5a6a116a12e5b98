// Request ids (AIP-155): a repeat returns the first response and writes nothing; the same id
// with a different request is ALREADY_EXISTS; ids belong to their caller.
#include <string>

#include "common/resource/crud.h"
#include "common/status/errors.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/common/resource/resource_fixture.h"

namespace metrocap::resource {
namespace {

using membership::v1::CreateOrganisationRequest;
using membership::v1::Organisation;
using ::metrocap::testing::StatusIs;
using ::testing::HasSubstr;
using testing::Org;

server::Call CallBy(const std::string& principal) {
  server::Call call;
  call.caller = identity::Caller{principal, membership::v1::Partner::PARTNER, {}};
  return call;
}

class WriteOnceTest : public testing::StoreTest {
 protected:
  // Creates the request's organisation once per run, counting the runs.
  absl::StatusOr<Organisation> Create(const server::Call& call,
                                      const CreateOrganisationRequest& request,
                                      const std::string& method = "CreateOrganisation") {
    return WriteOnce<Organisation>(*store_, call, method, request, request.request_id(),
                                   [&](store::Transaction& tx) -> absl::StatusOr<Organisation> {
                                     ++writes_;
                                     return Insert(tx, organisations_,
                                                   "organisations/" + request.organisation_id(),
                                                   request.organisation());
                                   });
  }

  CreateOrganisationRequest Request(const std::string& id, const std::string& request_id) {
    CreateOrganisationRequest request;
    *request.mutable_organisation() = Org(id, "Org " + id, 1000);
    request.set_organisation_id(id);
    request.set_request_id(request_id);
    return request;
  }

  int64_t Stored() {
    absl::StatusOr<std::unique_ptr<store::Transaction>> tx =
        store_->Begin(store::Store::Access::kReadOnly);
    EXPECT_OK(tx);
    absl::StatusOr<int64_t> count = (*tx)->Count(organisations_, "", {});
    EXPECT_OK(count);
    return count.ok() ? *count : -1;
  }

  int writes_ = 0;
};

TEST_F(WriteOnceTest, RepeatedRequestWritesOnceAndReturnsTheFirstResponse) {
  server::Call call = CallBy("partners/a");
  CreateOrganisationRequest request = Request("milan", "3f1c-req");
  ASSERT_OK_AND_ASSIGN(Organisation first, Create(call, request));
  ASSERT_OK_AND_ASSIGN(Organisation second, Create(call, request));
  EXPECT_EQ(writes_, 1);
  EXPECT_EQ(second.SerializeAsString(), first.SerializeAsString());
  EXPECT_EQ(second.etag(), store::EtagOf(1));
  EXPECT_EQ(Stored(), 1);
}

TEST_F(WriteOnceTest, SaysWhetherTheResponseWasReplayed) {
  server::Call call = CallBy("partners/a");
  CreateOrganisationRequest request = Request("milan", "req-r");
  auto create = [&](bool* replayed) {
    return WriteOnce<Organisation>(
        *store_, call, "CreateOrganisation", request, request.request_id(),
        [&](store::Transaction& tx) {
          return Insert(tx, organisations_, "organisations/milan", request.organisation());
        },
        replayed);
  };
  bool replayed = true;
  ASSERT_OK(create(&replayed));
  EXPECT_FALSE(replayed);
  ASSERT_OK(create(&replayed));
  EXPECT_TRUE(replayed);
}

TEST_F(WriteOnceTest, SameIdWithADifferentRequestIsAlreadyExists) {
  server::Call call = CallBy("partners/a");
  ASSERT_OK(Create(call, Request("milan", "req-1")));
  absl::StatusOr<Organisation> reused = Create(call, Request("turin", "req-1"));
  EXPECT_THAT(reused, StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr("req-1")));
  EXPECT_EQ(ReasonOf(reused.status()), "REQUEST_ID_REUSED");
  EXPECT_EQ(writes_, 1);
  EXPECT_EQ(Stored(), 1);
}

TEST_F(WriteOnceTest, SameIdForAnotherMethodIsAlreadyExists) {
  server::Call call = CallBy("partners/a");
  CreateOrganisationRequest request = Request("milan", "req-1");
  ASSERT_OK(Create(call, request));
  EXPECT_THAT(Create(call, request, "UpdateOrganisation"),
              StatusIs(absl::StatusCode::kAlreadyExists));
  EXPECT_EQ(writes_, 1);
}

TEST_F(WriteOnceTest, DifferentCallersWithTheSameIdAreIndependent) {
  ASSERT_OK(Create(CallBy("partners/a"), Request("milan", "req-1")));
  ASSERT_OK(Create(CallBy("partners/b"), Request("turin", "req-1")));
  EXPECT_EQ(writes_, 2);
  EXPECT_EQ(Stored(), 2);
  // Each caller's repeat still finds its own first response.
  ASSERT_OK_AND_ASSIGN(Organisation again, Create(CallBy("partners/b"), Request("turin", "req-1")));
  EXPECT_EQ(again.name(), "organisations/turin");
  EXPECT_EQ(writes_, 2);
}

TEST_F(WriteOnceTest, WithoutRequestIdEveryCallWrites) {
  server::Call call = CallBy("partners/a");
  ASSERT_OK(Create(call, Request("milan", "")));
  // The same request again really runs again (and here collides with the first).
  EXPECT_THAT(Create(call, Request("milan", "")), StatusIs(absl::StatusCode::kAlreadyExists));
  EXPECT_EQ(writes_, 2);
}

TEST_F(WriteOnceTest, FailedWriteIsNotRecordedSoARetryRunsAgain) {
  server::Call call = CallBy("partners/a");
  ASSERT_OK(Create(call, Request("milan", "")));
  // First attempt under req-9 fails: the name is taken.
  CreateOrganisationRequest request = Request("milan", "req-9");
  EXPECT_THAT(Create(call, request), StatusIs(absl::StatusCode::kAlreadyExists));
  // The caller frees the name and retries with the same id: the write runs again.
  ASSERT_OK(store_->RunInTransaction(
      [&](store::Transaction& tx) { return tx.Delete(organisations_, "organisations/milan", 1); }));
  ASSERT_OK_AND_ASSIGN(Organisation created, Create(call, request));
  EXPECT_EQ(created.name(), "organisations/milan");
  EXPECT_EQ(writes_, 3);
}

TEST_F(WriteOnceTest, RunWriteOnceReturnsTheRecordedBytes) {
  server::Call call = CallBy("partners/a");
  CreateOrganisationRequest request = Request("x", "req-raw");
  int runs = 0;
  auto write = [&](store::Transaction&) -> absl::StatusOr<std::string> {
    ++runs;
    return std::string("\0binary\xff", 8);
  };
  ASSERT_OK_AND_ASSIGN(std::string first,
                       RunWriteOnce(*store_, call, "M", request, "req-raw", write));
  ASSERT_OK_AND_ASSIGN(std::string second,
                       RunWriteOnce(*store_, call, "M", request, "req-raw", write));
  EXPECT_EQ(first, std::string("\0binary\xff", 8));
  EXPECT_EQ(second, first);
  EXPECT_EQ(runs, 1);
}

}  // namespace
}  // namespace metrocap::resource
