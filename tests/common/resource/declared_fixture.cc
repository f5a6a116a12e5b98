#include "tests/common/resource/declared_fixture.h"

#include "tests/support/temp_dir.h"

namespace metrocap::resource::testing {

server::Call As(identity::Caller caller) {
  server::Call call;
  call.caller = std::move(caller);
  return call;
}
const server::Call kAdmin = As({"admin", membership::v1::Partner::ADMIN, {}});
const server::Call kPartner = As({"partners/p", membership::v1::Partner::PARTNER, {"shelves/a"}});

std::string FieldOf(const absl::Status& status) {
  std::vector<FieldViolation> violations = FieldViolationsOf(status);
  return violations.empty() ? "" : violations.front().field;
}

Book MakeBook(const std::string& title, const std::string& author, int pages, bool secret) {
  Book book;
  book.set_display_name(title);
  book.set_author(author);
  book.set_pages(pages);
  book.set_secret(secret);
  return book;
}

void DeclaredResourceTest::SetUp() {
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

void DeclaredResourceTest::TearDown() {
  books_.reset();
  shelves_.reset();
  subscription_.reset();
  cache_.reset();
  store_.reset();
  if (!dir_.empty()) metrocap::testing::RemoveTree(dir_);
}

Declaration<Shelf> DeclaredResourceTest::ShelfDeclaration() {
  Declaration<Shelf> d;
  d.collection = "shelves";
  d.schema = &shelf_schema_;
  d.writable = ForEveryCaller({"display_name", "theme"});
  d.may_write = AdminOnly("shelves");
  d.invalidates = {"shelves"};
  return d;
}

Declaration<Book> DeclaredResourceTest::BookDeclaration() {
  Declaration<Book> d;
  d.collection = "shelves/{shelf}/books";
  d.list_across_parents = true;
  d.schema = &book_schema_;
  // A PARTNER may not change the author or make a book secret.
  d.writable = [](const identity::Caller& caller) {
    return caller.IsAdmin() ? std::vector<std::string>{"display_name", "author", "pages", "secret"}
                            : std::vector<std::string>{"display_name", "pages"};
  };
  d.validate = [](const Book& book) {
    return book.pages() < 0 ? InvalidField("book.pages", "must not be negative") : absl::OkStatus();
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
  d.complete = [this](const server::Call& call, store::Transaction& tx,
                      Book& book) -> absl::Status {
    hooks_seen_.push_back("complete " + call.caller.principal);
    const std::string shelf = store::ParentOf(book.name());
    absl::StatusOr<store::Record> found = tx.Get(shelf_schema_, shelf);
    if (absl::IsNotFound(found.status())) return InvalidField("parent", "no such shelf");
    RETURN_IF_ERROR(found.status());
    book.set_shelf(shelf);
    return absl::OkStatus();
  };
  d.check_outside = [this](const server::Call&, const Book& book) {
    ++checked_outside_;
    last_checked_ = book;
    if (while_checking_) std::exchange(while_checking_, nullptr)();
    return book.author() == "unreachable" ? absl::UnavailableError("catalogue is down")
                                          : absl::OkStatus();
  };
  d.before_update = [this](const server::Call& call, store::Transaction&, const Book& current) {
    hooks_seen_.push_back("before_update " + call.caller.principal);
    return current.state() == Book::ARCHIVED
               ? absl::FailedPreconditionError("archived books do not change")
               : absl::OkStatus();
  };
  d.before_delete = [this](const server::Call& call, store::Transaction&, const Book& current) {
    hooks_seen_.push_back("before_delete " + call.caller.principal);
    return current.state() == Book::ARCHIVED
               ? absl::FailedPreconditionError("archived books do not change")
               : absl::OkStatus();
  };
  d.also_write = [this](const server::Call& call, store::Transaction&, const Book*,
                        const Book*) -> absl::StatusOr<Declaration<Book>::AfterCommit> {
    hooks_seen_.push_back("also_write " + call.caller.principal);
    return nullptr;
  };
  d.after_commit = [this](const server::Call&, const Book& book) {
    committed_.push_back(book.name());
  };
  return d;
}

absl::StatusOr<Book> DeclaredResourceTest::CreateBook(const server::Call& call,
                                                      const std::string& parent,
                                                      const std::string& id, const Book& book,
                                                      const std::string& request_id) {
  CreateBookRequest request;
  request.set_parent(parent);
  request.set_book_id(id);
  request.set_request_id(request_id);
  *request.mutable_book() = book;
  return books_->Create(call, request);
}

absl::StatusOr<Book> DeclaredResourceTest::CreateRose() {
  return CreateBook(kAdmin, "shelves/a", "rose", MakeBook("Rosa", "eco", 1));
}

Book DeclaredResourceTest::PagesPatch(const Book& book, int pages) {
  Book patch;
  patch.set_name(book.name());
  patch.set_pages(pages);
  return patch;
}

absl::StatusOr<Book> DeclaredResourceTest::GetBook(const server::Call& call,
                                                   const std::string& name) {
  GetBookRequest request;
  request.set_name(name);
  return books_->Get(call, request);
}

absl::StatusOr<Book> DeclaredResourceTest::UpdateBook(const server::Call& call, const Book& patch,
                                                      std::vector<std::string> paths,
                                                      const std::string& request_id) {
  UpdateBookRequest request;
  *request.mutable_book() = patch;
  for (const std::string& path : paths) request.mutable_update_mask()->add_paths(path);
  request.set_request_id(request_id);
  return books_->Update(call, request);
}

absl::Status DeclaredResourceTest::DeleteBook(const server::Call& call, const std::string& name,
                                              const std::string& etag,
                                              const std::string& request_id) {
  DeleteBookRequest request;
  request.set_name(name);
  request.set_etag(etag);
  request.set_request_id(request_id);
  return books_->Delete(call, request);
}

absl::StatusOr<Book> DeclaredResourceTest::Archive(const server::Call& call,
                                                   const std::string& name, const std::string& etag,
                                                   const WriteAccess& access,
                                                   const Resource<Book>::Check& check,
                                                   const std::string& request_id) {
  ArchiveBookRequest request;
  request.set_name(name);
  request.set_etag(etag);
  request.set_request_id(request_id);
  return books_->Transition(
      call, request,
      [](const server::Call&, Book& book) {
        if (book.state() == Book::ARCHIVED) return absl::FailedPreconditionError("archived");
        book.set_state(Book::ARCHIVED);
        return absl::OkStatus();
      },
      access, check);
}

absl::StatusOr<ListBooksResponse> DeclaredResourceTest::ListBooks(
    const server::Call& call, const std::string& parent, const std::string& filter,
    const std::string& order_by, int page_size, const std::string& page_token, int min_pages) {
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

std::vector<std::string> DeclaredResourceTest::Invalidated() {
  absl::MutexLock lock(&mu_);
  return invalidated_;
}

std::vector<std::string> DeclaredResourceTest::Names(const ListBooksResponse& response) {
  std::vector<std::string> names;
  for (const Book& book : response.books()) names.push_back(book.name());
  return names;
}

INSTANTIATE_TEST_SUITE_P(Backends, DeclaredResourceTest,
                         ::testing::ValuesIn(::metrocap::testing::AllStoreBackends()),
                         ::metrocap::testing::StoreBackendName);

}  // namespace metrocap::resource::testing
