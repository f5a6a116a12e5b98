#include "common/resource/crud.h"

#include <algorithm>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/query/page.h"
#include "common/status/errors.h"
#include "google/api/field_behavior.pb.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/util/field_mask_util.h"
#include "openssl/sha.h"

namespace metrocap::resource {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

std::string Sha256(absl::string_view data) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest);
  return std::string(reinterpret_cast<const char*>(digest), sizeof(digest));
}

std::string Fingerprint(absl::string_view method, const Message& request) {
  std::string bytes;
  google::protobuf::io::StringOutputStream stream(&bytes);
  {
    google::protobuf::io::CodedOutputStream out(&stream);
    out.SetSerializationDeterministic(true);
    request.SerializeToCodedStream(&out);
  }
  return absl::StrCat(method, ":", absl::BytesToHexString(Sha256(bytes)));
}

bool IsOutputOnly(const FieldDescriptor& field) {
  const auto& behaviors = field.options().GetRepeatedExtension(google::api::field_behavior);
  return std::find(behaviors.begin(), behaviors.end(), google::api::OUTPUT_ONLY) != behaviors.end();
}

// ClearOutputOnlyFields on the message (or each message) `field` of `message` holds.
void ClearOutputOnlyFieldsIn(Message* message, const FieldDescriptor* field) {
  if (field->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE || field->is_map()) return;
  const google::protobuf::Reflection* r = message->GetReflection();
  if (field->is_repeated()) {
    for (int j = 0; j < r->FieldSize(*message, field); ++j) {
      ClearOutputOnlyFields(r->MutableRepeatedMessage(message, field, j));
    }
  } else if (r->HasField(*message, field)) {
    ClearOutputOnlyFields(r->MutableMessage(message, field));
  }
}

}  // namespace

absl::StatusOr<RecordPage> ListRecords(store::Store& store, const store::ResourceSchema& schema,
                                       const ListParams& params, const query::Condition& extra,
                                       absl::string_view token_key, absl::string_view caller) {
  ASSIGN_OR_RETURN(int page_size, query::EffectivePageSize(params.page_size));
  ASSIGN_OR_RETURN(query::Condition filter, query::CompileFilter(schema, params.filter));
  ASSIGN_OR_RETURN(std::vector<query::OrderTerm> order,
                   query::ParseOrderBy(schema, params.order_by));
  filter = query::And(filter, extra);
  std::string fingerprint = absl::StrCat(schema.table, "\n", params.parent, "\n", params.filter,
                                         "\n", params.order_by, "\n", extra.sql, "\n", caller);
  for (const store::SqlValue& v : extra.params) {
    absl::StrAppend(&fingerprint, "\n",
                    absl::holds_alternative<int64_t>(v) ? absl::StrCat(absl::get<int64_t>(v))
                                                        : absl::get<std::string>(v));
  }
  store::ListQuery list_query;
  list_query.parent = params.parent;
  list_query.filter = filter;
  list_query.order = order;
  list_query.limit = page_size;
  // The first page counts; its total rides in the tokens of the pages after it, so a deep
  // page costs its rows only (docs/api.md, "totalSize"). A token made before totals rode
  // along carries none: that page counts again.
  absl::optional<int64_t> carried_total;
  if (!params.page_token.empty()) {
    ASSIGN_OR_RETURN(
        query::Cursor cursor,
        query::DecodePageToken(token_key, fingerprint, params.page_token, &carried_total));
    RETURN_IF_ERROR(query::CheckCursor(order, cursor));
    list_query.after = std::move(cursor);
  }
  ASSIGN_OR_RETURN(std::unique_ptr<store::Transaction> tx,
                   store.Begin(store::Store::Access::kReadOnly));
  ASSIGN_OR_RETURN(store::ListResult result, tx->List(schema, list_query));
  RecordPage page;
  if (carried_total.has_value()) {
    page.total_size = *carried_total;
  } else if (!result.next) {
    // A first page that is also the last holds every match: nothing to count.
    page.total_size = static_cast<int64_t>(result.records.size());
  } else {
    ASSIGN_OR_RETURN(page.total_size, tx->Count(schema, params.parent, filter));
  }
  page.records = std::move(result.records);
  if (result.next) {
    page.next_page_token =
        query::EncodePageToken(token_key, fingerprint, *result.next, page.total_size);
  }
  return page;
}

