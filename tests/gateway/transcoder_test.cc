#include "gateway/core/transcoder.h"

#include "absl/strings/str_cat.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "metrocap/gatewaytest/v1/probe.pb.h"
#include "metrocap/membership/v1/membership.pb.h"
#include "tests/gateway/probe_services.h"

namespace metrocap::gateway {
namespace {

using ::metrocap::testing::StatusIs;
using ::testing::HasSubstr;
namespace probe = gatewaytest::v1;

class TranscoderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto table = BuildProbeRouteTable();
    ASSERT_TRUE(table.ok()) << table.status();
    table_ = *std::move(table);
  }

  template <typename T>
  absl::StatusOr<T> Build(absl::string_view method, absl::string_view target,
                          absl::string_view body = "", absl::string_view if_match = "") {
    absl::string_view path = target, query;
    size_t q = target.find('?');
    if (q != absl::string_view::npos) {
      path = target.substr(0, q);
      query = target.substr(q + 1);
    }
    RouteMatch match = table_->Match(method, path);
    if (match.outcome != RouteMatch::Outcome::kFound) return absl::NotFoundError("no route");
    RestRequest request{match.route, match.bindings, query, body, if_match};
    auto message = BuildRequestMessage(request);
    if (!message.ok()) return message.status();
    T typed;
    typed.CopyFrom(**message);
    return typed;
  }

  std::unique_ptr<RouteTable> table_;
};

TEST_F(TranscoderTest, PathVariableSetsField) {
  auto request = Build<membership::v1::GetOrganisationRequest>("GET", "/v1/organisations/milan");
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_EQ(request->name(), "organisations/milan");
}

TEST_F(TranscoderTest, BodyFieldAndNestedPathVariable) {
  auto request = Build<membership::v1::UpdateOrganisationRequest>(
      "PATCH", "/v1/organisations/milan?updateMask=displayName,population",
      R"({"displayName": "Città metropolitana di Milano", "population": "3214630",
          "kind": "METROPOLITAN_AREA", "memberSince": {"year": 2019, "month": 5, "day": 1}})");
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_EQ(request->organisation().name(), "organisations/milan");
  EXPECT_EQ(request->organisation().population(), 3214630);
  EXPECT_EQ(request->organisation().kind(), membership::v1::Organisation::METROPOLITAN_AREA);
  EXPECT_EQ(request->organisation().member_since().year(), 2019);
  ASSERT_EQ(request->update_mask().paths_size(), 2);
  EXPECT_EQ(request->update_mask().paths(0), "display_name");
}

TEST_F(TranscoderTest, PathVariableOverridesBody) {
  auto request = Build<membership::v1::UpdateOrganisationRequest>(
      "PATCH", "/v1/organisations/milan", R"({"name": "organisations/elsewhere"})");
  ASSERT_TRUE(request.ok());
  EXPECT_EQ(request->organisation().name(), "organisations/milan");
}

TEST_F(TranscoderTest, BodyStarAndCustomVerb) {
  auto request = Build<membership::v1::RatifyApplicationRequest>(
      "POST", "/v1/applications/kocaeli:ratify",
      R"({"etag": "7", "decision": {"decisionDate": {"year": 2024, "month": 6, "day": 14},
          "votesFor": 9, "votesAgainst": 0}})");
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_EQ(request->name(), "applications/kocaeli");
  EXPECT_EQ(request->decision().votes_for(), 9);
  EXPECT_EQ(request->etag(), "7");
}

TEST_F(TranscoderTest, EmptyBodyIsAllowed) {
  auto request =
      Build<membership::v1::RevokeApiKeyRequest>("POST", "/v1/partners/a/apiKeys/k:revoke");
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_EQ(request->name(), "partners/a/apiKeys/k");
}

TEST_F(TranscoderTest, QueryParametersOfEveryKind) {
  auto request = Build<probe::ListThingsRequest>(
      "GET",
      "/v1/shelves/s1/things?pageSize=20&page_token=abc&filter=kind%20%3D%20%22BOOK%22"
      "&tags=red&tags=blue+green&kind=MAP&kinds=BOOK&kinds=2&minSize=9007199254740993"
      "&window.startTime=2024-01-02T03:04:05Z&window.endDate=2024-12-31&window.length=90s"
      "&includeHidden=true&minRatio=0.25&maxPages=7&readMask=name,displayName"
      "&acquiredOn.year=2023");
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_EQ(request->parent(), "shelves/s1");
  EXPECT_EQ(request->page_size(), 20);
  EXPECT_EQ(request->page_token(), "abc");
  EXPECT_EQ(request->filter(), "kind = \"BOOK\"");
  ASSERT_EQ(request->tags_size(), 2);
  EXPECT_EQ(request->tags(1), "blue green");
  EXPECT_EQ(request->kind(), probe::Thing::MAP);
  ASSERT_EQ(request->kinds_size(), 2);
  EXPECT_EQ(request->kinds(0), probe::Thing::BOOK);
  EXPECT_EQ(request->kinds(1), probe::Thing::MAP);
  EXPECT_EQ(request->min_size(), 9007199254740993);
  EXPECT_EQ(request->window().start_time().seconds(), 1704164645);
  EXPECT_EQ(request->window().end_date().month(), 12);
  EXPECT_EQ(request->window().length().seconds(), 90);
  EXPECT_TRUE(request->include_hidden());
  EXPECT_DOUBLE_EQ(request->min_ratio(), 0.25);
  EXPECT_EQ(request->max_pages().value(), 7);
  EXPECT_EQ(request->read_mask().paths_size(), 2);
  EXPECT_EQ(request->acquired_on().year(), 2023);
}

