#include "common/resource/peer.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/status/errors.h"
#include "common/status/grpc_status.h"

namespace metrocap::resource {
namespace {

std::string Reason(absl::string_view word, absl::string_view suffix) {
  return absl::StrCat(absl::AsciiStrToUpper(word), suffix);
}

}  // namespace

absl::Status PeerStatus(const PeerConfig& config, absl::string_view name,
                        const grpc::Status& status) {
  auto unavailable = [&](absl::string_view why) {
    return WithReason(absl::UnavailableError(absl::StrCat(config.peer, " cannot confirm the ",
                                                          config.noun, ": ", why)),
                      Reason(config.peer, "_UNAVAILABLE"));
  };
  switch (status.error_code()) {
    case grpc::StatusCode::OK:
      return absl::OkStatus();
    case grpc::StatusCode::NOT_FOUND: {
      const bool vowel = !config.noun.empty() && absl::StrContains("aeiou", config.noun[0]);
      return WithReason(absl::NotFoundError(absl::StrCat(name, " is not ", vowel ? "an " : "a ",
                                                         config.noun, " in ", config.peer)),
                        Reason(config.noun, "_NOT_FOUND"));
    }
    case grpc::StatusCode::PERMISSION_DENIED:
      return FromGrpcStatus(status);
    case grpc::StatusCode::UNAUTHENTICATED:
      // Services trust each other through the internal credential; the peer refusing it is
      // a deployment error that no retry by the caller will fix.
      return unavailable(
          "it refused this service's credential (METROCAP_INTERNAL_CREDENTIAL must match)");
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return unavailable("it did not answer in time");
    default:
      return unavailable(status.error_message().empty()
                             ? absl::StrCat("status ", status.error_code())
                             : status.error_message());
  }
}

}  // namespace metrocap::resource
