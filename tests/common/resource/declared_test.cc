// Declared resources (common/resource/declared.h) over the test-only Library: shelves, and
// books on shelves with read access, caller-dependent writable fields, every hook and a
// custom method; on every store backend, invalidating a real in-process cache client.
#include "common/resource/declared.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "common/status/errors.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "metrocap/resourcetest/v1/library.pb.h"
#include "tests/support/store_backends.h"
#include "tests/support/temp_dir.h"

namespace metrocap::resource {
namespace {

using ::metrocap::testing::StatusIs;
using resourcetest::v1::ArchiveBookRequest;
using resourcetest::v1::Book;
using resourcetest::v1::CreateBookRequest;
using resourcetest::v1::CreateShelfRequest;
using resourcetest::v1::DeleteBookRequest;
using resourcetest::v1::GetBookRequest;
using resourcetest::v1::GetShelfRequest;
using resourcetest::v1::ListBooksRequest;
using resourcetest::v1::ListBooksResponse;
using resourcetest::v1::Shelf;
using resourcetest::v1::UpdateBookRequest;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

server::Call As(identity::Caller caller) {
  server::Call call;
  call.caller = std::move(caller);
  return call;
}
const server::Call kAdmin = As({"admin", membership::v1::Partner::ADMIN, {}});
// A PARTNER granted shelves/a (not shelves/b).
const server::Call kPartner = As({"partners/p", membership::v1::Partner::PARTNER, {"shelves/a"}});

std::string FieldOf(const absl::Status& status) {
  std::vector<FieldViolation> violations = FieldViolationsOf(status);
  return violations.empty() ? "" : violations.front().field;
}

Book MakeBook(const std::string& title, const std::string& author, int pages, bool secret = false) {
  Book book;
  book.set_display_name(title);
  book.set_author(author);
  book.set_pages(pages);
  book.set_secret(secret);
  return book;
}

class DeclaredResourceTest : public ::testing::TestWithParam<::metrocap::testing::StoreBackend> {
 protected:
  void SetUp() override {
    METROCAP_REQUIRE_STORE_BACKEND(GetParam());
    ASSERT_OK_AND_ASSIGN(dir_, metrocap::testing::MakeTempDir("metrocap-declared"));
    ASSERT_OK_AND_ASSIGN(store_, GetParam().Open(dir_));
    ASSERT_OK(store_->Migrate({&shelf_schema_, &book_schema_}));
    ASSERT_OK_AND_ASSIGN(cache_, cache::CacheClient::Create(cache::CacheConfig{}));
    subscription_ = cache_->Subscribe("books", [this](absl::string_view key) {
      absl::MutexLock lock(&mu_);
      invalidated_.emplace_back(key);
    });
    env_ = ServiceEnv{{"test", {}}, store_.get(), "page-key", cache_.get()};
    shelves_ = std::make_unique<Resource<Shelf>>(ShelfDeclaration(), &env_);
    books_ = std::make_unique<Resource<Book>>(BookDeclaration(), &env_);
    for (const char* id : {"a", "b"}) {
      CreateShelfRequest request;
      request.set_shelf_id(id);
      request.mutable_shelf()->set_display_name(id);
      ASSERT_OK(shelves_->Create(kAdmin, request).status());
    }
  }
  void TearDown() override {
    books_.reset();
    shelves_.reset();
    subscription_.reset();
    cache_.reset();
    store_.reset();
    if (!dir_.empty()) metrocap::testing::RemoveTree(dir_);
  }

  Declaration<Shelf> ShelfDeclaration() {
    Declaration<Shelf> d;
    d.collection = "shelves";
    d.schema = &shelf_schema_;
    d.writable = ForEveryCaller({"display_name", "theme"});
    d.may_write = AdminOnly("shelves");
    d.invalidates = {"shelves"};
    return d;
  }