void ClearOutputFields(Message* message) {
  const google::protobuf::Descriptor* d = message->GetDescriptor();
  const google::protobuf::Reflection* r = message->GetReflection();
  for (const char* field : {"etag", "create_time", "update_time"}) {
    if (const FieldDescriptor* f = d->FindFieldByName(field)) r->ClearField(message, f);
  }
}

void ClearOutputOnlyFields(Message* message) {
  const google::protobuf::Descriptor* d = message->GetDescriptor();
  const google::protobuf::Reflection* r = message->GetReflection();
  for (int i = 0; i < d->field_count(); ++i) {
    const FieldDescriptor* f = d->field(i);
    if (IsOutputOnly(*f)) {
      r->ClearField(message, f);
    } else {
      ClearOutputOnlyFieldsIn(message, f);
    }
  }
}

absl::Status CheckEtag(absl::string_view given, absl::string_view current, absl::string_view name) {
  if (given.empty() || given == current) return absl::OkStatus();
  RETURN_IF_ERROR(store::ParseEtag(given).status());
  return WithReason(
      absl::AbortedError(absl::StrCat("etag ", given, " is stale: ", name, " is now at ", current)),
      "ETAG_MISMATCH");
}

absl::StatusOr<std::vector<std::string>> UpdatePaths(const google::protobuf::Descriptor& resource,
                                                     const google::protobuf::FieldMask& mask,
                                                     const std::vector<std::string>& writable) {
  std::vector<std::string> named(mask.paths().begin(), mask.paths().end());
  if (named.empty() || (named.size() == 1 && named[0] == "*")) named = writable;
  std::vector<std::string> paths;
  // Every path is checked before any is used, so a refused mask changes nothing.
  for (const std::string& path : named) {
    const FieldDescriptor* field = resource.FindFieldByName(path);
    if (field != nullptr && IsOutputOnly(*field)) continue;
    if (field == nullptr || std::find(writable.begin(), writable.end(), path) == writable.end()) {
      return InvalidField("updateMask",
                          absl::StrCat("\"", path, "\" is not a field that can be updated"));
    }
    if (std::find(paths.begin(), paths.end(), path) == paths.end()) paths.push_back(path);
  }
  return paths;
}

absl::Status ApplyUpdateMask(const Message& patch, const google::protobuf::FieldMask& mask,
                             const std::vector<std::string>& writable, Message* target) {
  const google::protobuf::Descriptor* d = target->GetDescriptor();
  ASSIGN_OR_RETURN(std::vector<std::string> paths, UpdatePaths(*d, mask, writable));
  // Only the named fields are copied (copying the whole patch to drop the others was most
  // of the cost of updating one field of a large resource).
  google::protobuf::FieldMask chosen;
  for (const std::string& path : paths) chosen.add_paths(path);
  google::protobuf::util::FieldMaskUtil::MergeOptions replace;
  replace.set_replace_message_fields(true);
  replace.set_replace_repeated_fields(true);
  google::protobuf::util::FieldMaskUtil::MergeMessageTo(patch, chosen, replace, target);
  for (const std::string& path : paths) ClearOutputOnlyFieldsIn(target, d->FindFieldByName(path));
  return absl::OkStatus();
}

absl::StatusOr<std::string> RunWriteOnce(
    store::Store& store, const server::Call& call, absl::string_view method, const Message& request,
    absl::string_view request_id,
    const std::function<absl::StatusOr<std::string>(store::Transaction&)>& write, bool* replayed) {
  std::string response;
  std::string fingerprint = request_id.empty() ? "" : Fingerprint(method, request);
  RETURN_IF_ERROR(store.RunInTransaction([&](store::Transaction& tx) -> absl::Status {
    if (replayed != nullptr) *replayed = false;
    if (!request_id.empty()) {
      ASSIGN_OR_RETURN(auto recorded, tx.FindRequest(call.caller.principal, request_id));
      if (recorded.has_value()) {
        if (recorded->request_fingerprint != fingerprint) {
          return WithReason(
              absl::AlreadyExistsError(absl::StrCat("requestId ", request_id,
                                                    " was already used for a different request")),
              "REQUEST_ID_REUSED");
        }
        response = recorded->response;
        if (replayed != nullptr) *replayed = true;
        return absl::OkStatus();
      }
    }
    ASSIGN_OR_RETURN(response, write(tx));
    if (!request_id.empty()) {
      RETURN_IF_ERROR(tx.RecordRequest(call.caller.principal, request_id, fingerprint, response));
    }
    return absl::OkStatus();
  }));
  return response;
}

}  // namespace metrocap::resource
