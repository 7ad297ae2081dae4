import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.pairsys.goodmem.client.ApiClient;
import ai.pairsys.goodmem.client.ApiException;
import ai.pairsys.goodmem.client.ApiResponse;
import ai.pairsys.goodmem.client.api.ApiKeysApi;
import ai.pairsys.goodmem.client.auth.ApiKeyAuth;
import ai.pairsys.goodmem.client.models.ApiKeyResponse;
import ai.pairsys.goodmem.client.models.ApiKeyStatus;
import ai.pairsys.goodmem.client.models.CreateApiKeyRequest;
import ai.pairsys.goodmem.client.models.CreateApiKeyResponse;
import ai.pairsys.goodmem.client.models.ListApiKeysResponse;
import ai.pairsys.goodmem.client.models.UpdateApiKeyRequest;
import com.google.gson.Gson;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Every operation of the Java SDK page, through a client generated as GoodMem's Java SDK is
 * (OpenAPI Generator, java/okhttp-gson, package ai.pairsys.goodmem.client), against the
 * running mock: no raw HTTP here, only the client's own calls, models and ApiException. Each
 * test makes its own keys, so the tests share nothing but the seed users.
 */
class ApiKeysClientTest {
  private static final String URL = System.getenv("APIKEYS_URL");
  @SuppressWarnings("unchecked")
  private static final Map<String, String> DEV_KEYS = new Gson().fromJson(System.getenv("APIKEYS_DEV_KEYS"), Map.class);
  /** The recording proxy adds a field no schema names to the create answer for this id. */
  private static final String UNKNOWN_FIELD_ID = System.getenv("APIKEYS_UNKNOWN_FIELD_ID");
  private static final long HOUR_MS = 3_600_000L;

  private final ApiKeysApi alice = apiFor(DEV_KEYS.get("alice"));
  private final ApiKeysApi bob = apiFor(DEV_KEYS.get("bob"));
  private final ApiKeysApi nobody = apiFor(DEV_KEYS.get("nobody"));

  /** An ApiKeysApi authenticating with rawKey (null: no key configured at all), as the SDK page sets it up. */
  static ApiKeysApi apiFor(String rawKey) {
    ApiClient client = new LoggingApiClient();
    client.setBasePath(URL);
    if (rawKey != null) ((ApiKeyAuth) client.getAuthentication("ApiKeyAuth")).setApiKey(rawKey);
    return new ApiKeysApi(client);
  }

  static List<String> listedIds(ApiKeysApi api) throws ApiException {
    ListApiKeysResponse listed = api.listApiKeys();
    return listed.getKeys().stream().map(key -> key.getApiKeyId().toString()).collect(Collectors.toList());
  }

  static ApiException refused(int status, Executable call) {
    ApiException error = assertThrows(ApiException.class, call);
    assertEquals(status, error.getCode(), error.getResponseBody());
    return error;
  }

  static String newKeyId(ApiKeysApi api) throws ApiException {
    return api.createApiKey(new CreateApiKeyRequest()).getApiKeyMetadata().getApiKeyId().toString();
  }

  @Test
  void createWithLabelsExpiryAndAChosenIdThenTheRawKeyAuthenticates() throws ApiException {
    String chosen = UUID.randomUUID().toString();
    long expiresAt = System.currentTimeMillis() + HOUR_MS;
    CreateApiKeyResponse created =
        alice.createApiKey(new CreateApiKeyRequest().labels(Map.of("env", "ci", "team", "sdk")).expiresAt(expiresAt).apiKeyId(chosen));
    ApiKeyResponse metadata = created.getApiKeyMetadata();
    assertEquals(chosen, metadata.getApiKeyId().toString());
    assertEquals(Map.of("env", "ci", "team", "sdk"), metadata.getLabels());
    assertEquals(expiresAt, metadata.getExpiresAt());
    assertEquals(ApiKeyResponse.StatusEnum.ACTIVE, metadata.getStatus());
    assertNull(metadata.getLastUsedAt());
    assertEquals(metadata.getUserId(), metadata.getCreatedById());
    assertEquals(metadata.getUserId(), metadata.getUpdatedById());
    assertTrue(created.getRawApiKey().startsWith("gm_"));
    assertTrue(created.getRawApiKey().startsWith(metadata.getKeyPrefix()));

    // The new raw key is a credential of alice's at once: through the client, it lists her keys.
    assertTrue(listedIds(apiFor(created.getRawApiKey())).contains(chosen));
    assertTrue(listedIds(alice).contains(chosen));
  }

