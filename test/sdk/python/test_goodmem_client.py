"""Every operation of the API Keys SDK pages, through goodmem_client (GoodMem's generated v1
Python SDK), against the running mock: no raw HTTP here, only the SDK's own calls, models
and exceptions. Each test makes its own keys, so the tests share nothing but the seed users.
"""

import time
import uuid

import pytest
from goodmem_client import ApiKeyResponse, CreateApiKeyRequest, CreateApiKeyResponse, ListApiKeysResponse, UpdateApiKeyRequest
from goodmem_client.exceptions import BadRequestException, ConflictException, ForbiddenException, NotFoundException, UnauthorizedException

from conftest import api_for

HOUR_MS = 3_600_000


def now_ms():
    return int(time.time() * 1000)


def listed_ids(api):
    listed = api.list_api_keys()
    assert isinstance(listed, ListApiKeysResponse)
    assert all(isinstance(key, ApiKeyResponse) for key in listed.keys)
    return [key.api_key_id for key in listed.keys]


def test_create_with_labels_expiry_and_a_chosen_id_then_the_raw_key_authenticates(alice):
    chosen = str(uuid.uuid4())
    expires_at = now_ms() + HOUR_MS
    created = alice.create_api_key(CreateApiKeyRequest(labels={"env": "ci", "team": "sdk"}, expires_at=expires_at, api_key_id=chosen))
    assert isinstance(created, CreateApiKeyResponse)
    assert isinstance(created.api_key_metadata, ApiKeyResponse)
    metadata = created.api_key_metadata
    assert metadata.api_key_id == chosen
    assert metadata.labels == {"env": "ci", "team": "sdk"}
    assert metadata.expires_at == expires_at
    assert metadata.status == "ACTIVE"
    assert metadata.last_used_at is None
    assert metadata.user_id == metadata.created_by_id == metadata.updated_by_id
    assert created.raw_api_key.startswith("gm_")
    assert created.raw_api_key.startswith(metadata.key_prefix)

    # The new raw key is a credential of alice's at once: through the SDK, it lists her keys.
    as_new_key = api_for(created.raw_api_key)
    assert chosen in listed_ids(as_new_key)
    assert chosen in listed_ids(alice)


def test_create_with_http_info_gives_201_and_the_location_of_the_new_key(alice):
    response = alice.create_api_key_with_http_info(CreateApiKeyRequest())
    assert response.status_code == 201
    assert isinstance(response.data, CreateApiKeyResponse)
    key_id = response.data.api_key_metadata.api_key_id
    headers = {name.lower(): value for name, value in response.headers.items()}  # names are case-insensitive
    assert headers["location"].endswith(f"/v1/apikeys/{key_id}")


def test_list_with_http_info_gives_200_and_only_the_callers_keys(alice, bob):
    response = alice.list_api_keys_with_http_info()
    assert response.status_code == 200
    assert isinstance(response.data, ListApiKeysResponse)
    owners = {key.user_id for key in response.data.keys}
    assert len(owners) == 1
    assert owners.isdisjoint({key.user_id for key in bob.list_api_keys().keys})


def test_update_merges_then_replaces_labels(alice):
    key_id = alice.create_api_key(CreateApiKeyRequest(labels={"env": "dev"})).api_key_metadata.api_key_id
    merged = alice.update_api_key(key_id, UpdateApiKeyRequest(merge_labels={"team": "sdk"}))
    assert isinstance(merged, ApiKeyResponse)
    assert merged.labels == {"env": "dev", "team": "sdk"}
    response = alice.update_api_key_with_http_info(key_id, UpdateApiKeyRequest(replace_labels={"only": "this"}))
    assert response.status_code == 200
    assert isinstance(response.data, ApiKeyResponse)
    assert response.data.labels == {"only": "this"}
    assert response.data.updated_at >= merged.updated_at


