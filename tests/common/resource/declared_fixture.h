#pragma once

// The fixture of the declared-resource tests (declared_*_test.cc): the test-only Library,
// shelves and books on shelves with read access, caller-dependent writable fields, every
// hook and a custom method, on every store backend, invalidating a real in-process cache
// client. Each hook records what it saw, so tests can tell when it ran and for whom.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "common/resource/declared.h"
#include "common/status/errors.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "metrocap/resourcetest/v1/library.pb.h"
#include "tests/support/store_backends.h"

namespace metrocap::resource::testing {

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

server::Call As(identity::Caller caller);
extern const server::Call kAdmin;
// A PARTNER granted shelves/a (not shelves/b).
extern const server::Call kPartner;

// The field of the first violation of `status`, "" when it names none.
std::string FieldOf(const absl::Status& status);

Book MakeBook(const std::string& title, const std::string& author, int pages, bool secret = false);

class DeclaredResourceTest : public ::testing::TestWithParam<::metrocap::testing::StoreBackend> {
 protected:
  void SetUp() override;
  void TearDown() override;

  Declaration<Shelf> ShelfDeclaration();
  // Books: check_outside refuses the author "unreachable" (UNAVAILABLE); before_update and
  // before_delete refuse ARCHIVED books; only an ADMIN changes the curator's books.
  Declaration<Book> BookDeclaration();

  absl::StatusOr<Book> CreateBook(const server::Call& call, const std::string& parent,
                                  const std::string& id, const Book& book,
                                  const std::string& request_id = "");
  // "Rosa" by eco, 1 page: shelves/a/books/rose, created by an ADMIN.
  absl::StatusOr<Book> CreateRose();
  // A patch of `book` (its name) with `pages`, for an update mask naming "pages".
  static Book PagesPatch(const Book& book, int pages);
  absl::StatusOr<Book> GetBook(const server::Call& call, const std::string& name);
  absl::StatusOr<Book> UpdateBook(const server::Call& call, const Book& patch,
                                  std::vector<std::string> paths,
                                  const std::string& request_id = "");
  absl::Status DeleteBook(const server::Call& call, const std::string& name,
                          const std::string& etag = "", const std::string& request_id = "");
  // :archive, FAILED_PRECONDITION on an ARCHIVED book; `check` as Resource::Transition's.
  absl::StatusOr<Book> Archive(const server::Call& call, const std::string& name,
                               const std::string& etag = "", const WriteAccess& access = nullptr,
                               const Resource<Book>::Check& check = nullptr,
                               const std::string& request_id = "");
  absl::StatusOr<ListBooksResponse> ListBooks(const server::Call& call, const std::string& parent,
                                              const std::string& filter = "",
                                              const std::string& order_by = "", int page_size = 0,
                                              const std::string& page_token = "",
                                              int min_pages = 0);

  std::vector<std::string> Invalidated();
  static std::vector<std::string> Names(const ListBooksResponse& response);

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
  // What check_outside saw last.
  Book last_checked_;
  // Run once by the next check_outside, while it waits outside any transaction: a write
  // that commits meanwhile.
  std::function<void()> while_checking_;
  std::vector<std::string> committed_;
  // "<hook> <caller principal>" for each run of complete, before_update, before_delete and
  // also_write, in order.
  std::vector<std::string> hooks_seen_;
};

}  // namespace metrocap::resource::testing
