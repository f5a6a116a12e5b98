// Declared resources (common/resource/declared.h), what every write shares: access on the stored
// resource, the caller in every hook, cache invalidation; and the declaration's own checks.
#include "tests/common/resource/declared_fixture.h"

namespace metrocap::resource::testing {
namespace {

TEST_P(DeclaredResourceTest, WriteAccessOnTheStoredResourceRefusesAfterLoading) {
  ASSERT_OK_AND_ASSIGN(Book book,
                       CreateBook(kAdmin, "shelves/a", "rules", MakeBook("Rules", "curator", 1)));
  Book patch = PagesPatch(book, 2);
  EXPECT_THAT(UpdateBook(kPartner, patch, {"pages"}).status(),
              StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_THAT(DeleteBook(kPartner, book.name()), StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_THAT(Archive(kPartner, book.name()).status(),
              StatusIs(absl::StatusCode::kPermissionDenied));
  ASSERT_OK_AND_ASSIGN(Book now, GetBook(kAdmin, book.name()));
  EXPECT_EQ(now.SerializeAsString(), book.SerializeAsString());
  EXPECT_OK(UpdateBook(kAdmin, patch, {"pages"}).status());
}

TEST_P(DeclaredResourceTest, OnlyCommittedWritesInvalidateTheDeclaredCaches) {
  // A copy of the book cached by a reader, as another service would hold it.
  cache::LookupCache& books = cache_->Cache("books");
  const std::string name = "shelves/a/books/rose";
  ASSERT_OK_AND_ASSIGN(Book book, CreateRose());
  int loads = 0;
  auto load = [&]() -> absl::StatusOr<std::string> {
    ++loads;
    return std::string("v");
  };
  ASSERT_OK(books.GetOrLoad(name, load).status());
  ASSERT_OK(books.GetOrLoad(name, load).status());
  EXPECT_EQ(loads, 1);
  EXPECT_THAT(Invalidated(), ElementsAre(name));

  Book patch;
  patch.set_name(name);
  patch.set_pages(-1);
  EXPECT_FALSE(UpdateBook(kAdmin, patch, {"pages"}).ok());
  EXPECT_FALSE(DeleteBook(kAdmin, name, "42").ok());
  EXPECT_FALSE(Archive(kAdmin, name, "42").ok());
  EXPECT_FALSE(CreateBook(kAdmin, "shelves/a", "rose", MakeBook("Rosa", "eco", 1)).ok());
  ASSERT_OK(books.GetOrLoad(name, load).status());
  EXPECT_EQ(loads, 1);  // still cached: nothing was written
  EXPECT_THAT(Invalidated(), ElementsAre(name));

  patch.set_pages(3);
  ASSERT_OK(UpdateBook(kAdmin, patch, {"pages"}).status());
  ASSERT_OK(books.GetOrLoad(name, load).status());
  EXPECT_EQ(loads, 2);
  ASSERT_OK(Archive(kAdmin, name).status());
  EXPECT_THAT(Invalidated(), ElementsAre(name, name, name));
  // Shelf writes invalidate their own cache, not the books'.
  CreateShelfRequest shelf;
  shelf.set_shelf_id("c");
  shelf.mutable_shelf()->set_display_name("c");
  ASSERT_OK(shelves_->Create(kAdmin, shelf).status());
  EXPECT_THAT(Invalidated(), ElementsAre(name, name, name));
  EXPECT_EQ(cache_->Cache("shelves").Metrics().invalidations, 3);  // a, b and c
}

TEST_P(DeclaredResourceTest, WithoutACacheClientNothingIsInvalidated) {
  env_.cache = nullptr;
  ASSERT_OK(CreateBook(kAdmin, "shelves/a", "rose", MakeBook("Rosa", "eco", 1)).status());
  EXPECT_THAT(Invalidated(), IsEmpty());
  EXPECT_THAT(committed_, ElementsAre("shelves/a/books/rose"));
}

TEST(RequestTableTest, NamesEachMethodAfterItsRequestType) {
  RequestTable books(Book::descriptor());
  EXPECT_EQ(books.Of(GetBookRequest(), Verb::kGet).method, "GetBook");
  EXPECT_EQ(books.Of(ListBooksRequest(), Verb::kList).method, "ListBooks");
  const RequestFields& create = books.Of(CreateBookRequest(), Verb::kCreate);
  EXPECT_EQ(create.method, "CreateBook");
  EXPECT_EQ(create.action, "create");
  EXPECT_EQ(create.id->name(), "book_id");
  EXPECT_EQ(books.Of(DeleteBookRequest(), Verb::kDelete).action, "delete");
  EXPECT_EQ(books.Of(ArchiveBookRequest(), Verb::kCustom).action, "archive");
  EXPECT_EQ(books.Of(UpdateBookRequest(), Verb::kUpdate).update_mask->name(), "update_mask");
}

TEST(RequestTableDeathTest, ARequestOfAnotherResourceIsAProgrammersError) {
  RequestTable books(Book::descriptor());
  EXPECT_DEATH(books.Of(CreateShelfRequest(), Verb::kCreate), "not the request");
  EXPECT_DEATH(books.Of(GetBookRequest(), Verb::kDelete), "not the request");
}

TEST(DeclarationDeathTest, AnIncompleteDeclarationCrashesAtConstruction) {
  store::ResourceSchema schema = store::MakeSchema("shelves", Shelf::descriptor(), {});
  ServiceEnv env;
  Declaration<Shelf> no_access;
  no_access.collection = "shelves";
  no_access.schema = &schema;
  no_access.writable = ForEveryCaller({"theme"});
  EXPECT_DEATH(Resource<Shelf>(no_access, &env), "needs a schema");
  Declaration<Shelf> half_read = no_access;
  half_read.may_write = AdminOnly("shelves");
  half_read.may_read = [](const identity::Caller&, const Shelf&) { return true; };
  EXPECT_DEATH(Resource<Shelf>(half_read, &env), "both halves");
  Declaration<Shelf> bad_pattern = half_read;
  bad_pattern.may_read = nullptr;
  bad_pattern.collection = "shelves/{shelf}";
  EXPECT_DEATH(Resource<Shelf>(bad_pattern, &env), "not a collection pattern");
}

TEST_P(DeclaredResourceTest, EveryHookInTheTransactionSeesTheCaller) {
  ASSERT_OK_AND_ASSIGN(Book book,
                       CreateBook(kPartner, "shelves/a", "rose", MakeBook("Rosa", "eco", 1)));
  Book patch = PagesPatch(book, 2);
  ASSERT_OK(UpdateBook(kAdmin, patch, {"pages"}).status());
  ASSERT_OK(DeleteBook(kPartner, book.name()));
  EXPECT_THAT(hooks_seen_, ElementsAre("complete partners/p", "also_write partners/p",
                                       // Update: first the read-only pass for the outside check.
                                       "before_update admin", "complete admin",
                                       "before_update admin", "complete admin", "also_write admin",
                                       "before_delete partners/p", "also_write partners/p"));
}

}  // namespace
}  // namespace metrocap::resource::testing