// A singular parameter given twice is refused naming it, whatever its type and however it
// is spelled; repeated fields take every value.
TEST_F(TranscoderTest, SingularParametersGivenTwiceAreRefused) {
  const std::pair<const char*, const char*> cases[] = {
      {"filter=a&filter=b", "filter"},
      {"pageToken=a&page_token=b", "pageToken"},
      {"pageSize=1&page_size=1", "pageSize"},
      {"kind=MAP&kind=BOOK", "kind"},
      {"minSize=1&minSize=2", "minSize"},
      {"includeHidden=true&includeHidden=false", "includeHidden"},
      {"minRatio=0.5&minRatio=0.5", "minRatio"},
      {"maxPages=1&maxPages=2", "maxPages"},
      {"acquiredOn.year=1&acquiredOn.year=2", "acquiredOn.year"},
      {"window.length=1s&window.length=2s", "window.length"},
      {"parent=shelves/a&parent=shelves/b", "parent"},
  };
  for (const auto& [query, name] : cases) {
    SCOPED_TRACE(query);
    EXPECT_THAT(Build<probe::ListThingsRequest>("GET", absl::StrCat("/v1/things?", query)),
                StatusIs(absl::StatusCode::kInvalidArgument,
                         HasSubstr(absl::StrCat(name, ": is not repeated but was given more"))));
  }
  auto repeated =
      Build<probe::ListThingsRequest>("GET", "/v1/things?tags=a&tags=b&kinds=MAP&kinds=1");
  ASSERT_TRUE(repeated.ok()) << repeated.status();
  EXPECT_EQ(repeated->tags_size(), 2);
  EXPECT_EQ(repeated->kinds_size(), 2);
}

// A field the path binds cannot be given again as a parameter (it would silently win).
TEST_F(TranscoderTest, ParametersCannotOverrideThePath) {
  EXPECT_THAT(Build<probe::ListThingsRequest>("GET", "/v1/shelves/s1/things?parent=shelves/s2"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("parent")));
}

TEST_F(TranscoderTest, Int64PathVariable) {
  auto request = Build<probe::CountThingsRequest>("GET", "/v1/42:count");
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_EQ(request->shelf_id(), 42);
  EXPECT_THAT(Build<probe::CountThingsRequest>("GET", "/v1/abc:count"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("shelfId")));
}

TEST_F(TranscoderTest, Int64AcceptedAsNumberOrString) {
  for (const char* body : {R"({"size": 12})", R"({"size": "12"})"}) {
    auto request = Build<probe::CreateThingRequest>("POST", "/v1/shelves/s/things", body);
    ASSERT_TRUE(request.ok()) << request.status();
    EXPECT_EQ(request->thing().size(), 12);
  }
}

TEST_F(TranscoderTest, RejectsUnknownFieldsAndParameters) {
  EXPECT_THAT(Build<probe::CreateThingRequest>("POST", "/v1/shelves/s/things", R"({"colour": 1})"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("colour")));
  EXPECT_THAT(Build<probe::ListThingsRequest>("GET", "/v1/things?colour=red"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("colour")));
  EXPECT_THAT(Build<probe::ListThingsRequest>("GET", "/v1/things?kind=PURPLE"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("kind")));
  EXPECT_THAT(Build<probe::ListThingsRequest>("GET", "/v1/things?pageSize=1&pageSize=2"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("pageSize")));
  EXPECT_THAT(Build<probe::ListThingsRequest>("GET", "/v1/things?window=x"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("window")));
  EXPECT_THAT(Build<probe::PolishThingRequest>("POST", "/v1/shelves/s/things/t:polish?passes=2"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("passes")));
  EXPECT_THAT(Build<probe::GetThingRequest>("GET", "/v1/shelves/s/things/t", R"({"a":1})"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("no request body")));
}

