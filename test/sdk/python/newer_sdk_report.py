"""A measurement, not a conformance test: every API-key call of GoodMem's newer Python SDK
(`goodmem` on PyPI, the successor of goodmem-client) made against the mock, with what went
over the wire and what the SDK made of the answer. test/sdk/newer-sdk-report.test.ts runs it
and keeps docs/sdks.md "GoodMem's newer Python SDK" equal to its output, one line per call.

Environment: APIKEYS_URL (the mock) and APIKEYS_DEV_KEYS (JSON: user name -> raw key).
Prints one JSON object per call: {"call", "requests": ["METHOD /path?query -> status"], "outcome"}.
"""

import json
import os
import re
import time
import uuid

import pydantic
from goodmem import Goodmem
from goodmem.errors import APIError

KEY_ID = str(uuid.uuid4())
MISSING_ID = str(uuid.uuid4())
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def anonymous(text):
    return UUID.sub("{id}", text)


def outcome_of(call):
    try:
        result = call()
    except pydantic.ValidationError as error:
        missing = sorted({str(e["loc"][-1]) for e in error.errors() if e["type"] == "missing"})
        other = sorted({f'{e["loc"][-1]} ({e["type"]})' for e in error.errors() if e["type"] != "missing"})
        parts = ([f"missing {', '.join(missing)}"] if missing else []) + other
        return f"raises pydantic ValidationError: {'; '.join(parts)}"
    except APIError as error:
        return f"raises {type(error).__name__} {error.status_code}"
    if result is None:
        return "returns None"
    if hasattr(result, "data"):  # a Page
        return f"returns a Page of {len(result.data)} {type(result.data[0]).__name__ if result.data else 'items'}"
    return f"returns {type(result).__name__}"


def main():
    client = Goodmem(base_url=os.environ["APIKEYS_URL"], api_key=json.loads(os.environ["APIKEYS_DEV_KEYS"])["alice"])
    wire = []
    client._http.event_hooks["response"].append(
        lambda response: wire.append(f"{response.request.method} {anonymous(str(response.request.url.raw_path, 'ascii'))} -> {response.status_code}")
    )
    keys = client.apikeys
    in_an_hour = int(time.time() * 1000) + 3_600_000
    calls = [
        ("apikeys.create(labels, expires_at, api_key_id)", lambda: keys.create(labels={"env": "ci"}, expires_at=in_an_hour, api_key_id=KEY_ID)),
        ("apikeys.create(api_key_id) again", lambda: keys.create(api_key_id=KEY_ID)),
        ("apikeys.create(valid_from)", lambda: keys.create(valid_from=int(time.time() * 1000))),
        ("apikeys.create(authority_mode='INHERIT_SUBJECT')", lambda: keys.create(authority_mode="INHERIT_SUBJECT")),
        ("apikeys.list()", lambda: keys.list()),
        ("apikeys.list(max_results=2)", lambda: keys.list(max_results=2)),
        ("apikeys.list(next_token='t')", lambda: keys.list(next_token="t")),
        ("apikeys.list(view='BASIC')", lambda: keys.list(view="BASIC")),
        ("apikeys.list(lifecycle_state='USABLE')", lambda: keys.list(lifecycle_state="USABLE")),
        ("apikeys.get(id)", lambda: keys.get(id=KEY_ID)),
        ("apikeys.get(id) of no key", lambda: keys.get(id=MISSING_ID)),
        ("apikeys.update(id, merge_labels)", lambda: keys.update(id=KEY_ID, request={"merge_labels": {"team": "sdk"}})),
        ("apikeys.update(id, status='INACTIVE')", lambda: keys.update(id=KEY_ID, request={"status": "INACTIVE"})),
        ("apikeys.delete(id)", lambda: keys.delete(id=KEY_ID)),
    ]
    for name, call in calls:
        wire.clear()
        outcome = outcome_of(call)
        print(json.dumps({"call": name, "requests": list(wire), "outcome": outcome}))


if __name__ == "__main__":
    main()
