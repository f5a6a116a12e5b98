// List: page sizes, paging, filters on every filterable organisation field, orderBy, and
// page tokens that only work for the query that made them.
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "tests/services/membership/service_fixture.h"

namespace metrocap::membership::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

class ListTest : public MembershipServiceTest {
 protected:
  // The names of one page of organisations matching `filter`, ordered by `order_by`.
  std::vector<std::string> Names(const std::string& filter, const std::string& order_by = "") {
    v1::ListOrganisationsRequest request;
    request.set_filter(filter);
    request.set_order_by(order_by);
    request.set_page_size(1000);
    auto reply = Call(&Stub::ListOrganisations, request);
    EXPECT_THAT(reply.status, IsGrpcOk()) << filter;
    std::vector<std::string> names;
    for (const auto& o : reply.value.organisations()) names.push_back(o.name());
    return names;
  }

  // A small network: two regions, several kinds, states, countries and a parent link.
  void CreateNetwork() {
    CreateRegion("asia", "Asia");
    auto make = [&](const std::string& id, v1::Organisation::Kind kind, const std::string& country,
                    const std::string& region, int64_t population,
                    v1::Organisation::MembershipState state, const std::string& parent) {
      v1::Organisation o = OrganisationDraft("City " + id, region);
      o.set_kind(kind);
      o.set_country_code(country);
      o.set_population(population);
      o.set_membership_state(state);
      o.set_parent(parent);
      CreateOrganisation(id, o);
    };
    using O = v1::Organisation;
    make("barcelona", O::METROPOLITAN_AREA, "ES", "regions/europe", 3300000, O::ACTIVE, "");
    make("badalona", O::MUNICIPALITY, "ES", "regions/europe", 220000, O::NON_MEMBER,
         "organisations/barcelona");
    make("milan", O::CITY, "IT", "regions/europe", 1400000, O::ACTIVE, "");
    make("kocaeli", O::METROPOLITAN_AREA, "TR", "regions/asia", 2000000, O::APPLICANT, "");
    make("seoul", O::CITY, "KR", "regions/asia", 9700000, O::SUSPENDED, "");
    make("fmdv", O::NETWORK, "FR", "regions/europe", 0, O::WITHDRAWN, "");
  }
};

TEST_P(ListTest, NegativePageSizeIsInvalid) {
  v1::ListOrganisationsRequest request;
  request.set_page_size(-1);
  auto reply = Call(&Stub::ListOrganisations, request);
  EXPECT_THAT(reply.status, HasCode(grpc::StatusCode::INVALID_ARGUMENT));
  EXPECT_THAT(reply.status.error_message(), HasSubstr("pageSize"));
}

TEST_P(ListTest, PagingThrough120OrganisationsVisitsEachExactlyOnce) {
  for (int i = 0; i < 120; ++i) CreateOrganisation(absl::StrFormat("org-%03d", i));

  // pageSize 0 serves the default of 50; a huge one is lowered to the maximum (1000).
  v1::ListOrganisationsRequest first;
  auto default_page = Call(&Stub::ListOrganisations, first);
  ASSERT_THAT(default_page.status, IsGrpcOk());
  EXPECT_EQ(default_page.value.organisations_size(), 50);
  EXPECT_EQ(default_page.value.total_size(), 120);
  EXPECT_FALSE(default_page.value.next_page_token().empty());
  first.set_page_size(5000);
  auto everything = Call(&Stub::ListOrganisations, first);
  ASSERT_THAT(everything.status, IsGrpcOk());
  EXPECT_EQ(everything.value.organisations_size(), 120);
  EXPECT_TRUE(everything.value.next_page_token().empty());

  std::multiset<std::string> seen;
  v1::ListOrganisationsRequest request;
  request.set_page_size(7);
  int pages = 0;
  do {
    auto reply = Call(&Stub::ListOrganisations, request);
    ASSERT_THAT(reply.status, IsGrpcOk()) << "page " << pages;
    ASSERT_LE(reply.value.organisations_size(), 7);
    EXPECT_EQ(reply.value.total_size(), 120);
    for (const auto& o : reply.value.organisations()) seen.insert(o.name());
    request.set_page_token(reply.value.next_page_token());
    ++pages;
    ASSERT_LT(pages, 100) << "paging does not end";
  } while (!request.page_token().empty());
  EXPECT_EQ(pages, 18);  // 17 full pages of 7, then 1
  EXPECT_EQ(seen.size(), 120u);
  for (int i = 0; i < 120; ++i) {
    EXPECT_EQ(seen.count(absl::StrFormat("organisations/org-%03d", i)), 1u) << i;
  }
}

