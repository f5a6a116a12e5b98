#pragma once

#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/server/call.h"
#include "common/status/status_macros.h"
#include "common/store/store.h"
#include "google/protobuf/field_mask.pb.h"
#include "google/protobuf/message.h"

// The standard methods (AIP-131..135) over the resource store, shared by every service so
// that each adapter only states what is particular to its resources.
namespace metrocap::resource {

struct ListParams {
  int page_size = 0;
  std::string page_token;
  std::string filter;
  std::string order_by;
  // "" = every resource of the type; otherwise the collection parent, e.g. "partners/acme".
  std::string parent;
};

struct RecordPage {
  std::vector<store::Record> records;
  std::string next_page_token;
  // How many records match, as counted on the first page (see ListRecords).
  int64_t total_size = 0;
};

// Lists one page. `extra` is a condition the service adds (e.g. board seats active on a
// date). The page token is bound to the table, parent, filter, orderBy, extra and caller.
// The first page (no token) counts the matching records (when it holds them all, it is the
// count); its next_page_token carries that total, and the pages after it return it without
// counting again.
// INVALID_ARGUMENT for a bad filter, orderBy, pageSize or pageToken.
absl::StatusOr<RecordPage> ListRecords(store::Store& store, const store::ResourceSchema& schema,
                                       const ListParams& params, const query::Condition& extra,
                                       absl::string_view token_key, absl::string_view caller);

// The List parameters of any AIP-132 request message.
template <typename Request>
ListParams ParamsOf(const Request& request) {
  ListParams params;
  params.page_size = request.page_size();
  params.page_token = request.page_token();
  params.filter = request.filter();
  params.order_by = request.order_by();
  return params;
}

// Lists one page straight into a List response: `items` (one of its repeated fields),
// next_page_token and total_size.
template <typename Response, typename T>
absl::Status ListInto(store::Store& store, const store::ResourceSchema& schema,
                      const ListParams& params, const query::Condition& extra,
                      absl::string_view token_key, absl::string_view caller,
                      google::protobuf::RepeatedPtrField<T>* items, Response* response) {
  ASSIGN_OR_RETURN(RecordPage page, ListRecords(store, schema, params, extra, token_key, caller));
  for (const store::Record& record : page.records) {
    RETURN_IF_ERROR(store::DecodeRecord(record, items->Add()));
  }
  response->set_next_page_token(std::move(page.next_page_token));
  response->set_total_size(static_cast<int32_t>(page.total_size));
  return absl::OkStatus();
}

// Clears etag, create_time and update_time so stored bytes never carry stale copies.
void ClearOutputFields(google::protobuf::Message* message);

// Clears every field its proto marks output only (google.api.field_behavior OUTPUT_ONLY),
// in nested messages too: what a client sends for one is ignored, never an error (AIP-203),
// so a resource read can be sent back as it is.
void ClearOutputOnlyFields(google::protobuf::Message* message);

// Reads one resource. NOT_FOUND when absent.
template <typename T>
absl::StatusOr<T> Get(store::Transaction& tx, const store::ResourceSchema& schema,
                      absl::string_view name) {
  ASSIGN_OR_RETURN(store::Record record, tx.Get(schema, name));
  T message;
  RETURN_IF_ERROR(store::DecodeRecord(record, &message));
  return message;
}

// Reads one resource in a read-only transaction of its own.
template <typename T>
absl::StatusOr<T> Load(store::Store& store, const store::ResourceSchema& schema,
                       absl::string_view name) {
  ASSIGN_OR_RETURN(std::unique_ptr<store::Transaction> tx,
                   store.Begin(store::Store::Access::kReadOnly));
  return Get<T>(*tx, schema, name);
}

// Stores a new resource under `name` and returns it as stored. ALREADY_EXISTS when taken.
template <typename T>
absl::StatusOr<T> Insert(store::Transaction& tx, const store::ResourceSchema& schema,
                         absl::string_view name, T message) {
  ClearOutputFields(&message);
  message.set_name(std::string(name));
  ASSIGN_OR_RETURN(store::Record record, tx.Insert(schema, name, message));
  RETURN_IF_ERROR(store::DecodeRecord(record, &message));
  return message;
}

// Replaces a resource read earlier in `tx` (its etag names the version it was read at).
template <typename T>
absl::StatusOr<T> Replace(store::Transaction& tx, const store::ResourceSchema& schema, T message) {
  ASSIGN_OR_RETURN(int64_t version, store::ParseEtag(message.etag()));
  ClearOutputFields(&message);
  ASSIGN_OR_RETURN(store::Record record, tx.Update(schema, message.name(), message, version));
  RETURN_IF_ERROR(store::DecodeRecord(record, &message));
  return message;
}

// ABORTED when a caller-supplied etag differs from the current one; OK when none was given.
absl::Status CheckEtag(absl::string_view given, absl::string_view current, absl::string_view name);

// The fields an update of a `resource` message writes: those `mask` names (snake_case
// paths; empty or "*" = every field in `writable`), less those the proto marks output only,
// which are ignored as AIP-203 and AIP-161 say (a mask listing every field of a resource read
// can be sent back as it is). Each field once, in the mask's order. INVALID_ARGUMENT naming
// updateMask for a path that is neither writable nor output only.
absl::StatusOr<std::vector<std::string>> UpdatePaths(const google::protobuf::Descriptor& resource,
                                                     const google::protobuf::FieldMask& mask,
                                                     const std::vector<std::string>& writable);

// Copies the fields UpdatePaths gives from `patch` to `target`; the output-only fields
// nested in what is copied are cleared (AIP-203: a value sent for one is ignored).
// INVALID_ARGUMENT as UpdatePaths, and then `target` is left as it was.
absl::Status ApplyUpdateMask(const google::protobuf::Message& patch,
                             const google::protobuf::FieldMask& mask,
                             const std::vector<std::string>& writable,
                             google::protobuf::Message* target);

// Runs a write at most once per (caller, request_id) within 24 hours (AIP-155): a repeat of
// the same request returns the first response and changes nothing; the same id with a
// different request is ALREADY_EXISTS. With no request_id, simply runs `write` in a
// transaction. The recorded response is committed with the write. `replayed` (optional) is
// set to whether the response returned is a recorded one (so nothing was written now).
absl::StatusOr<std::string> RunWriteOnce(
    store::Store& store, const server::Call& call, absl::string_view method,
    const google::protobuf::Message& request, absl::string_view request_id,
    const std::function<absl::StatusOr<std::string>(store::Transaction&)>& write,
    bool* replayed = nullptr);

template <typename Response>
absl::StatusOr<Response> WriteOnce(
    store::Store& store, const server::Call& call, absl::string_view method,
    const google::protobuf::Message& request, absl::string_view request_id,
    const std::function<absl::StatusOr<Response>(store::Transaction&)>& write,
    bool* replayed = nullptr) {
  // Without a request id nothing is recorded, so the response need not make a round trip
  // through its bytes (for a large resource that was a good part of a write's cost).
  if (request_id.empty()) {
    if (replayed != nullptr) *replayed = false;
    Response response;
    RETURN_IF_ERROR(store.RunInTransaction([&](store::Transaction& tx) -> absl::Status {
      ASSIGN_OR_RETURN(response, write(tx));
      return absl::OkStatus();
    }));
    return response;
  }
  ASSIGN_OR_RETURN(std::string bytes,
                   RunWriteOnce(
                       store, call, method, request, request_id,
                       [&](store::Transaction& tx) -> absl::StatusOr<std::string> {
                         ASSIGN_OR_RETURN(Response response, write(tx));
                         return response.SerializeAsString();
                       },
                       replayed));
  Response response;
  if (!response.ParseFromString(bytes)) return absl::InternalError("recorded response is corrupt");
  return response;
}

}  // namespace metrocap::resource
