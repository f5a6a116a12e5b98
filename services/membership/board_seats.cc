// Board seats: who sits on the board, in which role, for which term. ADMIN-only writes;
// ListBoardSeats' activeOn is the SQL twin of core SeatActiveOn.
#include "common/identity/access.h"
#include "common/resource/crud.h"
#include "common/resource/names.h"
#include "common/status/errors.h"
#include "common/status/status_macros.h"
#include "services/membership/core/validation.h"
#include "services/membership/service.h"
#include "services/membership/storage/schemas.h"

namespace metrocap::membership {
namespace {

using google::protobuf::Empty;
using identity::RequireAdmin;

const std::vector<std::string> kBoardSeatWritable = {
    "organisation", "person_name", "title", "role", "region", "term_start", "term_end"};

}  // namespace

grpc::Status MembershipService::GetBoardSeat(grpc::ServerContext* context,
                                             const v1::GetBoardSeatRequest* request,
                                             v1::BoardSeat* response) {
  return server::Serve(env_, context, "GetBoardSeat", [&](const server::Call&) -> absl::Status {
    RETURN_IF_ERROR(resource::CheckName("name", request->name(), "boardSeats"));
    ASSIGN_OR_RETURN(*response,
                     resource::Load<v1::BoardSeat>(*store_, schemas_.board_seats, request->name()));
    return absl::OkStatus();
  });
}

grpc::Status MembershipService::ListBoardSeats(grpc::ServerContext* context,
                                               const v1::ListBoardSeatsRequest* request,
                                               v1::ListBoardSeatsResponse* response) {
  return server::Serve(
      env_, context, "ListBoardSeats", [&](const server::Call& call) -> absl::Status {
        query::Condition extra;
        if (request->has_active_on()) {
          if (!IsValidDate(request->active_on())) {
            return InvalidField("activeOn", "is not a valid calendar date");
          }
          extra = SeatsActiveOn(request->active_on());
        }
        return resource::ListInto(*store_, schemas_.board_seats, resource::ParamsOf(*request),
                                  extra, page_token_key_, call.caller.principal,
                                  response->mutable_board_seats(), response);
      });
}

grpc::Status MembershipService::CreateBoardSeat(grpc::ServerContext* context,
                                                const v1::CreateBoardSeatRequest* request,
                                                v1::BoardSeat* response) {
  return server::Serve(
      env_, context, "CreateBoardSeat", [&](const server::Call& call) -> absl::Status {
        RETURN_IF_ERROR(RequireAdmin(call.caller, "create board seats"));
        const v1::BoardSeat& seat = request->board_seat();
        RETURN_IF_ERROR(ValidateBoardSeat(seat, "boardSeat."));
        ASSIGN_OR_RETURN(
            std::string id,
            resource::IdForCreate("boardSeatId", request->board_seat_id(), seat.person_name()));
        ASSIGN_OR_RETURN(
            *response,
            resource::WriteOnce<v1::BoardSeat>(
                *store_, call, "CreateBoardSeat", *request, request->request_id(),
                [&](store::Transaction& tx) -> absl::StatusOr<v1::BoardSeat> {
                  RETURN_IF_ERROR(RequireExists(tx, schemas_.organisations,
                                                "boardSeat.organisation", seat.organisation()));
                  RETURN_IF_ERROR(
                      RequireExists(tx, schemas_.regions, "boardSeat.region", seat.region()));
                  return resource::Insert(tx, schemas_.board_seats, "boardSeats/" + id, seat);
                }));
        return absl::OkStatus();
      });
}

grpc::Status MembershipService::UpdateBoardSeat(grpc::ServerContext* context,
                                                const v1::UpdateBoardSeatRequest* request,
                                                v1::BoardSeat* response) {
  return server::Serve(
      env_, context, "UpdateBoardSeat", [&](const server::Call& call) -> absl::Status {
        RETURN_IF_ERROR(RequireAdmin(call.caller, "update board seats"));
        const std::string& name = request->board_seat().name();
        RETURN_IF_ERROR(resource::CheckName("boardSeat.name", name, "boardSeats"));
        ASSIGN_OR_RETURN(
            *response,
            resource::WriteOnce<v1::BoardSeat>(
                *store_, call, "UpdateBoardSeat", *request, request->request_id(),
                [&](store::Transaction& tx) -> absl::StatusOr<v1::BoardSeat> {
                  ASSIGN_OR_RETURN(v1::BoardSeat current,
                                   resource::Get<v1::BoardSeat>(tx, schemas_.board_seats, name));
                  RETURN_IF_ERROR(
                      resource::CheckEtag(request->board_seat().etag(), current.etag(), name));
                  RETURN_IF_ERROR(resource::ApplyUpdateMask(
                      request->board_seat(), request->update_mask(), kBoardSeatWritable, &current));
                  RETURN_IF_ERROR(ValidateBoardSeat(current, "boardSeat."));
                  RETURN_IF_ERROR(RequireExists(tx, schemas_.organisations,
                                                "boardSeat.organisation", current.organisation()));
                  RETURN_IF_ERROR(
                      RequireExists(tx, schemas_.regions, "boardSeat.region", current.region()));
                  return resource::Replace(tx, schemas_.board_seats, current);
                }));
        return absl::OkStatus();
      });
}

grpc::Status MembershipService::DeleteBoardSeat(grpc::ServerContext* context,
                                                const v1::DeleteBoardSeatRequest* request,
                                                Empty* response) {
  return server::Serve(
      env_, context, "DeleteBoardSeat", [&](const server::Call& call) -> absl::Status {
        RETURN_IF_ERROR(RequireAdmin(call.caller, "delete board seats"));
        const std::string& name = request->name();
        RETURN_IF_ERROR(resource::CheckName("name", name, "boardSeats"));
        ASSIGN_OR_RETURN(
            *response,
            resource::WriteOnce<Empty>(
                *store_, call, "DeleteBoardSeat", *request, request->request_id(),
                [&](store::Transaction& tx) -> absl::StatusOr<Empty> {
                  ASSIGN_OR_RETURN(v1::BoardSeat current,
                                   resource::Get<v1::BoardSeat>(tx, schemas_.board_seats, name));
                  RETURN_IF_ERROR(resource::CheckEtag(request->etag(), current.etag(), name));
                  RETURN_IF_ERROR(
                      tx.Delete(schemas_.board_seats, name, *store::ParseEtag(current.etag())));
                  return Empty();
                }));
        return absl::OkStatus();
      });
}

}  // namespace metrocap::membership
