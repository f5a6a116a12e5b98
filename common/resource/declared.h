#pragma once

#include <functional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/types/optional.h"
#include "common/cache/lookup_cache.h"
#include "common/identity/caller.h"
#include "common/query/filter.h"
#include "common/resource/crud.h"
#include "common/resource/names.h"
#include "common/resource/pattern.h"
#include "common/resource/requests.h"
#include "common/server/call.h"
#include "common/status/status_macros.h"
#include "common/store/store.h"
#include "google/protobuf/empty.pb.h"
#include "google/protobuf/field_mask.pb.h"
#include "google/protobuf/util/message_differencer.h"

// Declared resources: a service declares each resource type once (Declaration<T>) and gets
// its standard methods (AIP-131..135) from Resource<T>, each gRPC override one line:
//
//   grpc::Status GetFramework(grpc::ServerContext* c, const v1::GetFrameworkRequest* r,
//                             v1::Framework* out) override { return frameworks_.Get(c, r, out); }
//
// The request's fields (name, parent, the resource, <resource>_id, update_mask, etag,
// request_id, paging) are read by reflection; the method name is the request type's less
// "Request" (GetFrameworkRequest -> GetFramework), logged and used as the key of request ids.
// docs/architecture.md has a worked example.
namespace metrocap::resource {

// What every declared resource of one service shares.
struct ServiceEnv {
  server::CallEnv call;
  store::Store* store = nullptr;  // migrated with the service's schemas; outlives the service
  std::string page_token_key;     // signs page tokens; replicas must share it
  // Where committed writes invalidate `Declaration::invalidates`; null = no shared cache in
  // this process (then nothing is invalidated).
  cache::CacheClient* cache = nullptr;
};

// What a write is about, for the write access rule.
struct WriteTarget {
  std::string action;  // "create", "update", "delete", or a custom method's ("publish")
  std::string parent;  // the collection parent, "" for a top-level collection
  std::string name;    // the resource's name; "" for create (not derived yet)
};

using WriteAccess = std::function<absl::Status(const identity::Caller&, const WriteTarget&)>;

// PERMISSION_DENIED (reason ADMIN_REQUIRED) unless the caller is ADMIN; the message says
// "only an ADMIN may <action> <collection>", e.g. "create frameworks".
WriteAccess AdminOnly(std::string collection);
// PERMISSION_DENIED (reason NOT_GRANTED) unless the caller is ADMIN or a PARTNER granted the
// resource's parent ("organisations/x" for organisations/x/assessments/y).
WriteAccess GrantedParent();

using WritableFields = std::function<std::vector<std::string>(const identity::Caller&)>;

// The same writable fields for every caller.
WritableFields ForEveryCaller(std::vector<std::string> fields);

// Crashes: `collection`'s declaration lacks a schema, writable fields or write access, or
// declares only one half of its read access.
[[noreturn]] void DeclarationError(const std::string& collection);

template <typename T>
struct Declaration {
  // The collection: "frameworks" or "organisations/{organisation}/assessments" (pattern.h).
  std::string collection;
  // Whether List accepts "-" for every parent ID ("organisations/-/assessments").
  bool list_across_parents = false;
  // The store schema (indexed fields for filter and orderBy); outlives the resource.
  const store::ResourceSchema* schema = nullptr;
  // The field a Create derives the ID from when no <resource>_id is given ("", or a field
  // T does not have: the ID is required).
  std::string derive_id_from = "display_name";

  // The fields an update mask may name (snake_case), for this caller. "*" or an empty mask
  // means all of them.
  WritableFields writable;
  // Checks a resource about to be stored (after prepare/complete); INVALID_ARGUMENT naming
  // the field. Optional.
  std::function<absl::Status(const T&)> validate;