TEST_P(ListTest, PagingStaysCorrectWhileOrganisationsAreAdded) {
  for (int i = 0; i < 10; ++i) CreateOrganisation(absl::StrFormat("org-%02d", i));
  v1::ListOrganisationsRequest request;
  request.set_page_size(4);
  request.set_order_by("name");
  auto page1 = Call(&Stub::ListOrganisations, request);
  ASSERT_THAT(page1.status, IsGrpcOk());
  CreateOrganisation("aaa-before-the-cursor");  // sorts before page 1: must not appear
  request.set_page_token(page1.value.next_page_token());
  auto page2 = Call(&Stub::ListOrganisations, request);
  ASSERT_THAT(page2.status, IsGrpcOk());
  ASSERT_EQ(page2.value.organisations_size(), 4);
  EXPECT_EQ(page2.value.organisations(0).name(), "organisations/org-04");
}

TEST_P(ListTest, FiltersOnEveryFilterableField) {
  CreateNetwork();
  EXPECT_THAT(Names("region = \"regions/asia\""),
              UnorderedElementsAre("organisations/kocaeli", "organisations/seoul"));
  EXPECT_THAT(Names("kind = METROPOLITAN_AREA"),
              UnorderedElementsAre("organisations/barcelona", "organisations/kocaeli"));
  EXPECT_THAT(Names("kind != CITY AND region = \"regions/europe\""),
              UnorderedElementsAre("organisations/barcelona", "organisations/badalona",
                                   "organisations/fmdv"));
  EXPECT_THAT(Names("membershipState = ACTIVE"),
              UnorderedElementsAre("organisations/barcelona", "organisations/milan"));
  EXPECT_THAT(Names("membershipState = APPLICANT"), ElementsAre("organisations/kocaeli"));
  EXPECT_THAT(Names("countryCode = \"ES\""),
              UnorderedElementsAre("organisations/barcelona", "organisations/badalona"));
  EXPECT_THAT(Names("parent = \"organisations/barcelona\""), ElementsAre("organisations/badalona"));
  EXPECT_THAT(Names("population >= 2000000"),
              UnorderedElementsAre("organisations/barcelona", "organisations/kocaeli",
                                   "organisations/seoul"));
  EXPECT_THAT(Names("population < 1000000"),
              UnorderedElementsAre("organisations/badalona", "organisations/fmdv"));
  EXPECT_THAT(Names("population > 1000000 AND population <= 3300000"),
              UnorderedElementsAre("organisations/barcelona", "organisations/milan",
                                   "organisations/kocaeli"));
  EXPECT_THAT(Names("displayName = \"City milan\""), ElementsAre("organisations/milan"));
  EXPECT_THAT(Names("countryCode = \"XX\""), IsEmpty());

  v1::ListOrganisationsRequest count;
  count.set_filter("region = \"regions/europe\"");
  count.set_page_size(1);
  auto reply = Call(&Stub::ListOrganisations, count);
  ASSERT_THAT(reply.status, IsGrpcOk());
  EXPECT_EQ(reply.value.total_size(), 4);  // of the filter, not of the page
}

