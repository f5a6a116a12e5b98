// Declared resources (common/resource/declared.h), get and List: read access, filters, ordering,
// paging and the request's own condition.
#include "tests/common/resource/declared_fixture.h"

namespace metrocap::resource::testing {
namespace {

TEST_P(DeclaredResourceTest, GetOfAnAbsentResourceIsNotFound) {
  EXPECT_THAT(GetBook(kAdmin, "shelves/a/books/missing").status(),
              StatusIs(absl::StatusCode::kNotFound));
  absl::Status bad = GetBook(kAdmin, "shelves/a/missing").status();
  EXPECT_THAT(bad, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(FieldOf(bad), "name");
}

TEST_P(DeclaredResourceTest, WhatTheCallerMayNotReadIsNotFound) {
  ASSERT_OK(CreateBook(kAdmin, "shelves/a", "diary", MakeBook("Diary", "me", 10, true)));
  EXPECT_OK(GetBook(kAdmin, "shelves/a/books/diary").status());
  // The partner may write shelves/a, yet the secret book is as absent as a missing one.
  EXPECT_THAT(GetBook(kPartner, "shelves/a/books/diary").status(),
              StatusIs(absl::StatusCode::kNotFound));
  Book patch;
  patch.set_name("shelves/a/books/diary");
  patch.set_pages(11);
  EXPECT_THAT(UpdateBook(kPartner, patch, {"pages"}).status(),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(DeleteBook(kPartner, "shelves/a/books/diary"), StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(Archive(kPartner, "shelves/a/books/diary").status(),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_OK(GetBook(kAdmin, "shelves/a/books/diary").status());
}

TEST_P(DeclaredResourceTest, ListFiltersOrdersPagesAndLeavesOutWhatTheCallerMayNotRead) {
  ASSERT_OK(CreateBook(kAdmin, "shelves/a", "one", MakeBook("One", "eco", 300)));
  ASSERT_OK(CreateBook(kAdmin, "shelves/a", "two", MakeBook("Two", "eco", 100)));
  ASSERT_OK(CreateBook(kAdmin, "shelves/a", "three", MakeBook("Three", "calvino", 200)));
  ASSERT_OK(CreateBook(kAdmin, "shelves/a", "secret", MakeBook("Secret", "eco", 50, true)));
  ASSERT_OK(CreateBook(kAdmin, "shelves/b", "four", MakeBook("Four", "eco", 400)));

  ASSERT_OK_AND_ASSIGN(ListBooksResponse all, ListBooks(kAdmin, "shelves/-"));
  EXPECT_EQ(all.total_size(), 5);
  ASSERT_OK_AND_ASSIGN(ListBooksResponse readable, ListBooks(kPartner, "shelves/-"));
  EXPECT_EQ(readable.total_size(), 4);
  ASSERT_OK_AND_ASSIGN(ListBooksResponse on_a,
                       ListBooks(kPartner, "shelves/a", "author = \"eco\"", "pages desc"));
  EXPECT_THAT(Names(on_a), ElementsAre("shelves/a/books/one", "shelves/a/books/two"));

  ASSERT_OK_AND_ASSIGN(ListBooksResponse first, ListBooks(kAdmin, "shelves/-", "", "pages", 2));
  EXPECT_THAT(Names(first), ElementsAre("shelves/a/books/secret", "shelves/a/books/two"));
  ASSERT_FALSE(first.next_page_token().empty());
  ASSERT_OK_AND_ASSIGN(ListBooksResponse second,
                       ListBooks(kAdmin, "shelves/-", "", "pages", 2, first.next_page_token()));
  EXPECT_THAT(Names(second), ElementsAre("shelves/a/books/three", "shelves/a/books/one"));
  // A page token is the caller's and its query's own.
  EXPECT_THAT(ListBooks(kPartner, "shelves/-", "", "pages", 2, first.next_page_token()).status(),
              StatusIs(absl::StatusCode::kInvalidArgument));

  absl::Status bad_parent = ListBooks(kAdmin, "shelves").status();
  EXPECT_THAT(bad_parent, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(FieldOf(bad_parent), "parent");
  EXPECT_THAT(ListBooks(kAdmin, "shelves/a", "colour = \"red\"").status(),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_P(DeclaredResourceTest, ListAddsTheConditionOfTheRequestsOwnFields) {
  ASSERT_OK(CreateBook(kAdmin, "shelves/a", "one", MakeBook("One", "eco", 300)));
  ASSERT_OK(CreateBook(kAdmin, "shelves/a", "two", MakeBook("Two", "eco", 100)));
  ASSERT_OK(CreateBook(kAdmin, "shelves/a", "secret", MakeBook("Secret", "eco", 500, true)));
  ASSERT_OK_AND_ASSIGN(ListBooksResponse long_books,
                       ListBooks(kPartner, "shelves/a", "", "", 0, "", 200));
  EXPECT_THAT(Names(long_books), ElementsAre("shelves/a/books/one"));
  EXPECT_EQ(long_books.total_size(), 1);
  EXPECT_EQ(FieldOf(ListBooks(kPartner, "shelves/a", "", "", 0, "", -1).status()), "minPages");
}

}  // namespace
}  // namespace metrocap::resource::testing
