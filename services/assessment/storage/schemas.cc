#include "services/assessment/storage/schemas.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/query/order_by.h"
#include "common/status/status_macros.h"
#include "common/store/store.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"

namespace metrocap::assessment {
namespace {

// Rows read per round trip when collecting validated assessments.
constexpr int kBatch = 500;

// Parses stored Assessment bytes, skipping the responses on the wire. Comparison needs only
// the profile, and the responses are most of the bytes: parsing them (or keeping them as
// unknown fields) would cost one allocation per response, hundreds per assessment.
bool ParseWithoutResponses(const std::string& bytes, v1::Assessment* out) {
  using google::protobuf::io::CodedInputStream;
  using google::protobuf::io::CodedOutputStream;
  CodedInputStream in(reinterpret_cast<const uint8_t*>(bytes.data()),
                      static_cast<int>(bytes.size()));
  std::string kept;
  {
    google::protobuf::io::StringOutputStream stream(&kept);
    CodedOutputStream copy(&stream);
    std::string value;
    while (const uint32_t tag = in.ReadTag()) {
      const uint32_t field = tag >> 3;
      switch (tag & 7) {
        case 0: {  // varint
          uint64_t v;
          if (!in.ReadVarint64(&v)) return false;
          copy.WriteTag(tag);
          copy.WriteVarint64(v);
          break;
        }
        case 1: {  // 64-bit
          uint64_t v;
          if (!in.ReadLittleEndian64(&v)) return false;
          copy.WriteTag(tag);
          copy.WriteLittleEndian64(v);
          break;
        }
        case 2: {  // length-delimited
          uint32_t length;
          if (!in.ReadVarint32(&length)) return false;
          if (field == v1::Assessment::kResponsesFieldNumber) {
            if (!in.Skip(static_cast<int>(length))) return false;
            break;
          }
          if (!in.ReadString(&value, static_cast<int>(length))) return false;
          copy.WriteTag(tag);
          copy.WriteVarint32(length);
          copy.WriteString(value);
          break;
        }
        case 5: {  // 32-bit
          uint32_t v;
          if (!in.ReadLittleEndian32(&v)) return false;
          copy.WriteTag(tag);
          copy.WriteLittleEndian32(v);
          break;
        }
        default:  // groups: proto3 never writes them
          return false;
      }
    }
    if (!in.ConsumedEntireMessage()) return false;
  }
  return out->ParseFromString(kept);
}

}  // namespace

const Schemas& AssessmentSchemas() {
  static const Schemas* schemas = [] {
    auto* s = new Schemas;
    s->frameworks =
        store::MakeSchema("frameworks", v1::Framework::descriptor(), {"displayName", "state"});
    s->assessments = store::MakeSchema("assessments", v1::Assessment::descriptor(),
                                       {"organisation", "framework", "state", "visibility",
                                        "periodStart", "periodEnd", "displayName", "validateTime"});
    return s;
  }();
  return *schemas;
}

query::Condition ReadableBy(const identity::Caller& caller) {
  if (caller.IsAdmin()) return {};
  // Enum columns hold the value's name (store::ColumnKind::kEnum).
  query::Condition readable{"visibility = ?", {std::string("PUBLIC")}};
  if (caller.MayRead())
    readable = {"visibility IN (?, ?)", {std::string("NETWORK"), std::string("PUBLIC")}};
  if (caller.role == membership::v1::Partner::PARTNER && !caller.grants.empty()) {
    std::vector<std::string> marks(caller.grants.size(), "?");
    readable.sql =
        absl::StrCat(readable.sql, " OR organisation IN (", absl::StrJoin(marks, ", "), ")");
    for (const std::string& grant : caller.grants) readable.params.push_back(grant);
  }
  return readable;
}

absl::StatusOr<std::vector<v1::Assessment>> ListValidated(store::Transaction& tx,
                                                          absl::string_view framework,
                                                          absl::string_view parent) {
  const store::ResourceSchema& schema = AssessmentSchemas().assessments;
  store::ListQuery list;
  list.parent = std::string(parent);
  list.filter = {"framework = ? AND state = ?", {std::string(framework), std::string("VALIDATED")}};
  ASSIGN_OR_RETURN(list.order, query::ParseOrderBy(schema, ""));
  list.limit = kBatch;
  std::vector<v1::Assessment> out;
  while (true) {
    ASSIGN_OR_RETURN(store::ListResult page, tx.List(schema, list));
    for (const store::Record& record : page.records) {
      if (!ParseWithoutResponses(record.data, &out.emplace_back())) {
        return absl::InternalError(absl::StrCat("stored ", record.name, " does not parse"));
      }
    }
    if (!page.next) break;
    list.after = std::move(page.next);
  }
  return out;
}

}  // namespace metrocap::assessment
