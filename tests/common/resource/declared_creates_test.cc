// Declared resources (common/resource/declared.h), create: IDs, request ids, its hooks in order,
// the outside check.
#include "tests/common/resource/declared_fixture.h"

namespace metrocap::resource::testing {
namespace {

TEST_P(DeclaredResourceTest, CreateDerivesTheIdOrTakesTheOneGiven) {
  ASSERT_OK_AND_ASSIGN(Book derived, CreateBook(kPartner, "shelves/a", "",
                                                MakeBook("Il Nome della Rosa", "eco", 1)));
  EXPECT_EQ(derived.name(), "shelves/a/books/il-nome-della-rosa");
  EXPECT_FALSE(derived.etag().empty());
  ASSERT_OK_AND_ASSIGN(Book given,
                       CreateBook(kPartner, "shelves/a", "rose", MakeBook("Rosa", "eco", 1)));
  EXPECT_EQ(given.name(), "shelves/a/books/rose");

  absl::Status bad_id =
      CreateBook(kPartner, "shelves/a", "9-lives", MakeBook("x", "y", 1)).status();
  EXPECT_THAT(bad_id, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(FieldOf(bad_id), "bookId");
  absl::Status no_id = CreateBook(kPartner, "shelves/a", "", MakeBook("", "y", 1)).status();
  EXPECT_EQ(FieldOf(no_id), "bookId");
  EXPECT_THAT(CreateBook(kPartner, "shelves/a", "rose", MakeBook("Rosa", "eco", 1)).status(),
              StatusIs(absl::StatusCode::kAlreadyExists));
  absl::Status bad_parent = CreateBook(kAdmin, "shelf/a", "x", MakeBook("x", "y", 1)).status();
  EXPECT_EQ(FieldOf(bad_parent), "parent");
}

TEST_P(DeclaredResourceTest, CreateWithARequestIdRunsOnce) {
  ASSERT_OK_AND_ASSIGN(
      Book first, CreateBook(kPartner, "shelves/a", "rose", MakeBook("Rosa", "eco", 1), "r-1"));
  ASSERT_OK_AND_ASSIGN(
      Book again, CreateBook(kPartner, "shelves/a", "rose", MakeBook("Rosa", "eco", 1), "r-1"));
  EXPECT_EQ(again.SerializeAsString(), first.SerializeAsString());
  absl::Status reused =
      CreateBook(kPartner, "shelves/a", "other", MakeBook("Other", "eco", 1), "r-1").status();
  EXPECT_THAT(reused, StatusIs(absl::StatusCode::kAlreadyExists));
  EXPECT_EQ(ReasonOf(reused), "REQUEST_ID_REUSED");
  EXPECT_THAT(GetBook(kAdmin, "shelves/a/books/other").status(),
              StatusIs(absl::StatusCode::kNotFound));
  // The replay wrote nothing, so it neither invalidated nor ran after_commit again.
  EXPECT_THAT(Invalidated(), ElementsAre("shelves/a/books/rose"));
  EXPECT_THAT(committed_, ElementsAre("shelves/a/books/rose"));
}

TEST_P(DeclaredResourceTest, CreateRunsItsHooksInOrderAndARefusalWritesNothing) {
  Book forged = MakeBook("Rosa", "eco", 1);
  forged.set_state(Book::ARCHIVED);
  forged.set_shelf("shelves/b");
  ASSERT_OK_AND_ASSIGN(Book created, CreateBook(kPartner, "shelves/a", "rose", forged));
  EXPECT_EQ(created.state(), Book::ON_LOAN);  // prepare
  EXPECT_EQ(created.shelf(), "shelves/a");    // complete
  EXPECT_EQ(prepared_, 1);
  EXPECT_EQ(checked_outside_, 1);

  // Refused by write access, the validator or complete: the network check is not reached.
  EXPECT_THAT(CreateBook(kPartner, "shelves/b", "x", MakeBook("x", "y", 1)).status(),
              StatusIs(absl::StatusCode::kPermissionDenied));
  absl::Status invalid = CreateBook(kPartner, "shelves/a", "x", MakeBook("x", "y", -1)).status();
  EXPECT_EQ(FieldOf(invalid), "book.pages");
  EXPECT_EQ(FieldOf(CreateBook(kAdmin, "shelves/c", "x", MakeBook("x", "y", 1)).status()),
            "parent");
  EXPECT_EQ(checked_outside_, 1);
  // Refused by the network check: nothing is stored.
  EXPECT_THAT(CreateBook(kPartner, "shelves/a", "x", MakeBook("x", "unreachable", 1)).status(),
              StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_EQ(checked_outside_, 2);
  ASSERT_OK_AND_ASSIGN(ListBooksResponse all, ListBooks(kAdmin, "shelves/-"));
  EXPECT_THAT(Names(all), ElementsAre("shelves/a/books/rose"));
  EXPECT_THAT(committed_, ElementsAre("shelves/a/books/rose"));
}

}  // namespace
}  // namespace metrocap::resource::testing