// totalSize of a first page that is not the last, counted from the store's totals per region
// and kind for the equality filters (and none), row by row for the others: right after
// every kind of write, on every backend.
TEST_P(ListTest, TotalSizeFollowsEveryKindOfWrite) {
  CreateNetwork();
  auto total = [&](const std::string& filter) {
    v1::ListOrganisationsRequest request;
    request.set_filter(filter);
    request.set_page_size(1);
    auto reply = Call(&Stub::ListOrganisations, request);
    EXPECT_THAT(reply.status, IsGrpcOk()) << filter;
    return reply.value.total_size();
  };
  auto expect_totals = [&](int all, int europe, int european_cities, int asian_metropolitan,
                           int spanish_in_europe) {
    EXPECT_EQ(total(""), all);
    EXPECT_EQ(total("region = \"regions/europe\""), europe);
    EXPECT_EQ(total("region = \"regions/europe\" AND kind = CITY"), european_cities);
    EXPECT_EQ(total("kind = METROPOLITAN_AREA AND region = \"regions/asia\""), asian_metropolitan);
    EXPECT_EQ(total("region = \"regions/europe\" AND countryCode = \"ES\""), spanish_in_europe);
  };
  expect_totals(6, 4, 1, 1, 2);

  // Created twice under one request id: once.
  v1::CreateOrganisationRequest create;
  create.set_organisation_id("turin");
  create.set_request_id("3a1f7a52-5c1e-4b7e-8d0e-0c4f5f0b9a17");
  *create.mutable_organisation() = OrganisationDraft("Torino", "regions/europe");
  create.mutable_organisation()->set_kind(v1::Organisation::CITY);
  create.mutable_organisation()->set_country_code("IT");
  auto turin = Call(&Stub::CreateOrganisation, create);
  ASSERT_THAT(turin.status, IsGrpcOk());
  ASSERT_THAT(Call(&Stub::CreateOrganisation, create).status, IsGrpcOk());
  expect_totals(7, 5, 2, 1, 2);

  // Moved to Asia and made a metropolitan area; then a stale etag changes nothing.
  v1::UpdateOrganisationRequest update;
  *update.mutable_organisation() = turin.value;
  update.mutable_organisation()->set_region("regions/asia");
  update.mutable_organisation()->set_kind(v1::Organisation::METROPOLITAN_AREA);
  update.mutable_update_mask()->add_paths("region");
  update.mutable_update_mask()->add_paths("kind");
  auto moved = Call(&Stub::UpdateOrganisation, update);
  ASSERT_THAT(moved.status, IsGrpcOk());
  expect_totals(7, 4, 1, 2, 2);
  update.mutable_organisation()->set_region("regions/europe");
  EXPECT_THAT(Call(&Stub::UpdateOrganisation, update).status, HasCode(grpc::StatusCode::ABORTED));
  expect_totals(7, 4, 1, 2, 2);

  v1::DeleteOrganisationRequest remove;
  remove.set_name(moved.value.name());
  remove.set_etag(moved.value.etag());
  ASSERT_THAT(Call(&Stub::DeleteOrganisation, remove).status, IsGrpcOk());
  expect_totals(6, 4, 1, 1, 2);
}

TEST_P(ListTest, OrderBy) {
  CreateNetwork();
  EXPECT_THAT(Names("region = \"regions/asia\"", "population desc"),
              ElementsAre("organisations/seoul", "organisations/kocaeli"));
  EXPECT_THAT(Names("countryCode = \"ES\"", "population"),
              ElementsAre("organisations/badalona", "organisations/barcelona"));
  EXPECT_THAT(Names("kind = CITY", "displayName desc"),
              ElementsAre("organisations/seoul", "organisations/milan"));
  EXPECT_EQ(Names("", "name").front(), "organisations/badalona");

  v1::ListOrganisationsRequest bad;
  bad.set_order_by("website");
  EXPECT_THAT(Call(&Stub::ListOrganisations, bad).status,
              HasCode(grpc::StatusCode::INVALID_ARGUMENT));
}

TEST_P(ListTest, OrderedPagingVisitsEachOnceInOrder) {
  CreateNetwork();
  v1::ListOrganisationsRequest request;
  request.set_order_by("population desc");
  request.set_page_size(2);
  std::vector<std::string> names;
  do {
    auto reply = Call(&Stub::ListOrganisations, request);
    ASSERT_THAT(reply.status, IsGrpcOk());
    for (const auto& o : reply.value.organisations()) names.push_back(o.name());
    request.set_page_token(reply.value.next_page_token());
  } while (!request.page_token().empty());
  EXPECT_THAT(names,
              ElementsAre("organisations/seoul", "organisations/barcelona", "organisations/kocaeli",
                          "organisations/milan", "organisations/badalona", "organisations/fmdv"));
}