  // Read access: who may read one resource, and the same rule as a SQL condition over the
  // schema's columns for List (empty = everything). Either both or neither (everyone
  // authenticated reads). What the caller may not read is NOT_FOUND, as if absent.
  std::function<bool(const identity::Caller&, const T&)> may_read;
  std::function<query::Condition(const identity::Caller&)> readable_by;
  // Write access, checked before anything is read or written. Required.
  WriteAccess may_write;
  // Write access that depends on the stored resource (an application's applicant), checked
  // once Update, Delete and Transition have loaded it. Optional.
  std::function<absl::Status(const identity::Caller&, const T& current)> may_change;
  // Read access a caller may be told about, checked in Get and List before anything is read
  // (action "get" or "list"): PERMISSION_DENIED rules such as "only the partner itself".
  // Optional (none: every authenticated caller).
  WriteAccess read_access;
  // What Get and List show of a stored resource: clears fields kept but never shown (a
  // key's stored hash). Optional.
  std::function<void(T&)> present;

  // Caches (common/cache/names.h) keyed by this resource's name; each committed Create,
  // Update, Delete and Transition invalidates the written name in each, after the commit.
  std::vector<std::string> invalidates;

  // Hooks for what is particular to the resource; each optional. Each gets the call (its
  // caller, request id and trace), so what a hook writes can name its author.
  // List: a condition from the request's own fields (board seats active on a date), ANDed
  // with the filter and readable_by; INVALID_ARGUMENT naming the field for a bad value.
  std::function<absl::StatusOr<query::Condition>(const server::Call&,
                                                 const google::protobuf::Message& request)>
      list_condition;
  // Create, before any transaction: clear output-only fields, set derived ones. `resource`
  // already has its name.
  std::function<absl::Status(const server::Call&, T& resource)> prepare;
  // Create (in a read-only transaction before `check_outside`) and Update (after the mask,
  // in the write transaction, and first in a read-only one when there is a check_outside):
  // check references to other local resources and derive fields from them.
  std::function<absl::Status(const server::Call&, store::Transaction&, T& resource)> complete;
  // A check over the network (a peer's resource exists), outside any transaction so that no
  // lock is held while waiting, after everything local was checked: on Create the resource
  // to insert, on Update the resource as the update would store it (after the mask,
  // complete and validate). Its failure writes nothing.
  using Check = std::function<absl::Status(const server::Call&, const T& resource)>;
  Check check_outside;
  // In the write transaction, on the stored resource before the change: Update and
  // Delete guards ("only drafts may change", "nothing refers to it").
  using Guard =
      std::function<absl::Status(const server::Call&, store::Transaction&, const T& current)>;
  Guard before_update;
  Guard before_delete;
  // After a committed write (not after a replayed request id): `resource` as written, or
  // as it was before a Delete.
  std::function<void(const server::Call&, const T& resource)> after_commit;
  // In the write transaction of Create (before the insert; `before` null), Update (after
  // validate, before the replace), Transition (after the change, when it changed something,
  // before the replace) and Delete (after before_delete; `after` null): changes
  // to other resources that must commit with this one (an applicant's state, a partner's
  // keys, an audit row naming call.caller). Returns what to do once the write has committed
  // (invalidate what it changed in other caches), or an empty function. Not run again for a
  // replayed request id.
  using AfterCommit = std::function<void()>;
  std::function<absl::StatusOr<AfterCommit>(const server::Call&, store::Transaction&,
                                            const T* before, const T* after)>
      also_write;
};

// The standard methods of one declared resource type T. Each gRPC-level method runs
// through server::Serve (identity, logging, one status mapping); each Call-level twin does
// the work for an authenticated call and is what tests and custom methods use.
//
// What each method does, in order; the first failing step ends the call:
//   Get         name checked; read_access; loaded; may_read; present.
//   List        parent checked (every parent for "-" IDs when list_across_parents);
//               read_access; filter, orderBy, page size and token over the schema;
//               readable_by and list_condition ANDed in; present on each item.
//   Create      parent checked; may_write {"create", parent, ""}; output-only fields
//               cleared (ClearOutputOnlyFields); the ID from
//               <resource>_id or derived from derive_id_from (when neither gives one,
//               validate's complaint first); name set; prepare; complete
//               (read-only transaction); validate; check_outside; then, in one write
//               transaction run once per request_id: also_write, insert.
//   Update      <resource>.name checked; may_write {"update", parent, name}; with a
//               check_outside (and a request_id not seen before): in a read-only
//               transaction load, may_read, may_change, <resource>.etag, before_update, the
//               update mask over writable(caller), complete, validate; then check_outside on
//               the result. Then in one write transaction run once per request_id: the same
//               steps again (ABORTED when the result differs from what was checked: the
//               resource changed meanwhile), also_write, replace.
//   Delete      name checked; may_write {"delete", parent, name}; in one write transaction
//               run once per request_id: load, may_read, may_change, etag, before_delete,
//               also_write, delete.
//   Transition  name checked; may_write {<action>, parent, name} (or `access`); with a
//               `check` (and a request_id not seen before): in a read-only transaction load,
//               may_read, may_change, etag; then `check` on the stored resource. Then in one
//               write transaction run once per request_id: load, may_read, may_change, etag
//               (ABORTED when the resource differs from what was checked), change, then
//               also_write and replace unless the change left the resource as it was (then
//               nothing is stored: the etag stays, nothing is invalidated, neither also_write
//               nor after_commit runs).
// After the commit of a write that stored the resource (not a replayed request_id): the name is
// invalidated in every `invalidates` cache, then after_commit runs, then what also_write returned.
// Status codes, beyond those of the hooks:
//   INVALID_ARGUMENT  a malformed name, parent, ID, filter, orderBy, page token or page
//                     size, or an update mask path neither writable nor output only (an
//                     output-only one is ignored: crud.h, UpdatePaths), each naming its field;
//   PERMISSION_DENIED the write access rule refused;
//   NOT_FOUND         absent, or not readable by the caller;
//   ALREADY_EXISTS    Create on a taken name; a request_id reused for another request
//                     (reason REQUEST_ID_REUSED);
//   ABORTED           a stale etag (reason ETAG_MISMATCH); the resource changed between an
//                     outside check and the write (retry).
// A refused write changes nothing and invalidates nothing.
template <typename T>
class Resource {
 public:
  using AfterCommit = typename Declaration<T>::AfterCommit;
  using Check = typename Declaration<T>::Check;
  // What a custom method does to the stored resource, inside the write transaction.
  using Change = std::function<absl::Status(const server::Call&, T&)>;
  // The same, for a change that reads or writes other resources in the same transaction
  // (ratifying an application makes its applicant a member).
  using ChangeInTransaction =
      std::function<absl::Status(const server::Call&, store::Transaction&, T&)>;