def test_inactive_key_is_refused_and_works_again_when_active(alice):
    created = alice.create_api_key(CreateApiKeyRequest())
    key_id = created.api_key_metadata.api_key_id
    as_key = api_for(created.raw_api_key)
    assert alice.update_api_key(key_id, UpdateApiKeyRequest(status="INACTIVE")).status == "INACTIVE"
    with pytest.raises(UnauthorizedException) as refused:
        as_key.list_api_keys()
    assert refused.value.status == 401
    assert alice.update_api_key(key_id, UpdateApiKeyRequest(status="ACTIVE")).status == "ACTIVE"
    assert key_id in listed_ids(as_key)


def test_delete_with_http_info_gives_204_and_the_key_is_gone(alice):
    created = alice.create_api_key(CreateApiKeyRequest())
    key_id = created.api_key_metadata.api_key_id
    response = alice.delete_api_key_with_http_info(key_id)
    assert response.status_code == 204
    assert response.data is None
    assert key_id not in listed_ids(alice)
    with pytest.raises(UnauthorizedException):
        api_for(created.raw_api_key).list_api_keys()
    with pytest.raises(NotFoundException) as again:
        alice.delete_api_key(key_id)
    assert again.value.status == 404


def test_400_both_label_fields(alice):
    key_id = alice.create_api_key(CreateApiKeyRequest()).api_key_metadata.api_key_id
    with pytest.raises(BadRequestException) as error:
        alice.update_api_key(key_id, UpdateApiKeyRequest(merge_labels={"a": "1"}, replace_labels={"b": "2"}))
    assert error.value.status == 400
    assert "error" in error.value.body


def test_400_past_expires_at(alice):
    with pytest.raises(BadRequestException) as error:
        alice.create_api_key(CreateApiKeyRequest(expires_at=now_ms() - HOUR_MS))
    assert error.value.status == 400


def test_400_malformed_ids(alice):
    for call in (
        lambda: alice.update_api_key("not-a-uuid", UpdateApiKeyRequest(status="ACTIVE")),
        lambda: alice.delete_api_key("not-a-uuid"),
        lambda: alice.create_api_key(CreateApiKeyRequest(api_key_id="not-a-uuid")),
    ):
        with pytest.raises(BadRequestException) as error:
            call()
        assert error.value.status == 400


def test_401_without_a_key_and_with_an_unknown_key():
    for api in (api_for(None), api_for("gm_" + "a" * 26)):
        with pytest.raises(UnauthorizedException) as error:
            api.list_api_keys()
        assert error.value.status == 401


def test_403_without_permission(nobody):
    with pytest.raises(ForbiddenException) as error:
        nobody.create_api_key(CreateApiKeyRequest())
    assert error.value.status == 403
    with pytest.raises(ForbiddenException):
        nobody.list_api_keys()


def test_403_someone_elses_key(alice, bob):
    bobs_key = bob.create_api_key(CreateApiKeyRequest(labels={"owner": "bob"})).api_key_metadata.api_key_id
    with pytest.raises(ForbiddenException) as update:
        alice.update_api_key(bobs_key, UpdateApiKeyRequest(status="INACTIVE"))
    assert update.value.status == 403
    with pytest.raises(ForbiddenException) as delete:
        alice.delete_api_key(bobs_key)
    assert delete.value.status == 403
    assert bobs_key in listed_ids(bob)
    assert bobs_key not in listed_ids(alice)


def test_404_no_such_key(alice):
    missing = str(uuid.uuid4())
    with pytest.raises(NotFoundException) as update:
        alice.update_api_key(missing, UpdateApiKeyRequest(status="ACTIVE"))
    assert update.value.status == 404
    with pytest.raises(NotFoundException):
        alice.delete_api_key(missing)


def test_409_reused_api_key_id(alice, bob):
    chosen = str(uuid.uuid4())
    first = alice.create_api_key(CreateApiKeyRequest(api_key_id=chosen))
    for api in (alice, bob):
        with pytest.raises(ConflictException) as error:
            api.create_api_key(CreateApiKeyRequest(api_key_id=chosen))
        assert error.value.status == 409
    # The existing key is untouched and still authenticates.
    assert chosen in listed_ids(api_for(first.raw_api_key))