TEST_P(ListTest, UnfilterableOrMalformedFiltersAreInvalidAndNameTheProblem) {
  CreateNetwork();
  for (const char* field : {"website", "description", "etag", "noSuchField"}) {
    v1::ListOrganisationsRequest request;
    request.set_filter(absl::StrCat(field, " = \"x\""));
    auto reply = Call(&Stub::ListOrganisations, request);
    EXPECT_THAT(reply.status, HasCode(grpc::StatusCode::INVALID_ARGUMENT)) << field;
    EXPECT_THAT(reply.status.error_message(), HasSubstr(field));
  }
  for (const char* filter : {"kind = VOLCANO", "population = many", "region =",
                             "kind = CITY OR kind = NETWORK", "(region = \"regions/asia\")"}) {
    v1::ListOrganisationsRequest request;
    request.set_filter(filter);
    EXPECT_THAT(Call(&Stub::ListOrganisations, request).status,
                HasCode(grpc::StatusCode::INVALID_ARGUMENT))
        << filter;
  }
}

TEST_P(ListTest, APageTokenOnlyWorksForItsOwnQuery) {
  CreateNetwork();
  v1::ListOrganisationsRequest request;
  request.set_filter("region = \"regions/europe\"");
  request.set_page_size(2);
  auto page = Call(&Stub::ListOrganisations, request);
  ASSERT_THAT(page.status, IsGrpcOk());
  ASSERT_FALSE(page.value.next_page_token().empty());

  v1::ListOrganisationsRequest other_filter = request;
  other_filter.set_page_token(page.value.next_page_token());
  other_filter.set_filter("region = \"regions/asia\"");
  auto reply = Call(&Stub::ListOrganisations, other_filter);
  EXPECT_THAT(reply.status, HasCode(grpc::StatusCode::INVALID_ARGUMENT));
  EXPECT_THAT(reply.status.error_message(), HasSubstr("pageToken"));

  v1::ListOrganisationsRequest other_order = request;
  other_order.set_page_token(page.value.next_page_token());
  other_order.set_order_by("population");
  EXPECT_THAT(Call(&Stub::ListOrganisations, other_order).status,
              HasCode(grpc::StatusCode::INVALID_ARGUMENT));

  // Nor for another caller, another collection, or once altered.
  v1::ListOrganisationsRequest same = request;
  same.set_page_token(page.value.next_page_token());
  EXPECT_THAT(Call(&Stub::ListOrganisations, same, Who::Viewer()).status,
              HasCode(grpc::StatusCode::INVALID_ARGUMENT));
  v1::ListRegionsRequest regions;
  regions.set_page_token(page.value.next_page_token());
  EXPECT_THAT(Call(&Stub::ListRegions, regions).status,
              HasCode(grpc::StatusCode::INVALID_ARGUMENT));
  std::string altered = page.value.next_page_token();
  altered[altered.size() / 2] = altered[altered.size() / 2] == 'A' ? 'B' : 'A';
  same.set_page_token(altered);
  EXPECT_THAT(Call(&Stub::ListOrganisations, same).status,
              HasCode(grpc::StatusCode::INVALID_ARGUMENT));

  // The right query still continues.
  same.set_page_token(page.value.next_page_token());
  auto next = Call(&Stub::ListOrganisations, same);
  ASSERT_THAT(next.status, IsGrpcOk());
  EXPECT_EQ(next.value.organisations_size(), 2);
}

TEST_P(ListTest, OtherCollectionsFilterToo) {
  CreateNetwork();
  CreatePartner("lab", v1::Partner::PARTNER, {"organisations/barcelona"});
  CreatePartner("observer", v1::Partner::VIEWER);
  v1::ListPartnersRequest partners;
  partners.set_filter("role = VIEWER");
  auto listed = Call(&Stub::ListPartners, partners);
  ASSERT_THAT(listed.status, IsGrpcOk());
  ASSERT_EQ(listed.value.partners_size(), 1);
  EXPECT_EQ(listed.value.partners(0).name(), "partners/observer");
  partners.set_filter("grants:\"organisations/barcelona\"");
  listed = Call(&Stub::ListPartners, partners);
  ASSERT_THAT(listed.status, IsGrpcOk());
  ASSERT_EQ(listed.value.partners_size(), 1);
  EXPECT_EQ(listed.value.partners(0).name(), "partners/lab");

  v1::ListRegionsRequest regions;
  regions.set_filter("displayName = \"Asia\"");
  auto region = Call(&Stub::ListRegions, regions);
  ASSERT_THAT(region.status, IsGrpcOk());
  ASSERT_EQ(region.value.regions_size(), 1);
  EXPECT_EQ(region.value.regions(0).name(), "regions/asia");
}

METROCAP_ON_EVERY_STORE_BACKEND(ListTest);

}  // namespace
}  // namespace metrocap::membership::testing
