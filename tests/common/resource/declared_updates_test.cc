// Declared resources (common/resource/declared.h), update: the mask, etags, validation, and the
// outside check on the merged resource.
#include "tests/common/resource/declared_fixture.h"

namespace metrocap::resource::testing {
namespace {

TEST_P(DeclaredResourceTest, UpdateAppliesTheMaskTheCallerMayUse) {
  ASSERT_OK_AND_ASSIGN(Book book, CreateRose());
  Book patch;
  patch.set_name(book.name());
  patch.set_author("someone else");
  patch.set_pages(2);
  absl::Status refused = UpdateBook(kPartner, patch, {"author"}).status();
  EXPECT_THAT(refused, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(FieldOf(refused), "updateMask");
  // An empty mask means every field the caller may write: pages, and display_name cleared.
  ASSERT_OK_AND_ASSIGN(Book updated, UpdateBook(kPartner, patch, {}));
  EXPECT_EQ(updated.author(), "eco");
  EXPECT_EQ(updated.pages(), 2);
  EXPECT_EQ(updated.display_name(), "");
  EXPECT_NE(updated.etag(), book.etag());
  ASSERT_OK_AND_ASSIGN(Book by_admin, UpdateBook(kAdmin, patch, {"author"}));
  EXPECT_EQ(by_admin.author(), "someone else");
  // complete runs on update too.
  EXPECT_EQ(by_admin.shelf(), "shelves/a");

  EXPECT_THAT(UpdateBook(As({"partners/q", membership::v1::Partner::PARTNER, {}}), patch, {"pages"})
                  .status(),
              StatusIs(absl::StatusCode::kPermissionDenied));
  Book bad_name = patch;
  bad_name.set_name("books/rose");
  EXPECT_EQ(FieldOf(UpdateBook(kAdmin, bad_name, {"pages"}).status()), "book.name");
}

TEST_P(DeclaredResourceTest, AStaleEtagOrAnInvalidResultChangesNothing) {
  ASSERT_OK_AND_ASSIGN(Book book, CreateRose());
  Book patch = PagesPatch(book, 5);
  patch.set_etag(book.etag());
  ASSERT_OK_AND_ASSIGN(Book updated, UpdateBook(kAdmin, patch, {"pages"}));
  absl::Status stale = UpdateBook(kAdmin, patch, {"pages"}).status();
  EXPECT_THAT(stale, StatusIs(absl::StatusCode::kAborted));
  EXPECT_EQ(ReasonOf(stale), "ETAG_MISMATCH");
  patch.set_etag("");
  patch.set_pages(-3);
  EXPECT_EQ(FieldOf(UpdateBook(kAdmin, patch, {"pages"}).status()), "book.pages");
  ASSERT_OK_AND_ASSIGN(Book now, GetBook(kAdmin, book.name()));
  EXPECT_EQ(now.SerializeAsString(), updated.SerializeAsString());
}

TEST_P(DeclaredResourceTest, UpdateChecksOutsideWhatItWouldStoreAndARefusalChangesNothing) {
  ASSERT_OK_AND_ASSIGN(Book book, CreateRose());
  ASSERT_EQ(checked_outside_, 1);
  Book patch = PagesPatch(book, 2);
  ASSERT_OK(UpdateBook(kPartner, patch, {"pages"}).status());
  EXPECT_EQ(checked_outside_, 2);
  // The check saw the stored book with the mask applied and complete run.
  EXPECT_EQ(last_checked_.pages(), 2);
  EXPECT_EQ(last_checked_.author(), "eco");
  EXPECT_EQ(last_checked_.shelf(), "shelves/a");
  ASSERT_OK_AND_ASSIGN(Book before, GetBook(kAdmin, book.name()));

  patch.set_author("unreachable");
  patch.set_pages(3);
  EXPECT_THAT(UpdateBook(kAdmin, patch, {"author", "pages"}).status(),
              StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_EQ(checked_outside_, 3);
  EXPECT_EQ(last_checked_.pages(), 3);
  // Refused locally (the validator, a guard): the network check is not reached.
  patch.set_author("eco");
  patch.set_pages(-1);
  EXPECT_EQ(FieldOf(UpdateBook(kAdmin, patch, {"pages"}).status()), "book.pages");
  EXPECT_EQ(checked_outside_, 3);
  ASSERT_OK_AND_ASSIGN(Book now, GetBook(kAdmin, book.name()));
  EXPECT_EQ(now.SerializeAsString(), before.SerializeAsString());
  EXPECT_THAT(Invalidated(), ElementsAre(book.name(), book.name()));
}

TEST_P(DeclaredResourceTest, AWriteWhileTheUpdateIsCheckedAbortsIt) {
  ASSERT_OK_AND_ASSIGN(Book book, CreateRose());
  Book other;
  other.set_name(book.name());
  other.set_display_name("Rosa, revised");
  while_checking_ = [&] { ASSERT_OK(UpdateBook(kAdmin, other, {"display_name"}).status()); };
  Book patch = PagesPatch(book, 2);
  EXPECT_THAT(UpdateBook(kAdmin, patch, {"pages"}).status(), StatusIs(absl::StatusCode::kAborted));
  ASSERT_OK_AND_ASSIGN(Book now, GetBook(kAdmin, book.name()));
  EXPECT_EQ(now.display_name(), "Rosa, revised");
  EXPECT_EQ(now.pages(), 1);
  // Tried again, it goes through.
  ASSERT_OK_AND_ASSIGN(Book updated, UpdateBook(kAdmin, patch, {"pages"}));
  EXPECT_EQ(updated.pages(), 2);
  EXPECT_EQ(updated.display_name(), "Rosa, revised");
}

TEST_P(DeclaredResourceTest, AReplayedUpdateReturnsItsFirstResponseWithoutCheckingAgain) {
  ASSERT_OK_AND_ASSIGN(Book book, CreateRose());
  Book patch = PagesPatch(book, 2);
  patch.set_etag(book.etag());
  ASSERT_OK_AND_ASSIGN(Book first, UpdateBook(kAdmin, patch, {"pages"}, "u-1"));
  const int checks = checked_outside_;
  // The etag given is stale now, yet the replay answers as the first run did.
  ASSERT_OK_AND_ASSIGN(Book again, UpdateBook(kAdmin, patch, {"pages"}, "u-1"));
  EXPECT_EQ(again.SerializeAsString(), first.SerializeAsString());
  EXPECT_EQ(checked_outside_, checks);
  EXPECT_THAT(UpdateBook(kAdmin, patch, {"pages"}, "u-2").status(),
              StatusIs(absl::StatusCode::kAborted));
}

}  // namespace
}  // namespace metrocap::resource::testing