  // Crashes when the declaration or the proto's methods are malformed (programmer errors).
  Resource(Declaration<T> declaration, const ServiceEnv* env)
      : d_(std::move(declaration)), env_(env), pattern_(d_.collection), requests_(T::descriptor()) {
    if (d_.schema == nullptr || !d_.may_write || !d_.writable ||
        static_cast<bool>(d_.may_read) != static_cast<bool>(d_.readable_by)) {
      DeclarationError(d_.collection);
    }
  }

  grpc::Status Get(grpc::ServerContext* context, const google::protobuf::Message* request,
                   T* response) {
    return Serve(context, *request, Verb::kGet, [&](const server::Call& call) -> absl::Status {
      ASSIGN_OR_RETURN(*response, Get(call, *request));
      return absl::OkStatus();
    });
  }
  grpc::Status List(grpc::ServerContext* context, const google::protobuf::Message* request,
                    google::protobuf::Message* response) {
    return Serve(context, *request, Verb::kList,
                 [&](const server::Call& call) { return List(call, *request, response); });
  }
  grpc::Status Create(grpc::ServerContext* context, const google::protobuf::Message* request,
                      T* response) {
    return Serve(context, *request, Verb::kCreate, [&](const server::Call& call) -> absl::Status {
      ASSIGN_OR_RETURN(*response, Create(call, *request));
      return absl::OkStatus();
    });
  }
  grpc::Status Update(grpc::ServerContext* context, const google::protobuf::Message* request,
                      T* response) {
    return Serve(context, *request, Verb::kUpdate, [&](const server::Call& call) -> absl::Status {
      ASSIGN_OR_RETURN(*response, Update(call, *request));
      return absl::OkStatus();
    });
  }
  grpc::Status Delete(grpc::ServerContext* context, const google::protobuf::Message* request,
                      google::protobuf::Empty*) {
    return Serve(context, *request, Verb::kDelete,
                 [&](const server::Call& call) { return Delete(call, *request); });
  }
  // A custom method on one resource (:publish, :submit): the `name`, `etag` and
  // `request_id` of `request` are read like Delete's, the write access rule is asked with
  // the method's action ("publish"), or `access` when given, and `change` turns the stored
  // resource into the new one inside the transaction. FAILED_PRECONDITION and the like
  // come from `change`. `check`, when given, is the method's check over the network (the
  // organisations a request names exist in membership): it runs outside any transaction,
  // after the access rules, on the stored resource; its failure writes nothing.
  grpc::Status Transition(grpc::ServerContext* context, const google::protobuf::Message* request,
                          T* response, const Change& change, const WriteAccess& access = nullptr,
                          const Check& check = nullptr) {
    return Transition(context, request, response, InTransaction(change), access, check);
  }
  grpc::Status Transition(grpc::ServerContext* context, const google::protobuf::Message* request,
                          T* response, const ChangeInTransaction& change,
                          const WriteAccess& access = nullptr, const Check& check = nullptr) {
    return Serve(context, *request, Verb::kCustom, [&](const server::Call& call) -> absl::Status {
      ASSIGN_OR_RETURN(*response, Transition(call, *request, change, access, check));
      return absl::OkStatus();
    });
  }

