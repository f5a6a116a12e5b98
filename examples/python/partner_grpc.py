#!/usr/bin/python3
"""What a partner does first, over gRPC with Debian's python3-grpcio and stubs generated
from protos/ (generate_stubs.py).

Against the suite `bash scripts/run.sh` starts, from the repository's root:

    /usr/bin/python3 examples/python/generate_stubs.py      # once, into examples/python/gen
    /usr/bin/python3 examples/python/partner_grpc.py

METROCAP_GATEWAY_GRPC_ADDRESS says where the gateway's gRPC port is (default 127.0.0.1:9090,
as in run.sh) and METROCAP_API_KEY is an ADMIN key (default: the demo key run.sh writes to
var/demo-api-key). The contract is in docs/api.md, every error reason in docs/errors.md.
"""
import os
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "gen"))  # generate_stubs.py's output

import grpc  # noqa: E402
from google.rpc import error_details_pb2, status_pb2  # noqa: E402
from metrocap.assessment.v1 import assessment_pb2 as assessment  # noqa: E402
from metrocap.assessment.v1 import assessment_pb2_grpc  # noqa: E402
from metrocap.membership.v1 import membership_pb2 as membership  # noqa: E402
from metrocap.membership.v1 import membership_pb2_grpc  # noqa: E402

GATEWAY = os.environ.get("METROCAP_GATEWAY_GRPC_ADDRESS", "127.0.0.1:9090")
ADMIN_KEY = os.environ.get("METROCAP_API_KEY") or Path("var/demo-api-key").read_text().strip()
PARTNER = "partners/hes-so"  # a PARTNER of the demo data, granted Barcelona among others


def reason(error):
    """The ErrorInfo.reason of a failed call, from the google.rpc.Status in its trailers."""
    for key, value in error.trailing_metadata() or ():
        if key == "grpc-status-details-bin":
            for detail in status_pb2.Status.FromString(value).details:
                info = error_details_pb2.ErrorInfo()
                if detail.Unpack(info):
                    return info.reason
    return None


def with_retries(send, attempts=3):
    """Calls send() again when the service was briefly unavailable or the deadline passed.
    Safe for a write only because send() carries the same request_id every time: the API
    runs it once and answers the repeats with the first result."""
    for attempt in range(attempts):
        try:
            return send()
        except grpc.RpcError as error:
            retryable = error.code() in (grpc.StatusCode.UNAVAILABLE,
                                         grpc.StatusCode.DEADLINE_EXCEEDED)
            if not retryable or attempt == attempts - 1:
                raise
        time.sleep(0.5 * 2**attempt)


def main():
    channel = grpc.insecure_channel(GATEWAY)
    members = membership_pb2_grpc.MembershipServiceStub(channel)
    assessments = assessment_pb2_grpc.AssessmentServiceStub(channel)
    as_admin = [("authorization", f"Bearer {ADMIN_KEY}")]

    # 1. As the administrator, create an API key for the partner. One request_id per write.
    create = membership.CreateApiKeyRequest(
        parent=PARTNER, api_key_id="example-" + uuid.uuid4().hex[:8],
        api_key=membership.ApiKey(display_name="examples/python/partner_grpc.py"),
        request_id=str(uuid.uuid4()))
    created = with_retries(lambda: members.CreateApiKey(create, metadata=as_admin, timeout=10))
    as_partner = [("authorization", f"Bearer {created.secret}")]  # the secret is shown once
    print(f"created {created.name}")

    # The same request again, as a retry after a lost answer would send it: the same key
    # comes back (without its secret) and no second key is made.
    again = members.CreateApiKey(create, metadata=as_admin, timeout=10)
    assert again.name == created.name and not again.secret
    print("sent again with the same request_id: the same key, nothing created")

    # 2. As the partner: the organisations of a region, five a page, until next_page_token
    #    is empty.
    names, pages, token = [], 0, ""
    while True:
        page = members.ListOrganisations(
            membership.ListOrganisationsRequest(filter='region = "regions/europe"', page_size=5,
                                                page_token=token),
            metadata=as_partner, timeout=10)
        names += [organisation.name for organisation in page.organisations]
        pages += 1
        token = page.next_page_token
        if not token:
            break
    print(f"{len(names)} organisations in regions/europe, in {pages} pages")

    # 3. An assessment's profile: a score per capacity, with how sure it is.
    barcelona = assessments.GetAssessment(
        assessment.GetAssessmentRequest(
            name="organisations/barcelona-metropolitan-area/assessments/micad-2025"),
        metadata=as_partner, timeout=10)
    for score in barcelona.profile.capacity_scores:
        confidence = assessment.CapacityScore.Confidence.Name(score.confidence)
        print(f"  {score.capacity}: {score.score:g} ({confidence})")

    # 4. Errors are handled by their reason (ErrorInfo.reason), not by their message.
    try:
        members.GetOrganisation(membership.GetOrganisationRequest(name="organisations/atlantis"),
                                metadata=as_partner, timeout=10)
    except grpc.RpcError as error:
        if reason(error) != "NOT_FOUND":
            raise
        print("organisations/atlantis: NOT_FOUND (check the name; list the collection)")
    other = membership.CreateApiKeyRequest()
    other.CopyFrom(create)
    other.api_key_id += "-other"
    try:
        members.CreateApiKey(other, metadata=as_admin, timeout=10)
    except grpc.RpcError as error:
        if reason(error) != "REQUEST_ID_REUSED":
            raise
        print("a request_id reused for a different write: REQUEST_ID_REUSED (use a new one)")

    # 5. Done: revoke the key, with the etag read, so a change made since is not overwritten.
    revoked = members.RevokeApiKey(
        membership.RevokeApiKeyRequest(name=created.name, etag=created.etag,
                                       request_id=str(uuid.uuid4())),
        metadata=as_admin, timeout=10)
    print(f"{revoked.name}: {membership.ApiKey.State.Name(revoked.state)}")
    # A client still holding the old etag is told ETAG_MISMATCH: read again, then decide.
    try:
        members.RevokeApiKey(membership.RevokeApiKeyRequest(name=created.name, etag=created.etag),
                             metadata=as_admin, timeout=10)
    except grpc.RpcError as error:
        if reason(error) != "ETAG_MISMATCH":
            raise
        current = members.GetApiKey(membership.GetApiKeyRequest(name=created.name),
                                    metadata=as_admin, timeout=10)
        state = membership.ApiKey.State.Name(current.state)
        print(f"a stale etag: ETAG_MISMATCH; read again, the key is {state} already")


if __name__ == "__main__":
    main()
