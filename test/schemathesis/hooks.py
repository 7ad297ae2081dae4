"""Schemathesis hooks for the run against the mock (test/schemathesis/schemathesis.test.ts).

Two rules of the contract cannot be written in JSON Schema, so Schemathesis calls such
requests schema-valid and its `positive_data_acceptance` check (ST202) reports the correct
400 as a failure. Exactly those two failures are excused here, by name, and nothing else:

- a create whose `expiresAt` is not in the future (contracts/CONTRACT.md "Create");
- an update whose `mergeLabels` would leave more than 10 labels (contracts/CONTRACT.md "Update").

Each excused failure is appended as a JSON line to $APIKEYS_ST_EXCUSED, so the test can show
them and check that every one is a 400 naming the rule.
"""

import json
import os
import time

import schemathesis
from schemathesis.openapi.checks import RejectedPositiveData

EXCUSED_LOG = os.environ["APIKEYS_ST_EXCUSED"]
# The id of the key Schemathesis authenticates with (-H x-api-key): see filter_case.
OWN_KEY_ID = os.environ["APIKEYS_ST_OWN_KEY_ID"].replace("-", "").lower()


def _error_message(response):
    try:
        body = response.json()
    except Exception:
        return ""
    return body.get("error", "") if isinstance(body, dict) else ""


def _documented_rule(case, response):
    body = case.body if isinstance(case.body, dict) else {}
    message = _error_message(response)
    if case.method.upper() == "POST" and case.path == "/v1/apikeys":
        expires_at = body.get("expiresAt")
        # an integral number, as JSON Schema counts integers (Schemathesis also sends 1450.0)
        integral = isinstance(expires_at, (int, float)) and not isinstance(expires_at, bool) and float(expires_at).is_integer()
        if integral and expires_at <= time.time() * 1000 and "expiresAt must be in the future" in message:
            return 'CONTRACT.md "Create": expiresAt not in the future is 400'
    if case.method.upper() == "PUT" and case.path == "/v1/apikeys/{id}":
        if isinstance(body.get("mergeLabels"), dict) and "at most 10 are allowed" in message:
            return 'CONTRACT.md "Update": a merge leaving more than 10 labels is 400'
    return None


@schemathesis.hook
def filter_case(context, case):
    """Never let the run revoke its own credential: the stateful phase lists the caller's keys,
    its own among them, and would delete or deactivate it, leaving every later request 401.
    Only the one key the run authenticates with is spared; every other id is fuzzed."""
    if case.method.upper() not in ("PUT", "DELETE"):
        return True
    target = str((case.path_parameters or {}).get("id", "")).replace("-", "").lower()
    return target != OWN_KEY_ID


@schemathesis.hook
def filter_failure(context, failure, case, response):
    """Keep every failure except ST202 for one of the two rules above."""
    if not isinstance(failure, RejectedPositiveData) or response.status_code != 400:
        return True
    rule = _documented_rule(case, response)
    if rule is None:
        return True
    with open(EXCUSED_LOG, "a", encoding="utf-8") as log:
        log.write(json.dumps({"rule": rule, "operation": f"{case.method.upper()} {case.path}", "status": response.status_code, "error": _error_message(response)}) + "\n")
    return False