  // Reads `name`. NOT_FOUND when absent or not readable by the caller.
  absl::StatusOr<T> LoadReadable(const server::Call& call, const std::string& name) {
    absl::StatusOr<T> resource = Load<T>(*env_->store, *d_.schema, name);
    if (resource.ok()) RETURN_IF_ERROR(CheckReadable(call, *resource));
    return resource;
  }

  absl::StatusOr<T> Get(const server::Call& call, const google::protobuf::Message& request) {
    const RequestFields& f = requests_.Of(request, Verb::kGet);
    const std::string name = StringOf(request, f.name);
    RETURN_IF_ERROR(pattern_.CheckName("name", name));
    if (d_.read_access) {
      RETURN_IF_ERROR(d_.read_access(call.caller, {f.action, store::ParentOf(name), name}));
    }
    ASSIGN_OR_RETURN(T resource, LoadReadable(call, name));
    if (d_.present) d_.present(resource);
    return resource;
  }

  absl::Status List(const server::Call& call, const google::protobuf::Message& request,
                    google::protobuf::Message* response) {
    const RequestFields& f = requests_.Of(request, Verb::kList);
    const google::protobuf::Reflection* r = request.GetReflection();
    ListParams params;
    params.page_size = r->GetInt32(request, f.page_size);
    params.page_token = StringOf(request, f.page_token);
    params.filter = StringOf(request, f.filter);
    params.order_by = StringOf(request, f.order_by);
    if (f.parent != nullptr) {
      std::string parent = StringOf(request, f.parent);
      if (!d_.list_across_parents || !pattern_.IsWildcardParent(parent)) {
        RETURN_IF_ERROR(pattern_.CheckParent("parent", parent));
        params.parent = std::move(parent);
      }
    }
    if (d_.read_access) RETURN_IF_ERROR(d_.read_access(call.caller, {f.action, params.parent, ""}));
    query::Condition condition = d_.readable_by ? d_.readable_by(call.caller) : query::Condition{};
    if (d_.list_condition) {
      ASSIGN_OR_RETURN(query::Condition own, d_.list_condition(call, request));
      condition = query::And(condition, own);
    }
    ASSIGN_OR_RETURN(RecordPage page, ListRecords(*env_->store, *d_.schema, params, condition,
                                                  env_->page_token_key, call.caller.principal));
    const google::protobuf::Reflection* out = response->GetReflection();
    for (const store::Record& record : page.records) {
      auto* item = static_cast<T*>(out->AddMessage(response, f.items));
      RETURN_IF_ERROR(store::DecodeRecord(record, item));
      if (d_.present) d_.present(*item);
    }
    out->SetString(response, f.next_page_token, std::move(page.next_page_token));
    if (f.total_size != nullptr) {
      out->SetInt32(response, f.total_size, static_cast<int32_t>(page.total_size));
    }
    return absl::OkStatus();
  }

