// Peer lookups: how a peer's answers become statuses, and that only what was found is
// cached (the lookup through a real gRPC peer is tested by assessment's organisation check,
// tests/services/assessment/organisations_test.cc).
#include "common/resource/peer.h"

#include "common/status/errors.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "metrocap/resourcetest/v1/library.pb.h"

namespace metrocap::resource {
namespace {

using ::metrocap::testing::StatusIs;
using resourcetest::v1::Shelf;
using ::testing::HasSubstr;

const PeerConfig kConfig{"library", "shelf", {}, absl::Seconds(1)};

TEST(PeerStatusTest, NotFoundNamesTheResourceAndThePeer) {
  absl::Status status =
      PeerStatus(kConfig, "shelves/x", grpc::Status(grpc::StatusCode::NOT_FOUND, "gone"));
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kNotFound, "shelves/x is not a shelf in library"));
  EXPECT_EQ(ReasonOf(status), "SHELF_NOT_FOUND");
  PeerConfig organisations{"membership", "organisation", {}, absl::Seconds(1)};
  EXPECT_THAT(
      PeerStatus(organisations, "organisations/x", grpc::Status(grpc::StatusCode::NOT_FOUND, "")),
      StatusIs(absl::StatusCode::kNotFound,
               "organisations/x is not an organisation in membership"));
}

TEST(PeerStatusTest, EverythingButARefusalIsUnavailable) {
  for (grpc::StatusCode code : {grpc::StatusCode::UNAVAILABLE, grpc::StatusCode::DEADLINE_EXCEEDED,
                                grpc::StatusCode::UNAUTHENTICATED, grpc::StatusCode::INTERNAL}) {
    absl::Status status = PeerStatus(kConfig, "shelves/x", grpc::Status(code, ""));
    EXPECT_THAT(status, StatusIs(absl::StatusCode::kUnavailable,
                                 HasSubstr("library cannot confirm the shelf")));
    EXPECT_EQ(ReasonOf(status), "LIBRARY_UNAVAILABLE");
  }
  EXPECT_THAT(PeerStatus(kConfig, "shelves/x",
                         grpc::Status(grpc::StatusCode::PERMISSION_DENIED, "not yours")),
              StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_OK(PeerStatus(kConfig, "shelves/x", grpc::Status::OK));
}

TEST(PeerResourceTest, CachesOnlyWhatWasFound) {
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<cache::CacheClient> client,
                       cache::CacheClient::Create(cache::CacheConfig{}));
  int asked = 0;
  PeerResource<Shelf> shelves(kConfig, &client->Cache("shelves"),
                              [&](grpc::ClientContext*, const std::string& name, Shelf* out) {
                                ++asked;
                                if (name != "shelves/a")
                                  return grpc::Status(grpc::StatusCode::NOT_FOUND, "");
                                out->set_name(name);
                                return grpc::Status::OK;
                              });
  server::Call call;
  ASSERT_OK_AND_ASSIGN(Shelf a, shelves.Get(call, "shelves/a"));
  EXPECT_EQ(a.name(), "shelves/a");
  ASSERT_OK(shelves.Get(call, "shelves/a").status());
  EXPECT_EQ(asked, 1);
  EXPECT_THAT(shelves.Get(call, "shelves/b").status(), StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(shelves.Get(call, "shelves/b").status(), StatusIs(absl::StatusCode::kNotFound));
  EXPECT_EQ(asked, 3);
  shelves.Forget("shelves/a");
  ASSERT_OK(shelves.Get(call, "shelves/a").status());
  EXPECT_EQ(asked, 4);
}

}  // namespace
}  // namespace metrocap::resource
