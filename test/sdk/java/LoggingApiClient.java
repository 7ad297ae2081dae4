import ai.pairsys.goodmem.client.ApiClient;
import ai.pairsys.goodmem.client.ApiException;
import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import okhttp3.Response;

/**
 * The generated client's ApiClient, logging what it made of every answer it read: the model
 * class it deserialised (none for 204), or the exception it raised with its status. One JSON
 * line per response in $APIKEYS_SDK_LOG, so java-client.test.ts can hold each recorded
 * exchange against what the client did with it (as conftest.py does for the Python SDK).
 */
public class LoggingApiClient extends ApiClient {
  private static final Path LOG = Path.of(System.getenv("APIKEYS_SDK_LOG"));

  @Override
  public <T> T handleResponse(Response response, Type returnType) throws ApiException {
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("status", response.code());
    try {
      T result = super.handleResponse(response, returnType);
      entry.put("model", result == null ? null : result.getClass().getSimpleName());
      return result;
    } catch (ApiException e) {
      entry.put("exception", e.getClass().getSimpleName());
      entry.put("exceptionStatus", e.getCode());
      throw e;
    } catch (RuntimeException e) {
      entry.put("exception", e.getClass().getSimpleName());
      entry.put("message", e.getMessage());
      throw e;
    } finally {
      append(entry);
    }
  }

  private static synchronized void append(Map<String, Object> entry) {
    try {
      Files.writeString(LOG, new GsonBuilder().serializeNulls().create().toJson(entry) + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