  absl::StatusOr<T> Create(const server::Call& call, const google::protobuf::Message& request) {
    const RequestFields& f = requests_.Of(request, Verb::kCreate);
    const std::string parent = StringOf(request, f.parent);
    RETURN_IF_ERROR(pattern_.CheckParent("parent", parent));
    RETURN_IF_ERROR(d_.may_write(call.caller, {f.action, parent, ""}));
    T resource = ResourceOf(request, f);
    ClearOutputOnlyFields(&resource);
    absl::StatusOr<std::string> id = IdForCreate(f.id ? f.id->json_name() : "id",
                                                 StringOf(request, f.id), DisplayName(resource));
    // When no ID can be had, what is wrong with the resource itself comes first: a caller
    // who left out the display name hears about the display name.
    if (!id.ok() && d_.validate) RETURN_IF_ERROR(d_.validate(resource));
    RETURN_IF_ERROR(id.status());
    const std::string name = pattern_.NameOf(parent, *id);
    resource.set_name(name);
    if (d_.prepare) RETURN_IF_ERROR(d_.prepare(call, resource));
    if (d_.complete) {
      ASSIGN_OR_RETURN(std::unique_ptr<store::Transaction> tx,
                       env_->store->Begin(store::Store::Access::kReadOnly));
      RETURN_IF_ERROR(d_.complete(call, *tx, resource));
    }
    if (d_.validate) RETURN_IF_ERROR(d_.validate(resource));
    // Outside any write transaction, so no lock is held while waiting on the network; when
    // the check fails, nothing has been written.
    if (d_.check_outside) RETURN_IF_ERROR(d_.check_outside(call, resource));
    AfterCommit pending;
    return Write<T>(
        call, request, f, name,
        [&](store::Transaction& tx, T&) -> absl::StatusOr<T> {
          RETURN_IF_ERROR(AlsoWrite(call, tx, nullptr, &resource, pending));
          return Insert(tx, *d_.schema, name, resource);
        },
        &pending);
  }

  absl::StatusOr<T> Update(const server::Call& call, const google::protobuf::Message& request) {
    const RequestFields& f = requests_.Of(request, Verb::kUpdate);
    const T patch = ResourceOf(request, f);
    const std::string& name = patch.name();
    RETURN_IF_ERROR(pattern_.CheckName(absl::StrCat(f.resource->json_name(), ".name"), name));
    RETURN_IF_ERROR(d_.may_write(call.caller, {f.action, store::ParentOf(name), name}));
    google::protobuf::FieldMask mask;
    if (f.update_mask != nullptr) {
      mask.CopyFrom(request.GetReflection()->GetMessage(request, f.update_mask));
    }
    const std::vector<std::string> writable = d_.writable(call.caller);
    // The stored resource `current` (read in `tx`) turned into what the update stores.
    auto merge = [&](store::Transaction& tx, T& current) -> absl::Status {
      if (d_.before_update) RETURN_IF_ERROR(d_.before_update(call, tx, current));
      RETURN_IF_ERROR(ApplyUpdateMask(patch, mask, writable, &current));
      if (d_.complete) RETURN_IF_ERROR(d_.complete(call, tx, current));
      if (d_.validate) RETURN_IF_ERROR(d_.validate(current));
      return absl::OkStatus();
    };
    absl::optional<T> checked;
    if (d_.check_outside) {
      ASSIGN_OR_RETURN(checked,
                       CheckOutside(call, request, f, name, patch.etag(), merge, d_.check_outside));
    }
    AfterCommit pending;
    return Write<T>(
        call, request, f, name,
        [&](store::Transaction& tx, T&) -> absl::StatusOr<T> {
          ASSIGN_OR_RETURN(T current, Current(call, tx, name, patch.etag()));
          const T before = current;
          RETURN_IF_ERROR(merge(tx, current));
          if (checked.has_value()) RETURN_IF_ERROR(SameAsChecked(current, *checked));
          RETURN_IF_ERROR(AlsoWrite(call, tx, &before, &current, pending));
          return Replace(tx, *d_.schema, std::move(current));
        },
        &pending);
  }

