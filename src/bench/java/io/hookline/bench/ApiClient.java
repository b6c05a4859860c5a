package io.hookline.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The service's HTTP API as the bench's publishers use it: Vert.x's non-blocking client, keep-alive connections, many
 * requests in flight, a bearer token per tenant. This class is threadsafe.
 */
final class ApiClient implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PAD = "x".repeat(950);

    /** One answer: status, the event id of a publish (null otherwise) and when it came back. */
    record Answer(int status, String body, long sentNanos, long doneNanos) {
        String eventId() {
            int at = body.indexOf("\"id\":\"");
            return at < 0 ? null : body.substring(at + 6, body.indexOf('"', at + 6));
        }
    }

    private final HttpClient client;
    private final int port;
    private final Jwt jwt;
    private final Map<String, String> tokens = new ConcurrentHashMap<>();

    ApiClient(Vertx vertx, int port, Jwt jwt, int connections) {
        this.port = port;
        this.jwt = jwt;
        this.client = vertx.createHttpClient(
                new HttpClientOptions()
                        .setKeepAlive(true)
                        .setDefaultHost("127.0.0.1")
                        .setDefaultPort(port),
                new PoolOptions().setHttp1MaxSize(connections));
    }

    int port() {
        return port;
    }

    /** A publish body with about 1 KiB of data. */
    static Buffer eventBody(String type, long seq) {
        return Buffer.buffer("{\"type\":\"" + type + "\",\"data\":{\"seq\":" + seq + ",\"pad\":\"" + PAD + "\"}}");
    }

    Future<Answer> publish(String tenant, Buffer body) {
        return post("/v1/events", tenant, body);
    }

    Future<Answer> post(String path, String tenant, Buffer body) {
        long sent = System.nanoTime();
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setURI(path)
                .putHeader("Content-Type", "application/json")
                .putHeader("Authorization", "Bearer " + token(tenant))
                .setTimeout(60_000);
        return client.request(options)
                .compose(request -> request.send(body))
                .compose(response -> response.body()
                        .map(b -> new Answer(response.statusCode(), b.toString(), sent, System.nanoTime())));
    }

    /** Registers a webhook and returns {id, secret}; blocking (set-up only). */
    String[] createWebhook(String tenant, String url) throws Exception {
        Answer a = post("/v1/webhooks", tenant, Buffer.buffer("{\"url\":\"" + url + "\",\"description\":\"bench\"}"))
                .toCompletionStage()
                .toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
        if (a.status() != 201) {
            throw new IllegalStateException("creating a webhook answered " + a.status() + ": " + a.body());
        }
        JsonNode created = JSON.readTree(a.body());
        return new String[] {created.get("id").asText(), created.get("secret").asText()};
    }

    private String token(String tenant) {
        return tokens.computeIfAbsent(tenant, t -> jwt.token(t, 3 * 3600));
    }

    @Override
    public void close() {
        client.close();
    }
}
