#include "common/store/stored_data.h"

#include <zstd.h>

#include "absl/base/macros.h"
#include "absl/strings/str_cat.h"

namespace metrocap::store {
namespace {

constexpr char kCompressed = '\0';
// zstd's fastest level that is not a negative one. On the roadmaps benchmark's ~250 kB
// roadmap levels 1 to 3 all take ~150 us and shrink it 16-18 times
// (docs/benchmarks.md, "Roadmaps"): the bytes written and synced are what an update waits
// for, and on less repetitive data the higher levels cost more CPU for a few per cent.
constexpr int kLevel = 1;
// No message the services store comes near this; a larger size read from a frame header is
// a damaged value, not a reason to allocate it.
constexpr unsigned long long kMaxMessageBytes = 1ull << 30;

}  // namespace

std::string StoredData(const ResourceSchema& schema, absl::string_view bytes) {
  if (!schema.compress) return std::string(bytes);
  std::string stored(1 + ZSTD_compressBound(bytes.size()), kCompressed);
  const size_t size =
      ZSTD_compress(stored.data() + 1, stored.size() - 1, bytes.data(), bytes.size(), kLevel);
  // Compressing into a buffer of ZSTD_compressBound bytes cannot fail.
  ABSL_ASSERT(!ZSTD_isError(size));
  stored.resize(1 + size);
  return stored;
}

absl::Status ReadStoredData(absl::string_view name, std::string& data) {
  if (data.empty() || data[0] != kCompressed) return absl::OkStatus();
  const absl::string_view frame = absl::string_view(data).substr(1);
  const unsigned long long size = ZSTD_getFrameContentSize(frame.data(), frame.size());
  if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN ||
      size > kMaxMessageBytes) {
    return absl::InternalError(absl::StrCat("stored ", name, " does not decompress"));
  }
  std::string bytes(size, '\0');
  const size_t written = ZSTD_decompress(bytes.data(), bytes.size(), frame.data(), frame.size());
  if (ZSTD_isError(written) || written != size) {
    return absl::InternalError(absl::StrCat("stored ", name, " does not decompress"));
  }
  data = std::move(bytes);
  return absl::OkStatus();
}

}  // namespace metrocap::store