  absl::Status Delete(const server::Call& call, const google::protobuf::Message& request) {
    const RequestFields& f = requests_.Of(request, Verb::kDelete);
    const std::string name = StringOf(request, f.name);
    RETURN_IF_ERROR(pattern_.CheckName("name", name));
    RETURN_IF_ERROR(d_.may_write(call.caller, {f.action, store::ParentOf(name), name}));
    AfterCommit pending;
    return Write<google::protobuf::Empty>(
               call, request, f, name,
               [&](store::Transaction& tx, T& deleted) -> absl::StatusOr<google::protobuf::Empty> {
                 ASSIGN_OR_RETURN(deleted, Current(call, tx, name, StringOf(request, f.etag)));
                 if (d_.before_delete) RETURN_IF_ERROR(d_.before_delete(call, tx, deleted));
                 RETURN_IF_ERROR(AlsoWrite(call, tx, &deleted, nullptr, pending));
                 ASSIGN_OR_RETURN(int64_t version, store::ParseEtag(deleted.etag()));
                 RETURN_IF_ERROR(tx.Delete(*d_.schema, name, version));
                 return google::protobuf::Empty();
               },
               &pending)
        .status();
  }

  absl::StatusOr<T> Transition(const server::Call& call, const google::protobuf::Message& request,
                               const Change& change, const WriteAccess& access = nullptr,
                               const Check& check = nullptr) {
    return Transition(call, request, InTransaction(change), access, check);
  }
  absl::StatusOr<T> Transition(const server::Call& call, const google::protobuf::Message& request,
                               const ChangeInTransaction& change,
                               const WriteAccess& access = nullptr, const Check& check = nullptr) {
    const RequestFields& f = requests_.Of(request, Verb::kCustom);
    const std::string name = StringOf(request, f.name);
    RETURN_IF_ERROR(pattern_.CheckName("name", name));
    RETURN_IF_ERROR(
        (access ? access : d_.may_write)(call.caller, {f.action, store::ParentOf(name), name}));
    const std::string etag = StringOf(request, f.etag);
    absl::optional<T> checked;
    if (check) {
      auto as_stored = [](store::Transaction&, T&) { return absl::OkStatus(); };
      ASSIGN_OR_RETURN(checked, CheckOutside(call, request, f, name, etag, as_stored, check));
    }
    bool unchanged = false;
    AfterCommit pending;
    return Write<T>(
        call, request, f, name,
        [&](store::Transaction& tx, T&) -> absl::StatusOr<T> {
          ASSIGN_OR_RETURN(T current, Current(call, tx, name, etag));
          if (checked.has_value()) RETURN_IF_ERROR(SameAsChecked(current, *checked));
          T changed = current;
          RETURN_IF_ERROR(change(call, tx, changed));
          unchanged = google::protobuf::util::MessageDifferencer::Equals(changed, current);
          if (unchanged) return current;
          RETURN_IF_ERROR(AlsoWrite(call, tx, &current, &changed, pending));
          return Replace(tx, *d_.schema, std::move(changed));
        },
        &pending, &unchanged);
  }

  const NamePattern& pattern() const { return pattern_; }

 private:
  grpc::Status Serve(grpc::ServerContext* context, const google::protobuf::Message& request,
                     Verb verb, absl::FunctionRef<absl::Status(const server::Call&)> body) {
    return server::Serve(env_->call, context, requests_.Of(request, verb).method, body);
  }

  static ChangeInTransaction InTransaction(const Change& change) {
    return [change](const server::Call& call, store::Transaction&, T& resource) {
      return change(call, resource);
    };
  }

  absl::Status CheckReadable(const server::Call& call, const T& resource) const {
    if (!d_.may_read || d_.may_read(call.caller, resource)) return absl::OkStatus();
    return absl::NotFoundError(absl::StrCat(resource.name(), " does not exist"));
  }

  // `name` as stored in `tx`, readable by the caller and at `etag` when one is given.
  absl::StatusOr<T> Current(const server::Call& call, store::Transaction& tx,
                            const std::string& name, const std::string& etag) const {
    ASSIGN_OR_RETURN(T current, resource::Get<T>(tx, *d_.schema, name));
    RETURN_IF_ERROR(CheckReadable(call, current));
    if (d_.may_change) RETURN_IF_ERROR(d_.may_change(call.caller, current));
    RETURN_IF_ERROR(CheckEtag(etag, current.etag(), name));
    return current;
  }