  @Test
  void createWithHttpInfoGives201AndTheLocationOfTheNewKey() throws ApiException {
    ApiResponse<CreateApiKeyResponse> response = alice.createApiKeyWithHttpInfo(new CreateApiKeyRequest());
    assertEquals(201, response.getStatusCode());
    String keyId = response.getData().getApiKeyMetadata().getApiKeyId().toString();
    // Header names are case-insensitive; OkHttp keeps the server's spelling.
    Map<String, List<String>> headers = response.getHeaders().entrySet().stream()
        .collect(Collectors.toMap(e -> e.getKey().toLowerCase(), Map.Entry::getValue));
    assertTrue(headers.get("location").get(0).endsWith("/v1/apikeys/" + keyId), headers.toString());
  }

  @Test
  void listWithHttpInfoGives200AndOnlyTheCallersKeys() throws ApiException {
    ApiResponse<ListApiKeysResponse> response = alice.listApiKeysWithHttpInfo();
    assertEquals(200, response.getStatusCode());
    var owners = response.getData().getKeys().stream().map(ApiKeyResponse::getUserId).collect(Collectors.toSet());
    assertEquals(1, owners.size());
    var bobs = bob.listApiKeys().getKeys().stream().map(ApiKeyResponse::getUserId).collect(Collectors.toSet());
    assertFalse(bobs.containsAll(owners));
  }

  @Test
  void updateMergesThenReplacesLabels() throws ApiException {
    String keyId = alice.createApiKey(new CreateApiKeyRequest().labels(Map.of("env", "dev"))).getApiKeyMetadata().getApiKeyId().toString();
    ApiKeyResponse merged = alice.updateApiKey(keyId, new UpdateApiKeyRequest().mergeLabels(Map.of("team", "sdk")));
    assertEquals(Map.of("env", "dev", "team", "sdk"), merged.getLabels());
    ApiResponse<ApiKeyResponse> response = alice.updateApiKeyWithHttpInfo(keyId, new UpdateApiKeyRequest().replaceLabels(Map.of("only", "this")));
    assertEquals(200, response.getStatusCode());
    assertEquals(Map.of("only", "this"), response.getData().getLabels());
    assertTrue(response.getData().getUpdatedAt() >= merged.getUpdatedAt());
  }

  @Test
  void anInactiveKeyIsRefusedAndWorksAgainWhenActive() throws ApiException {
    CreateApiKeyResponse created = alice.createApiKey(new CreateApiKeyRequest());
    String keyId = created.getApiKeyMetadata().getApiKeyId().toString();
    ApiKeysApi asKey = apiFor(created.getRawApiKey());
    assertEquals(ApiKeyResponse.StatusEnum.INACTIVE, alice.updateApiKey(keyId, new UpdateApiKeyRequest().status(ApiKeyStatus.INACTIVE)).getStatus());
    refused(401, asKey::listApiKeys);
    assertEquals(ApiKeyResponse.StatusEnum.ACTIVE, alice.updateApiKey(keyId, new UpdateApiKeyRequest().status(ApiKeyStatus.ACTIVE)).getStatus());
    assertTrue(listedIds(asKey).contains(keyId));
  }

  @Test
  void deleteWithHttpInfoGives204AndTheKeyIsGone() throws ApiException {
    CreateApiKeyResponse created = alice.createApiKey(new CreateApiKeyRequest());
    String keyId = created.getApiKeyMetadata().getApiKeyId().toString();
    ApiResponse<Void> response = alice.deleteApiKeyWithHttpInfo(keyId);
    assertEquals(204, response.getStatusCode());
    assertNull(response.getData());
    assertFalse(listedIds(alice).contains(keyId));
    refused(401, apiFor(created.getRawApiKey())::listApiKeys);
    refused(404, () -> alice.deleteApiKey(keyId));
  }

