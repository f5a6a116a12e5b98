// Declared resources (common/resource/declared.h), custom methods (Transition): access, etags,
// writes in the same transaction, the outside check, changes that change nothing.
#include "tests/common/resource/declared_fixture.h"

namespace metrocap::resource::testing {
namespace {

TEST_P(DeclaredResourceTest, ACustomMethodLoadsChecksTheEtagAndStores) {
  ASSERT_OK_AND_ASSIGN(Book book, CreateRose());
  EXPECT_THAT(Archive(kPartner, book.name(), "99").status(), StatusIs(absl::StatusCode::kAborted));
  EXPECT_THAT(
      Archive(As({"partners/q", membership::v1::Partner::PARTNER, {}}), book.name()).status(),
      StatusIs(absl::StatusCode::kPermissionDenied));
  // An access rule of its own replaces the declared one.
  absl::Status admin_only = Archive(kPartner, book.name(), "", AdminOnly("books")).status();
  EXPECT_THAT(admin_only, StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_EQ(ReasonOf(admin_only), "ADMIN_REQUIRED");
  EXPECT_THAT(Archive(kPartner, "shelves/a/rose").status(),
              StatusIs(absl::StatusCode::kInvalidArgument));
  ASSERT_OK_AND_ASSIGN(Book archived, Archive(kPartner, book.name(), book.etag()));
  EXPECT_EQ(archived.state(), Book::ARCHIVED);
  EXPECT_THAT(Archive(kPartner, book.name()).status(),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  ASSERT_OK_AND_ASSIGN(Book now, GetBook(kAdmin, book.name()));
  EXPECT_EQ(now.SerializeAsString(), archived.SerializeAsString());
}

TEST_P(DeclaredResourceTest, ACustomMethodMayWriteOtherResourcesInItsTransaction) {
  ASSERT_OK_AND_ASSIGN(Book book, CreateRose());
  ArchiveBookRequest request;
  request.set_name(book.name());
  // The shelf is marked in the same transaction; a later refusal undoes that too.
  auto archive = [&](bool refuse) {
    return books_->Transition(
        kPartner, request,
        [&](const server::Call&, store::Transaction& tx, Book& current) -> absl::Status {
          ASSIGN_OR_RETURN(Shelf shelf, resource::Get<Shelf>(tx, shelf_schema_, "shelves/a"));
          shelf.set_theme("archive");
          RETURN_IF_ERROR(Replace(tx, shelf_schema_, shelf).status());
          if (refuse) return absl::FailedPreconditionError("refused");
          current.set_state(Book::ARCHIVED);
          return absl::OkStatus();
        });
  };
  GetShelfRequest shelf_request;
  shelf_request.set_name("shelves/a");
  EXPECT_THAT(archive(true).status(), StatusIs(absl::StatusCode::kFailedPrecondition));
  ASSERT_OK_AND_ASSIGN(Shelf untouched, shelves_->Get(kAdmin, shelf_request));
  EXPECT_EQ(untouched.theme(), "");
  ASSERT_OK_AND_ASSIGN(Book archived, archive(false));
  EXPECT_EQ(archived.state(), Book::ARCHIVED);
  ASSERT_OK_AND_ASSIGN(Shelf marked, shelves_->Get(kAdmin, shelf_request));
  EXPECT_EQ(marked.theme(), "archive");
}

TEST_P(DeclaredResourceTest, ACustomMethodsCheckRunsOutsideAndARefusalChangesNothing) {
  ASSERT_OK_AND_ASSIGN(Book book, CreateRose());
  std::vector<Book> seen;
  auto refuse = [&](const server::Call&, const Book& stored) {
    seen.push_back(stored);
    return absl::UnavailableError("the registry is down");
  };
  // The access rules come first: a caller refused never reaches the check.
  EXPECT_THAT(Archive(As({"partners/q", membership::v1::Partner::PARTNER, {}}), book.name(), "",
                      nullptr, refuse)
                  .status(),
              StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_THAT(Archive(kPartner, book.name(), "99", nullptr, refuse).status(),
              StatusIs(absl::StatusCode::kAborted));
  EXPECT_THAT(seen, IsEmpty());
  EXPECT_THAT(Archive(kPartner, book.name(), "", nullptr, refuse).status(),
              StatusIs(absl::StatusCode::kUnavailable));
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].SerializeAsString(), book.SerializeAsString());  // the stored book
  ASSERT_OK_AND_ASSIGN(Book now, GetBook(kAdmin, book.name()));
  EXPECT_EQ(now.SerializeAsString(), book.SerializeAsString());
  EXPECT_THAT(Invalidated(), ElementsAre(book.name()));

  auto accept = [](const server::Call&, const Book&) { return absl::OkStatus(); };
  ASSERT_OK_AND_ASSIGN(Book archived, Archive(kPartner, book.name(), "", nullptr, accept));
  EXPECT_EQ(archived.state(), Book::ARCHIVED);
}

TEST_P(DeclaredResourceTest, AWriteWhileACustomMethodIsCheckedAbortsIt) {
  ASSERT_OK_AND_ASSIGN(Book book, CreateRose());
  auto meddle = [&](const server::Call&, const Book&) {
    Book patch = PagesPatch(book, 9);
    return UpdateBook(kAdmin, patch, {"pages"}).status();
  };
  EXPECT_THAT(Archive(kPartner, book.name(), "", nullptr, meddle).status(),
              StatusIs(absl::StatusCode::kAborted));
  ASSERT_OK_AND_ASSIGN(Book now, GetBook(kAdmin, book.name()));
  EXPECT_EQ(now.state(), Book::ON_LOAN);
  EXPECT_EQ(now.pages(), 9);
}

TEST_P(DeclaredResourceTest, ACustomMethodThatChangesNothingStoresNothing) {
  ASSERT_OK_AND_ASSIGN(Book book, CreateRose());
  ArchiveBookRequest request;
  request.set_name(book.name());
  // Archiving an archived book is fine here, and leaves it as it is.
  auto archive = [&] {
    return books_->Transition(kPartner, request, [](const server::Call&, Book& current) {
      current.set_state(Book::ARCHIVED);
      return absl::OkStatus();
    });
  };
  ASSERT_OK_AND_ASSIGN(Book first, archive());
  EXPECT_NE(first.etag(), book.etag());
  ASSERT_OK_AND_ASSIGN(Book second, archive());
  EXPECT_EQ(second.SerializeAsString(), first.SerializeAsString());
  ASSERT_OK_AND_ASSIGN(Book now, GetBook(kAdmin, book.name()));
  EXPECT_EQ(now.etag(), first.etag());
  // Stored once: invalidated and reported after the create and the first archive only.
  EXPECT_THAT(Invalidated(), ElementsAre(book.name(), book.name()));
  EXPECT_THAT(committed_, ElementsAre(book.name(), book.name()));
}

}  // namespace
}  // namespace metrocap::resource::testing