  // The outside check of an Update or Transition: in a read-only transaction, `name` as
  // Current reads it, turned by `change` into what `check` is to see; then, with the
  // transaction closed, `check` on it. Returns what was checked, or nothing when the
  // request id was recorded before (the write will replay its response, nothing to check).
  absl::StatusOr<absl::optional<T>> CheckOutside(
      const server::Call& call, const google::protobuf::Message& request, const RequestFields& f,
      const std::string& name, const std::string& etag,
      const std::function<absl::Status(store::Transaction&, T&)>& change, const Check& check) {
    T resource;
    {
      ASSIGN_OR_RETURN(std::unique_ptr<store::Transaction> tx,
                       env_->store->Begin(store::Store::Access::kReadOnly));
      const std::string request_id = StringOf(request, f.request_id);
      if (!request_id.empty()) {
        ASSIGN_OR_RETURN(auto recorded, tx->FindRequest(call.caller.principal, request_id));
        if (recorded.has_value()) return absl::optional<T>();
      }
      ASSIGN_OR_RETURN(resource, Current(call, *tx, name, etag));
      RETURN_IF_ERROR(change(*tx, resource));
    }
    RETURN_IF_ERROR(check(call, resource));
    return absl::optional<T>(std::move(resource));
  }

  // ABORTED unless the write transaction arrived at what the outside check saw: a write
  // that committed in between could have changed what was checked.
  static absl::Status SameAsChecked(const T& now, const T& checked) {
    if (google::protobuf::util::MessageDifferencer::Equals(now, checked)) return absl::OkStatus();
    return absl::AbortedError(
        absl::StrCat(now.name(), " changed while its references were checked; try again"));
  }

  // Runs `body` at most once per request id (WriteOnce); once a run of it is committed,
  // invalidates `name` in the declared caches and runs after_commit with what `body` left
  // in its second argument (for Create/Update/Transition, the response itself), unless
  // `body` set `unchanged` (it stored nothing).
  template <typename Response>
  absl::StatusOr<Response> Write(
      const server::Call& call, const google::protobuf::Message& request, const RequestFields& f,
      const std::string& name,
      const std::function<absl::StatusOr<Response>(store::Transaction&, T&)>& body,
      const AfterCommit* pending = nullptr, const bool* unchanged = nullptr) {
    T written;
    bool replayed = false;
    ASSIGN_OR_RETURN(Response response,
                     WriteOnce<Response>(
                         *env_->store, call, f.method, request, StringOf(request, f.request_id),
                         [&](store::Transaction& tx) { return body(tx, written); }, &replayed));
    if (replayed) return response;  // its write was committed and reported the first time
    if (unchanged != nullptr && *unchanged) return response;
    if constexpr (std::is_same_v<Response, T>) written = response;
    if (env_->cache != nullptr) {
      for (const std::string& cache : d_.invalidates) env_->cache->Cache(cache).Invalidate(name);
    }
    if (d_.after_commit) d_.after_commit(call, written);
    if (pending != nullptr && *pending) (*pending)();
    return response;
  }

  // Runs also_write and keeps what it returns in the call's `pending`, for Write to run
  // after the commit (each attempt of a retried transaction replaces it).
  absl::Status AlsoWrite(const server::Call& call, store::Transaction& tx, const T* before,
                         const T* after, AfterCommit& pending) const {
    if (!d_.also_write) return absl::OkStatus();
    ASSIGN_OR_RETURN(pending, d_.also_write(call, tx, before, after));
    return absl::OkStatus();
  }

  T ResourceOf(const google::protobuf::Message& request, const RequestFields& f) const {
    return static_cast<const T&>(request.GetReflection()->GetMessage(request, f.resource));
  }

  std::string DisplayName(const T& resource) const {
    if (d_.derive_id_from.empty()) return "";
    return StringOf(resource, T::descriptor()->FindFieldByName(d_.derive_id_from));
  }

  Declaration<T> d_;
  const ServiceEnv* env_;
  NamePattern pattern_;
  RequestTable requests_;
};

}  // namespace metrocap::resource