  @Test
  void badRequestForBothLabelFields() throws ApiException {
    String keyId = newKeyId(alice);
    ApiException error = refused(400, () -> alice.updateApiKey(keyId, new UpdateApiKeyRequest().mergeLabels(Map.of("a", "1")).replaceLabels(Map.of("b", "2"))));
    assertTrue(error.getResponseBody().contains("\"error\""), error.getResponseBody());
  }

  @Test
  void badRequestForAPastExpiresAt() {
    refused(400, () -> alice.createApiKey(new CreateApiKeyRequest().expiresAt(System.currentTimeMillis() - HOUR_MS)));
  }

  @Test
  void badRequestForMalformedIds() {
    refused(400, () -> alice.updateApiKey("not-a-uuid", new UpdateApiKeyRequest().status(ApiKeyStatus.ACTIVE)));
    refused(400, () -> alice.deleteApiKey("not-a-uuid"));
    refused(400, () -> alice.createApiKey(new CreateApiKeyRequest().apiKeyId("not-a-uuid")));
  }

  @Test
  void unauthorizedWithoutAKeyAndWithAnUnknownKey() {
    refused(401, apiFor(null)::listApiKeys);
    refused(401, apiFor("gm_" + "a".repeat(26))::listApiKeys);
  }

  @Test
  void forbiddenWithoutPermission() {
    refused(403, () -> nobody.createApiKey(new CreateApiKeyRequest()));
    refused(403, nobody::listApiKeys);
  }

  @Test
  void forbiddenForSomeoneElsesKey() throws ApiException {
    String bobsKey = bob.createApiKey(new CreateApiKeyRequest().labels(Map.of("owner", "bob"))).getApiKeyMetadata().getApiKeyId().toString();
    refused(403, () -> alice.updateApiKey(bobsKey, new UpdateApiKeyRequest().status(ApiKeyStatus.INACTIVE)));
    refused(403, () -> alice.deleteApiKey(bobsKey));
    assertTrue(listedIds(bob).contains(bobsKey));
    assertFalse(listedIds(alice).contains(bobsKey));
  }

  @Test
  void notFoundForNoSuchKey() {
    String missing = UUID.randomUUID().toString();
    refused(404, () -> alice.updateApiKey(missing, new UpdateApiKeyRequest().status(ApiKeyStatus.ACTIVE)));
    refused(404, () -> alice.deleteApiKey(missing));
  }

  @Test
  void conflictForAReusedApiKeyId() throws ApiException {
    String chosen = UUID.randomUUID().toString();
    CreateApiKeyResponse first = alice.createApiKey(new CreateApiKeyRequest().apiKeyId(chosen));
    for (ApiKeysApi api : List.of(alice, bob)) refused(409, () -> api.createApiKey(new CreateApiKeyRequest().apiKeyId(chosen)));
    // The existing key is untouched and still authenticates.
    assertTrue(listedIds(apiFor(first.getRawApiKey())).contains(chosen));
  }

  /**
   * The generated models' validateJsonElement throws on a field their schema does not name:
   * the server created the key, but the caller gets an IllegalArgumentException (not an
   * ApiException) and never sees the raw key.
   */
  @Test
  void aResponseFieldTheModelDoesNotKnowIsRefused() throws ApiException {
    IllegalArgumentException error =
        assertThrows(IllegalArgumentException.class, () -> alice.createApiKey(new CreateApiKeyRequest().apiKeyId(UNKNOWN_FIELD_ID)));
    assertTrue(error.getMessage().startsWith("The field `unknownField` in the JSON string is not defined in the `ApiKeyResponse` properties"), error.getMessage());
    assertTrue(listedIds(alice).contains(UNKNOWN_FIELD_ID));
  }
}
