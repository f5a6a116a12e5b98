// Board seats: who sits on the board, in which role, for which term. ADMIN-only writes;
// ListBoardSeats' activeOn is the SQL twin of core SeatActiveOn.
#include "common/status/errors.h"
#include "common/status/status_macros.h"
#include "services/membership/core/validation.h"
#include "services/membership/service.h"
#include "services/membership/storage/schemas.h"

namespace metrocap::membership {

resource::Declaration<v1::BoardSeat> MembershipService::BoardSeatDeclaration() const {
  resource::Declaration<v1::BoardSeat> d;
  d.collection = "boardSeats";
  d.schema = &schemas_.board_seats;
  d.derive_id_from = "person_name";
  d.writable = resource::ForEveryCaller(
      {"organisation", "person_name", "title", "role", "region", "term_start", "term_end"});
  d.may_write = resource::AdminOnly("board seats");
  // Every field first, so a caller sees all bad fields at once; then the references.
  d.complete = [this](const server::Call&, store::Transaction& tx,
                      v1::BoardSeat& seat) -> absl::Status {
    RETURN_IF_ERROR(ValidateBoardSeat(seat, "boardSeat."));
    RETURN_IF_ERROR(
        RequireExists(tx, schemas_.organisations, "boardSeat.organisation", seat.organisation()));
    return RequireExists(tx, schemas_.regions, "boardSeat.region", seat.region());
  };
  d.list_condition =
      [](const server::Call&,
         const google::protobuf::Message& message) -> absl::StatusOr<query::Condition> {
    const auto& request = static_cast<const v1::ListBoardSeatsRequest&>(message);
    if (!request.has_active_on()) return query::Condition{};
    if (!IsValidDate(request.active_on())) {
      return InvalidField("activeOn", "is not a valid calendar date");
    }
    return SeatsActiveOn(request.active_on());
  };
  return d;
}

grpc::Status MembershipService::GetBoardSeat(grpc::ServerContext* context,
                                             const v1::GetBoardSeatRequest* request,
                                             v1::BoardSeat* response) {
  return board_seats_.Get(context, request, response);
}

grpc::Status MembershipService::ListBoardSeats(grpc::ServerContext* context,
                                               const v1::ListBoardSeatsRequest* request,
                                               v1::ListBoardSeatsResponse* response) {
  return board_seats_.List(context, request, response);
}

grpc::Status MembershipService::CreateBoardSeat(grpc::ServerContext* context,
                                                const v1::CreateBoardSeatRequest* request,
                                                v1::BoardSeat* response) {
  return board_seats_.Create(context, request, response);
}

grpc::Status MembershipService::UpdateBoardSeat(grpc::ServerContext* context,
                                                const v1::UpdateBoardSeatRequest* request,
                                                v1::BoardSeat* response) {
  return board_seats_.Update(context, request, response);
}

grpc::Status MembershipService::DeleteBoardSeat(grpc::ServerContext* context,
                                                const v1::DeleteBoardSeatRequest* request,
                                                google::protobuf::Empty* response) {
  return board_seats_.Delete(context, request, response);
}

}  // namespace metrocap::membership
