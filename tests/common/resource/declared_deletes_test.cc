// Declared resources (common/resource/declared.h), delete: etags, request ids, guards.
#include "tests/common/resource/declared_fixture.h"

namespace metrocap::resource::testing {
namespace {

TEST_P(DeclaredResourceTest, GuardsRefuseUpdateAndDeleteInTheTransaction) {
  ASSERT_OK_AND_ASSIGN(Book book, CreateRose());
  ASSERT_OK_AND_ASSIGN(Book archived, Archive(kPartner, book.name(), book.etag()));
  EXPECT_EQ(archived.state(), Book::ARCHIVED);
  Book patch = PagesPatch(book, 2);
  EXPECT_THAT(UpdateBook(kAdmin, patch, {"pages"}).status(),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(DeleteBook(kAdmin, book.name()), StatusIs(absl::StatusCode::kFailedPrecondition));
  ASSERT_OK_AND_ASSIGN(Book now, GetBook(kAdmin, book.name()));
  EXPECT_EQ(now.etag(), archived.etag());
}

TEST_P(DeclaredResourceTest, DeleteChecksTheEtagAndRunsOncePerRequestId) {
  ASSERT_OK_AND_ASSIGN(Book book, CreateRose());
  Book patch = PagesPatch(book, 2);
  ASSERT_OK(UpdateBook(kAdmin, patch, {"pages"}).status());
  absl::Status stale = DeleteBook(kPartner, book.name(), book.etag());
  EXPECT_THAT(stale, StatusIs(absl::StatusCode::kAborted));
  EXPECT_OK(GetBook(kAdmin, book.name()).status());
  ASSERT_OK_AND_ASSIGN(Book current, GetBook(kAdmin, book.name()));
  EXPECT_OK(DeleteBook(kPartner, book.name(), current.etag(), "d-1"));
  EXPECT_OK(DeleteBook(kPartner, book.name(), current.etag(), "d-1"));  // the replay
  EXPECT_THAT(DeleteBook(kPartner, book.name(), current.etag(), "d-2"),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(GetBook(kAdmin, book.name()).status(), StatusIs(absl::StatusCode::kNotFound));
  // after_commit saw the deleted book once.
  EXPECT_THAT(committed_, ElementsAre(book.name(), book.name(), book.name()));
}

}  // namespace
}  // namespace metrocap::resource::testing
