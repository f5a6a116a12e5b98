#!/usr/bin/python3
"""What a partner does first, over REST/JSON with nothing but Python's standard library.

Against the suite `bash scripts/run.sh` starts, from the repository's root:

    /usr/bin/python3 examples/python/partner_rest.py

METROCAP_GATEWAY_HTTP_ADDRESS says where the gateway listens (default 127.0.0.1:8080, as in
run.sh) and METROCAP_API_KEY is an ADMIN key (default: the demo key run.sh writes to
var/demo-api-key). The contract is in docs/api.md, every error reason in docs/errors.md.
"""
import json
import os
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

GATEWAY = "http://" + os.environ.get("METROCAP_GATEWAY_HTTP_ADDRESS", "127.0.0.1:8080")
ADMIN_KEY = os.environ.get("METROCAP_API_KEY") or Path("var/demo-api-key").read_text().strip()
PARTNER = "partners/hes-so"  # a PARTNER of the demo data, granted Barcelona among others


class ApiError(Exception):
    """An error the API answered: a google.rpc.Status whose ErrorInfo names the reason."""

    def __init__(self, http_status, status):
        super().__init__(f"HTTP {http_status}: {status.get('message', '')}")
        self.http_status = http_status
        self.reason = next((detail.get("reason") for detail in status.get("details", [])
                            if detail.get("@type") == "type.googleapis.com/google.rpc.ErrorInfo"),
                           None)


def call(method, path, key, body=None, **query):
    """Sends one request with `key` and returns the JSON answer; raises ApiError."""
    url = GATEWAY + path + ("?" + urllib.parse.urlencode(query) if query else "")
    request = urllib.request.Request(
        url, method=method, data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.load(response)
    except urllib.error.HTTPError as error:
        raise ApiError(error.code, json.load(error)) from None


def with_retries(send, attempts=3):
    """Calls send() again when the answer was lost or the service was briefly unavailable.
    Safe for a write only because send() carries the same requestId every time: the API
    runs it once and answers the repeats with the first result."""
    for attempt in range(attempts):
        try:
            return send()
        except ApiError as error:
            if error.http_status not in (503, 504) or attempt == attempts - 1:
                raise
        except (urllib.error.URLError, TimeoutError):
            if attempt == attempts - 1:
                raise
        time.sleep(0.5 * 2**attempt)


def main():
    # 1. As the administrator, create an API key for the partner. One requestId per write.
    request_id = str(uuid.uuid4())
    key_id = "example-" + uuid.uuid4().hex[:8]

    def create_key():
        return call("POST", f"/v1/{PARTNER}/apiKeys", ADMIN_KEY,
                    {"displayName": "examples/python/partner_rest.py"},
                    apiKeyId=key_id, requestId=request_id)

    created = with_retries(create_key)
    partner_key = created["secret"]  # shown in this answer only; the API keeps a hash
    print(f"created {created['name']}")

    # The same request again, as a retry after a lost answer would send it: the same key
    # comes back (without its secret) and no second key is made.
    again = create_key()
    assert again["name"] == created["name"] and "secret" not in again
    print("sent again with the same requestId: the same key, nothing created")

    # 2. As the partner: the organisations of a region, five a page, until nextPageToken is
    #    empty.
    names, pages, token = [], 0, ""
    while True:
        page = call("GET", "/v1/organisations", partner_key,
                    filter='region = "regions/europe"', pageSize=5, pageToken=token)
        names += [organisation["name"] for organisation in page.get("organisations", [])]
        pages += 1
        token = page.get("nextPageToken", "")
        if not token:
            break
    print(f"{len(names)} organisations in regions/europe, in {pages} pages")

    # 3. An assessment's profile: a score per capacity, with how sure it is.
    assessment = call("GET", "/v1/organisations/barcelona-metropolitan-area/assessments/micad-2025",
                      partner_key)
    for score in assessment["profile"]["capacityScores"]:
        print(f"  {score['capacity']}: {score['score']} ({score['confidence']})")

    # 4. Errors are handled by their reason (ErrorInfo.reason), not by their message.
    try:
        call("GET", "/v1/organisations/atlantis", partner_key)
    except ApiError as error:
        if error.reason != "NOT_FOUND":
            raise
        print("organisations/atlantis: NOT_FOUND (check the name; list the collection)")
    try:
        call("POST", f"/v1/{PARTNER}/apiKeys", ADMIN_KEY, {"displayName": "another key"},
             apiKeyId=key_id + "-other", requestId=request_id)
    except ApiError as error:
        if error.reason != "REQUEST_ID_REUSED":
            raise
        print("a requestId reused for a different write: REQUEST_ID_REUSED (use a new one)")

    # 5. Done: revoke the key, with the etag read, so a change made since is not overwritten.
    revoked = call("POST", f"/v1/{created['name']}:revoke", ADMIN_KEY,
                   {"etag": created["etag"], "requestId": str(uuid.uuid4())})
    print(f"{revoked['name']}: {revoked['state']}")
    # A client still holding the old etag is told ETAG_MISMATCH: read again, then decide.
    try:
        call("POST", f"/v1/{created['name']}:revoke", ADMIN_KEY, {"etag": created["etag"]})
    except ApiError as error:
        if error.reason != "ETAG_MISMATCH":
            raise
        current = call("GET", f"/v1/{created['name']}", ADMIN_KEY)
        print(f"a stale etag: ETAG_MISMATCH; read again, the key is {current['state']} already")


if __name__ == "__main__":
    main()