  Declaration<Book> BookDeclaration() {
    Declaration<Book> d;
    d.collection = "shelves/{shelf}/books";
    d.list_across_parents = true;
    d.schema = &book_schema_;
    // A PARTNER may not change the author or make a book secret.
    d.writable = [](const identity::Caller& caller) {
      return caller.IsAdmin()
                 ? std::vector<std::string>{"display_name", "author", "pages", "secret"}
                 : std::vector<std::string>{"display_name", "pages"};
    };
    d.validate = [](const Book& book) {
      return book.pages() < 0 ? InvalidField("book.pages", "must not be negative")
                              : absl::OkStatus();
    };
    d.may_read = [](const identity::Caller& caller, const Book& book) {
      return caller.IsAdmin() || !book.secret();
    };
    d.readable_by = [this](const identity::Caller& caller) {
      return caller.IsAdmin() ? query::Condition{}
                              : *query::CompileFilter(book_schema_, "secret = false");
    };
    d.may_write = GrantedParent();
    // What the curator wrote only an ADMIN changes.
    d.may_change = [](const identity::Caller& caller, const Book& current) {
      return current.author() == "curator" && !caller.IsAdmin()
                 ? absl::PermissionDeniedError("only an ADMIN may change the curator's books")
                 : absl::OkStatus();
    };
    d.invalidates = {"books"};
    d.list_condition =
        [](const server::Call&,
           const google::protobuf::Message& message) -> absl::StatusOr<query::Condition> {
      const auto& request = static_cast<const ListBooksRequest&>(message);
      if (request.min_pages() < 0) return InvalidField("minPages", "must not be negative");
      if (request.min_pages() == 0) return query::Condition{};
      return query::Condition{"pages >= ?", {int64_t{request.min_pages()}}};
    };
    d.prepare = [this](const server::Call&, Book& book) {
      ++prepared_;
      book.clear_shelf();
      book.set_state(Book::ON_LOAN);
      return absl::OkStatus();
    };
    d.complete = [this](store::Transaction& tx, Book& book) -> absl::Status {
      const std::string shelf = store::ParentOf(book.name());
      absl::StatusOr<store::Record> found = tx.Get(shelf_schema_, shelf);
      if (absl::IsNotFound(found.status())) return InvalidField("parent", "no such shelf");
      RETURN_IF_ERROR(found.status());
      book.set_shelf(shelf);
      return absl::OkStatus();
    };
    d.check_outside = [this](const server::Call&, const Book& book) {
      ++checked_outside_;
      return book.author() == "unreachable" ? absl::UnavailableError("catalogue is down")
                                            : absl::OkStatus();
    };
    d.before_update = [](store::Transaction&, const Book& current) {
      return current.state() == Book::ARCHIVED
                 ? absl::FailedPreconditionError("archived books do not change")
                 : absl::OkStatus();
    };
    d.before_delete = d.before_update;
    d.after_commit = [this](const server::Call&, const Book& book) {
      committed_.push_back(book.name());
    };
    return d;
  }

  absl::StatusOr<Book> CreateBook(const server::Call& call, const std::string& parent,
                                  const std::string& id, const Book& book,
                                  const std::string& request_id = "") {
    CreateBookRequest request;
    request.set_parent(parent);
    request.set_book_id(id);
    request.set_request_id(request_id);
    *request.mutable_book() = book;
    return books_->Create(call, request);
  }

  absl::StatusOr<Book> GetBook(const server::Call& call, const std::string& name) {
    GetBookRequest request;
    request.set_name(name);
    return books_->Get(call, request);
  }

  absl::StatusOr<Book> UpdateBook(const server::Call& call, const Book& patch,
                                  std::vector<std::string> paths) {
    UpdateBookRequest request;
    *request.mutable_book() = patch;
    for (const std::string& path : paths) request.mutable_update_mask()->add_paths(path);
    return books_->Update(call, request);
  }

  absl::Status DeleteBook(const server::Call& call, const std::string& name,
                          const std::string& etag = "", const std::string& request_id = "") {
    DeleteBookRequest request;
    request.set_name(name);
    request.set_etag(etag);
    request.set_request_id(request_id);
    return books_->Delete(call, request);
  }

  absl::StatusOr<Book> Archive(const server::Call& call, const std::string& name,
                               const std::string& etag = "", const WriteAccess& access = nullptr) {
    ArchiveBookRequest request;
    request.set_name(name);
    request.set_etag(etag);
    return books_->Transition(
        call, request,
        [](const server::Call&, Book& book) {
          if (book.state() == Book::ARCHIVED) return absl::FailedPreconditionError("archived");
          book.set_state(Book::ARCHIVED);
          return absl::OkStatus();
        },
        access);
  }

  absl::StatusOr<ListBooksResponse> ListBooks(const server::Call& call, const std::string& parent,
                                              const std::string& filter = "",
                                              const std::string& order_by = "", int page_size = 0,
                                              const std::string& page_token = "",
                                              int min_pages = 0) {
    ListBooksRequest request;
    request.set_min_pages(min_pages);
    request.set_parent(parent);
    request.set_filter(filter);
    request.set_order_by(order_by);
    request.set_page_size(page_size);
    request.set_page_token(page_token);
    ListBooksResponse response;
    RETURN_IF_ERROR(books_->List(call, request, &response));
    return response;
  }

  std::vector<std::string> Invalidated() {
    absl::MutexLock lock(&mu_);
    return invalidated_;
  }

  static std::vector<std::string> Names(const ListBooksResponse& response) {
    std::vector<std::string> names;
    for (const Book& book : response.books()) names.push_back(book.name());
    return names;
  }

