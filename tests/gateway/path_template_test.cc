#include "gateway/core/path_template.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace metrocap::gateway {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;

std::vector<PathBinding> MatchOrDie(absl::string_view tmpl, absl::string_view path) {
  auto parsed = PathTemplate::Parse(tmpl);
  EXPECT_TRUE(parsed.ok()) << parsed.status();
  auto split = SplitRequestPath(path);
  EXPECT_TRUE(split.ok()) << split.status();
  std::vector<PathBinding> bindings;
  EXPECT_TRUE(parsed->Match(*split, &bindings)) << tmpl << " vs " << path;
  return bindings;
}

bool Matches(absl::string_view tmpl, absl::string_view path) {
  auto parsed = PathTemplate::Parse(tmpl);
  EXPECT_TRUE(parsed.ok()) << parsed.status();
  auto split = SplitRequestPath(path);
  if (!split.ok()) return false;
  std::vector<PathBinding> bindings;
  return parsed->Match(*split, &bindings);
}

TEST(PathTemplateTest, SingleVariableWithPattern) {
  EXPECT_THAT(MatchOrDie("/v1/{name=organisations/*}", "/v1/organisations/milan"),
              ElementsAre(Pair("name", "organisations/milan")));
  EXPECT_FALSE(Matches("/v1/{name=organisations/*}", "/v1/organisations"));
  EXPECT_FALSE(Matches("/v1/{name=organisations/*}", "/v1/organisations/"));
  EXPECT_FALSE(Matches("/v1/{name=organisations/*}", "/v1/regions/europe"));
  EXPECT_FALSE(Matches("/v1/{name=organisations/*}", "/v1/organisations/milan/x"));
}

TEST(PathTemplateTest, VariableFollowedByLiteral) {
  EXPECT_THAT(MatchOrDie("/v1/{parent=partners/*}/apiKeys", "/v1/partners/acme/apiKeys"),
              ElementsAre(Pair("parent", "partners/acme")));
  EXPECT_FALSE(Matches("/v1/{parent=partners/*}/apiKeys", "/v1/partners/acme/keys"));
}

TEST(PathTemplateTest, CustomVerb) {
  EXPECT_THAT(MatchOrDie("/v1/{name=applications/*}:ratify", "/v1/applications/kocaeli:ratify"),
              ElementsAre(Pair("name", "applications/kocaeli")));
  EXPECT_FALSE(Matches("/v1/{name=applications/*}:ratify", "/v1/applications/kocaeli"));
  EXPECT_FALSE(Matches("/v1/{name=applications/*}:ratify", "/v1/applications/k:reject"));
  EXPECT_FALSE(Matches("/v1/{name=applications/*}", "/v1/applications/kocaeli:ratify"));
  EXPECT_TRUE(Matches("/v1/apiKeys:lookup", "/v1/apiKeys:lookup"));
}

TEST(PathTemplateTest, NestedFieldPath) {
  EXPECT_THAT(MatchOrDie("/v1/{organisation.name=organisations/*}", "/v1/organisations/turin"),
              ElementsAre(Pair("organisation.name", "organisations/turin")));
}

TEST(PathTemplateTest, ShortVariableAndSeveralVariables) {
  EXPECT_THAT(MatchOrDie("/v1/shelves/{shelf}/books/{book}", "/v1/shelves/s1/books/b2"),
              ElementsAre(Pair("shelf", "s1"), Pair("book", "b2")));
}

TEST(PathTemplateTest, MultiSegmentWildcard) {
  EXPECT_THAT(MatchOrDie("/v1/{path=files/**}", "/v1/files/a/b/c.txt"),
              ElementsAre(Pair("path", "files/a/b/c.txt")));
  EXPECT_THAT(MatchOrDie("/v1/{path=files/**}", "/v1/files"), ElementsAre(Pair("path", "files")));
  // An encoded slash stays encoded inside a multi-segment variable.
  EXPECT_THAT(MatchOrDie("/v1/{path=files/**}", "/v1/files/a%2Fb/c"),
              ElementsAre(Pair("path", "files/a%2Fb/c")));
  EXPECT_TRUE(Matches("/v1/**", "/v1/anything/at/all"));
}

TEST(PathTemplateTest, PercentDecodingOfSingleSegments) {
  EXPECT_THAT(MatchOrDie("/v1/{name=regions/*}", "/v1/regions/latin%20america"),
              ElementsAre(Pair("name", "regions/latin america")));
  EXPECT_FALSE(SplitRequestPath("/v1/regions/%zz").ok());
  EXPECT_FALSE(SplitRequestPath("/v1/regions/%4").ok());
  EXPECT_FALSE(SplitRequestPath("v1/regions").ok());
}

TEST(PathTemplateTest, ParseErrors) {
  for (const char* bad : {"", "v1/x", "/v1/{name", "/v1/{name=a/{b}}", "/v1/{}", "/v1/{1x}",
                          "/v1/**/x", "/v1/{a}/{a}", "/v1//x", "/v1/x:", "/v1/{name=**}/x"}) {
    EXPECT_FALSE(PathTemplate::Parse(bad).ok()) << bad;
  }
}

TEST(PathTemplateTest, ReportsShape) {
  auto parsed = PathTemplate::Parse("/v1/{name=partners/*/apiKeys/*}:revoke");
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->verb(), "revoke");
  EXPECT_EQ(parsed->literal_count(), 3);
  ASSERT_EQ(parsed->variables().size(), 1u);
  EXPECT_EQ(parsed->variables()[0].first_segment, 1);
  EXPECT_EQ(parsed->variables()[0].segment_count, 4);
}

}  // namespace
}  // namespace metrocap::gateway