TEST_F(TranscoderTest, MalformedJsonNamesThePosition) {
  auto request = Build<probe::CreateThingRequest>("POST", "/v1/shelves/s/things",
                                                  R"({"displayName": "x" "kind": 1})");
  EXPECT_THAT(request,
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("invalid JSON request body")));
  EXPECT_THAT(Build<probe::CreateThingRequest>("POST", "/v1/shelves/s/things",
                                               R"({"createTime": "yesterday"})"),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(TranscoderTest, TimestampsInBody) {
  auto request = Build<probe::CreateThingRequest>(
      "POST", "/v1/shelves/s/things", R"({"createTime": "2024-03-01T10:00:00.5+01:00"})");
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_EQ(request->thing().create_time().seconds(), 1709283600);
  EXPECT_EQ(request->thing().create_time().nanos(), 500000000);
}

TEST_F(TranscoderTest, JsonDepthLimit) {
  std::string deep = R"({"thing": {"displayName": "x"}, "name": )";
  EXPECT_TRUE(CheckJsonDepth(std::string(64, '[') + std::string(64, ']'), 64).ok());
  EXPECT_FALSE(CheckJsonDepth(std::string(65, '[') + std::string(65, ']'), 64).ok());
  EXPECT_TRUE(CheckJsonDepth(R"({"a": "[[[[[[[[[[\"[[["})", 3).ok());
  std::string body = R"({"displayName": )" + std::string(70, '[') + std::string(70, ']') + "}";
  EXPECT_THAT(Build<probe::CreateThingRequest>("POST", "/v1/shelves/s/things", body),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("deeper than 64")));
}

TEST_F(TranscoderTest, IfMatchFillsEtag) {
  auto del = Build<probe::DeleteThingRequest>("DELETE", "/v1/shelves/s/things/t", "", "\"v7\"");
  ASSERT_TRUE(del.ok()) << del.status();
  EXPECT_EQ(del->etag(), "\"v7\"");
  auto update = Build<probe::UpdateThingRequest>("PATCH", "/v1/shelves/s/things/t",
                                                 R"({"displayName": "y"})", "W/\"v8\"");
  ASSERT_TRUE(update.ok()) << update.status();
  EXPECT_EQ(update->thing().etag(), "\"v8\"");
  EXPECT_THAT(
      Build<probe::DeleteThingRequest>("DELETE", "/v1/shelves/s/things/t?etag=a", "", "\"b\""),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("If-Match")));
}

// Bytes that are not UTF-8 cannot go into a proto3 string (the backend would refuse to parse
// the request and the caller would see a 500): a 400 naming the field instead. Found by
// the JSON fuzzer (corpus seed fuzz/corpus/json/utf8-query).
TEST_F(TranscoderTest, RejectsInvalidUtf8NamingTheField) {
  EXPECT_THAT(Build<probe::ListThingsRequest>("GET", "/v1/things?filter=%FF"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("filter")));
  EXPECT_THAT(Build<probe::ListThingsRequest>("GET", "/v1/things?tags=ok&tags=%C3%28"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("tags")));
  EXPECT_THAT(Build<probe::DeleteThingRequest>("DELETE", "/v1/shelves/s/things/t", "", "\"\xff\""),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("If-Match")));
  auto accented = Build<probe::ListThingsRequest>("GET", "/v1/things?filter=M%C3%A1laga");
  ASSERT_TRUE(accented.ok()) << accented.status();
  EXPECT_EQ(accented->filter(), "M\xc3\xa1laga");
}

TEST_F(TranscoderTest, RendersCanonicalJson) {
  probe::Thing thing;
  thing.set_name("shelves/s/things/t");
  thing.set_display_name("Atlas");
  thing.set_kind(probe::Thing::MAP);
  thing.set_size(9007199254740993);
  thing.mutable_create_time()->set_seconds(1704164645);
  thing.set_etag("v1");
  RouteMatch match = table_->Match("GET", "/v1/shelves/s/things/t");
  std::string json;
  ASSERT_TRUE(RenderResponseJson(*match.route, thing, &json).ok());
  EXPECT_EQ(json, R"({"name":"shelves/s/things/t","displayName":"Atlas","kind":"MAP",)"
                  R"("size":"9007199254740993","createTime":"2024-01-02T03:04:05Z","etag":"v1"})");
  EXPECT_EQ(ResponseEtag(thing), "v1");
}

TEST_F(TranscoderTest, RendersResponseBodyField) {
  probe::TagList tags;
  RouteMatch match = table_->Match("GET", "/v1/shelves/s/things/t/tags");
  std::string json;
  ASSERT_TRUE(RenderResponseJson(*match.route, tags, &json).ok());
  EXPECT_EQ(json, "[]");
  tags.add_tags("red");
  tags.add_tags("blue");
  ASSERT_TRUE(RenderResponseJson(*match.route, tags, &json).ok());
  EXPECT_EQ(json, R"(["red","blue"])");
}

TEST_F(TranscoderTest, QueryStringDecoding) {
  auto params = ParseQueryString("a=1&b=x+y&c=%41%42&&d");
  ASSERT_TRUE(params.ok());
  ASSERT_EQ(params->size(), 4u);
  EXPECT_EQ((*params)[1].second, "x y");
  EXPECT_EQ((*params)[2].second, "AB");
  EXPECT_EQ((*params)[3].first, "d");
  EXPECT_FALSE(ParseQueryString("a=%4").ok());
}

}  // namespace
}  // namespace metrocap::gateway