  std::string dir_;
  std::unique_ptr<store::Store> store_;
  store::ResourceSchema shelf_schema_ =
      store::MakeSchema("shelves", Shelf::descriptor(), {"displayName", "theme"});
  store::ResourceSchema book_schema_ = store::MakeSchema(
      "books", Book::descriptor(), {"displayName", "author", "pages", "secret", "state"});
  std::unique_ptr<cache::CacheClient> cache_;
  std::unique_ptr<cache::InvalidationSubscription> subscription_;
  ServiceEnv env_;
  std::unique_ptr<Resource<Shelf>> shelves_;
  std::unique_ptr<Resource<Book>> books_;
  absl::Mutex mu_;
  std::vector<std::string> invalidated_ ABSL_GUARDED_BY(mu_);
  int prepared_ = 0;
  int checked_outside_ = 0;
  std::vector<std::string> committed_;
};

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

TEST_P(DeclaredResourceTest, UpdateAppliesTheMaskTheCallerMayUse) {
  ASSERT_OK_AND_ASSIGN(Book book,
                       CreateBook(kAdmin, "shelves/a", "rose", MakeBook("Rosa", "eco", 1)));
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
  ASSERT_OK_AND_ASSIGN(Book book,
                       CreateBook(kAdmin, "shelves/a", "rose", MakeBook("Rosa", "eco", 1)));
  Book patch;
  patch.set_name(book.name());
  patch.set_pages(5);
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

TEST_P(DeclaredResourceTest, GuardsRefuseUpdateAndDeleteInTheTransaction) {
  ASSERT_OK_AND_ASSIGN(Book book,
                       CreateBook(kAdmin, "shelves/a", "rose", MakeBook("Rosa", "eco", 1)));
  ASSERT_OK_AND_ASSIGN(Book archived, Archive(kPartner, book.name(), book.etag()));
  EXPECT_EQ(archived.state(), Book::ARCHIVED);
  Book patch;
  patch.set_name(book.name());
  patch.set_pages(2);
  EXPECT_THAT(UpdateBook(kAdmin, patch, {"pages"}).status(),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(DeleteBook(kAdmin, book.name()), StatusIs(absl::StatusCode::kFailedPrecondition));
  ASSERT_OK_AND_ASSIGN(Book now, GetBook(kAdmin, book.name()));
  EXPECT_EQ(now.etag(), archived.etag());
}

TEST_P(DeclaredResourceTest, DeleteChecksTheEtagAndRunsOncePerRequestId) {
  ASSERT_OK_AND_ASSIGN(Book book,
                       CreateBook(kAdmin, "shelves/a", "rose", MakeBook("Rosa", "eco", 1)));
  Book patch;
  patch.set_name(book.name());
  patch.set_pages(2);
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

TEST_P(DeclaredResourceTest, ACustomMethodLoadsChecksTheEtagAndStores) {
  ASSERT_OK_AND_ASSIGN(Book book,
                       CreateBook(kAdmin, "shelves/a", "rose", MakeBook("Rosa", "eco", 1)));
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

TEST_P(DeclaredResourceTest, WriteAccessOnTheStoredResourceRefusesAfterLoading) {
  ASSERT_OK_AND_ASSIGN(Book book,
                       CreateBook(kAdmin, "shelves/a", "rules", MakeBook("Rules", "curator", 1)));
  Book patch;
  patch.set_name(book.name());
  patch.set_pages(2);
  EXPECT_THAT(UpdateBook(kPartner, patch, {"pages"}).status(),
              StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_THAT(DeleteBook(kPartner, book.name()), StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_THAT(Archive(kPartner, book.name()).status(),
              StatusIs(absl::StatusCode::kPermissionDenied));
  ASSERT_OK_AND_ASSIGN(Book now, GetBook(kAdmin, book.name()));
  EXPECT_EQ(now.SerializeAsString(), book.SerializeAsString());
  EXPECT_OK(UpdateBook(kAdmin, patch, {"pages"}).status());
}

TEST_P(DeclaredResourceTest, ACustomMethodMayWriteOtherResourcesInItsTransaction) {
  ASSERT_OK_AND_ASSIGN(Book book,
                       CreateBook(kAdmin, "shelves/a", "rose", MakeBook("Rosa", "eco", 1)));
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

TEST_P(DeclaredResourceTest, OnlyCommittedWritesInvalidateTheDeclaredCaches) {
  // A copy of the book cached by a reader, as another service would hold it.
  cache::LookupCache& books = cache_->Cache("books");
  const std::string name = "shelves/a/books/rose";
  ASSERT_OK_AND_ASSIGN(Book book,
                       CreateBook(kAdmin, "shelves/a", "rose", MakeBook("Rosa", "eco", 1)));
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

INSTANTIATE_TEST_SUITE_P(Backends, DeclaredResourceTest,
                         ::testing::ValuesIn(::metrocap::testing::AllStoreBackends()),
                         ::metrocap::testing::StoreBackendName);

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

}  // namespace
}  // namespace metrocap::resource
