"""Fixtures for driving the mock through GoodMem's generated Python SDK (goodmem_client).

test/sdk/python-sdk.test.ts starts the mock behind a recording proxy and passes, in the
environment: APIKEYS_URL (the proxy), APIKEYS_DEV_KEYS (JSON: user name -> raw key) and
APIKEYS_SDK_LOG (a file). Every response the SDK reads is logged there with what the SDK made
of it (the model class it deserialised, or the exception it raised), so the TypeScript side
can hold each recorded exchange against what the SDK did with it.
"""

import json
import os

import goodmem_client
import pytest
from goodmem_client.api_client import ApiClient

URL = os.environ["APIKEYS_URL"]
DEV_KEYS = json.loads(os.environ["APIKEYS_DEV_KEYS"])
SDK_LOG = os.environ["APIKEYS_SDK_LOG"]

_deserialize = ApiClient.response_deserialize


def _logged_deserialize(self, response_data, response_types_map=None):
    entry = {"status": response_data.status, "expected": (response_types_map or {}).get(str(response_data.status))}
    try:
        result = _deserialize(self, response_data, response_types_map)
    except goodmem_client.ApiException as error:
        entry["exception"] = type(error).__name__
        entry["exceptionStatus"] = error.status
        _append(entry)
        raise
    entry["model"] = None if result.data is None else type(result.data).__name__
    _append(entry)
    return result


def _append(entry):
    with open(SDK_LOG, "a", encoding="utf-8") as log:
        log.write(json.dumps(entry) + "\n")


ApiClient.response_deserialize = _logged_deserialize


def api_for(raw_key):
    """An APIKeysApi authenticating with raw_key (None: no key configured at all)."""
    configuration = goodmem_client.Configuration(host=URL)
    if raw_key is not None:
        configuration.api_key["ApiKeyAuth"] = raw_key
    return goodmem_client.APIKeysApi(ApiClient(configuration))


@pytest.fixture
def alice():
    return api_for(DEV_KEYS["alice"])


@pytest.fixture
def bob():
    return api_for(DEV_KEYS["bob"])


@pytest.fixture
def nobody():
    return api_for(DEV_KEYS["nobody"])
