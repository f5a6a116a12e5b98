#include "common/store/store.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/status/errors.h"

namespace metrocap::store {

absl::Status Store::RunInTransaction(const std::function<absl::Status(Transaction&)>& work) {
  constexpr int kAttempts = 5;
  absl::Status status;
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    absl::StatusOr<std::unique_ptr<Transaction>> tx = Begin(Access::kReadWrite);
    if (!tx.ok()) return tx.status();
    status = work(**tx);
    if (!status.ok()) return status;
    status = (*tx)->Commit();
    if (status.code() != absl::StatusCode::kAborted) return status;
  }
  return status;
}

std::string EtagOf(int64_t version) { return absl::StrCat("\"", version, "\""); }

absl::StatusOr<int64_t> ParseEtag(absl::string_view etag) {
  absl::string_view text = etag;
  if (text.size() >= 2 && text.front() == '"' && text.back() == '"') {
    text = text.substr(1, text.size() - 2);
  }
  int64_t version;
  if (!absl::SimpleAtoi(text, &version) || version <= 0) {
    return InvalidField("etag", absl::StrCat("\"", etag, "\" is not an etag of this service"));
  }
  return version;
}

std::string ParentOf(absl::string_view name) {
  size_t last = name.rfind('/');
  if (last == absl::string_view::npos) return "";
  size_t second = name.rfind('/', last - 1);
  if (second == absl::string_view::npos || last == 0) return "";
  return std::string(name.substr(0, second));
}

}  // namespace metrocap::store
