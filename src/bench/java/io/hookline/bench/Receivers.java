package io.hookline.bench;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The webhook receivers: plain Vert.x HTTP servers on free loopback ports (one port = one "customer host", because
 * the service pools its connections per host and port). Every request is checked the way a receiver checks it:
 * the hex {@code X-Hookline-Signature} (HMAC-SHA256 keyed with the whole secret string over the raw body) and the
 * Standard Webhooks {@code webhook-signature} (keyed with the base64-decoded bytes after {@code whsec_}, over
 * {@code id.timestamp.body}). Each delivery id is counted, so a second send of the same delivery shows up as a double
 * send; arrival times are kept per event id for the latency figures. Answers 200 at once, after a set delay (the
 * one-endpoint figure's 1 ms receiver), or after 5 s for a webhook marked slow. This class is threadsafe.
 */
final class Receivers implements AutoCloseable {
    static final long SLOW_MILLIS = 5000;
    static final String LIMIT_PATH = "/limit";

    /** A registered webhook endpoint: its path, secret keys and the counter group it reports to. */
    static final class Endpoint {
        final String path;
        final byte[] hexKey;
        final byte[] standardKey;
        final int group;
        volatile boolean slow;
        /** Answer after this many milliseconds (0: at once); slow wins over it. */
        volatile long delayMillis;

        Endpoint(String path, String secret, int group) {
            this.path = path;
            this.hexKey = secret.getBytes(StandardCharsets.UTF_8);
            this.standardKey = Base64.getDecoder().decode(secret.substring("whsec_".length()));
            this.group = group;
        }
    }

    static final int GROUPS = 4;
    static final int GROUP_NORMAL = 0;
    static final int GROUP_HEALTHY = 1;
    static final int GROUP_SLOW = 2;

    private final Vertx vertx;
    private final List<HttpServer> servers = new ArrayList<>();
    private final int[] ports;
    private final Map<String, Endpoint> endpoints = new ConcurrentHashMap<>();
    /** Every delivery id ever received (the whole run), with how often. */
    private final Map<String, Integer> deliveries = new ConcurrentHashMap<>();

    private volatile Endpoint limitEndpoint;
    private volatile Map<String, Long> arrivals;

    // counters of the current measurement (reset())
    private final LongAdder received = new LongAdder();
    private final LongAdder[] groups = new LongAdder[GROUPS];
    private final LongAdder doubleSends = new LongAdder();
    private final LongAdder badSignatures = new LongAdder();
    private final LongAdder unknown = new LongAdder();
    private final AtomicLong firstNanos = new AtomicLong();
    private final AtomicLong lastNanos = new AtomicLong();
    // whole run
    private final LongAdder totalReceived = new LongAdder();
    private final LongAdder totalDoubleSends = new LongAdder();
    private final LongAdder totalBadSignatures = new LongAdder();
    private final LongAdder limitRequests = new LongAdder();

    private static final ThreadLocal<Mac> MAC = ThreadLocal.withInitial(() -> {
        try {
            return Mac.getInstance("HmacSHA256");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    });

    Receivers(Vertx vertx, int count) throws Exception {
        this.vertx = vertx;
        this.ports = new int[count];
        for (int i = 0; i < GROUPS; i++) {
            groups[i] = new LongAdder();
        }
        for (int i = 0; i < count; i++) {
            HttpServer server = vertx.createHttpServer(new HttpServerOptions()
                    .setHost("127.0.0.1")
                    .setPort(0)
                    .setIdleTimeout(120)
                    .setIdleTimeoutUnit(TimeUnit.SECONDS));
            server.requestHandler(this::handle);
            server.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            servers.add(server);
            ports[i] = server.actualPort();
        }
    }

    int ports() {
        return ports.length;
    }

    int port(int index) {
        return ports[index % ports.length];
    }

    /** The URL of endpoint {@code index}: on port {@code index mod ports}, so endpoints spread over the hosts. */
    String url(int index) {
        return "http://127.0.0.1:" + port(index) + "/r/" + index;
    }

    void register(int index, String secret, int group) {
        endpoints.put("/r/" + index, new Endpoint("/r/" + index, secret, group));
    }

    void setSlow(int index, boolean slow) {
        endpoints.get("/r/" + index).slow = slow;
    }

    void setDelay(int index, long millis) {
        endpoints.get("/r/" + index).delayMillis = millis;
    }

    /** The secret that signs the load generator's requests to {@link #LIMIT_PATH}. */
    void registerLimit(String secret) {
        limitEndpoint = new Endpoint(LIMIT_PATH, secret, GROUP_NORMAL);
    }

    /** Starts a measurement: counters to zero; arrival times kept per event id when {@code keepArrivals}. */
    void reset(boolean keepArrivals) {
        received.reset();
        for (LongAdder g : groups) {
            g.reset();
        }
        doubleSends.reset();
        badSignatures.reset();
        unknown.reset();
        firstNanos.set(0);
        lastNanos.set(0);
        arrivals = keepArrivals ? new ConcurrentHashMap<>() : null;
    }

    long received() {
        return received.sum();
    }

    long received(int group) {
        return groups[group].sum();
    }

    long doubleSends() {
        return doubleSends.sum();
    }

    long badSignatures() {
        return badSignatures.sum();
    }

    long unknown() {
        return unknown.sum();
    }

    long firstNanos() {
        return firstNanos.get();
    }

    long lastNanos() {
        return lastNanos.get();
    }

    Map<String, Long> arrivals() {
        return arrivals;
    }

    long totalReceived() {
        return totalReceived.sum();
    }

    long totalDoubleSends() {
        return totalDoubleSends.sum();
    }

    long totalBadSignatures() {
        return totalBadSignatures.sum();
    }

    long limitRequests() {
        return limitRequests.sum();
    }

    private void handle(HttpServerRequest request) {
        request.body().onComplete(read -> {
            if (read.failed()) {
                return;
            }
            long now = System.nanoTime();
            Buffer body = read.result();
            String path = request.path();
            if (LIMIT_PATH.equals(path) && limitEndpoint != null) {
                if (!verified(limitEndpoint, request, body.getBytes())) {
                    totalBadSignatures.increment();
                }
                limitRequests.increment();
                request.response().setStatusCode(200).end();
                return;
            }
            Endpoint endpoint = endpoints.get(path);
            if (endpoint == null) {
                unknown.increment();
                request.response().setStatusCode(200).end();
                return;
            }
            if (!verified(endpoint, request, body.getBytes())) {
                badSignatures.increment();
                totalBadSignatures.increment();
            }
            String delivery = request.getHeader("X-Hookline-Delivery");
            if (delivery != null && deliveries.merge(delivery, 1, Integer::sum) > 1) {
                doubleSends.increment();
                totalDoubleSends.increment();
            }
            Map<String, Long> keep = arrivals;
            String event = request.getHeader("webhook-id");
            if (keep != null && event != null) {
                keep.putIfAbsent(event, now);
            }
            firstNanos.compareAndSet(0, now);
            lastNanos.accumulateAndGet(now, Math::max);
            received.increment();
            groups[endpoint.group].increment();
            totalReceived.increment();
            if (endpoint.slow) {
                vertx.setTimer(
                        SLOW_MILLIS, t -> request.response().setStatusCode(200).end());
            } else if (endpoint.delayMillis > 0) {
                vertx.setTimer(
                        endpoint.delayMillis,
                        t -> request.response().setStatusCode(200).end());
            } else {
                request.response().setStatusCode(200).end();
            }
        });
    }

    private static boolean verified(Endpoint e, HttpServerRequest request, byte[] body) {
        String hex = request.getHeader("X-Hookline-Signature");
        String id = request.getHeader("webhook-id");
        String timestamp = request.getHeader("webhook-timestamp");
        String signatures = request.getHeader("webhook-signature");
        if (hex == null || id == null || timestamp == null || signatures == null) {
            return false;
        }
        byte[] expectedHex = HexFormat.of().formatHex(hmac(e.hexKey, body)).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expectedHex, hex.getBytes(StandardCharsets.US_ASCII))) {
            return false;
        }
        Mac mac = init(e.standardKey);
        mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
        mac.update(body);
        String expected = "v1," + Base64.getEncoder().encodeToString(mac.doFinal());
        for (String candidate : signatures.split(" ")) {
            if (MessageDigest.isEqual(
                    expected.getBytes(StandardCharsets.US_ASCII), candidate.getBytes(StandardCharsets.US_ASCII))) {
                return true;
            }
        }
        return false;
    }

    /** Both signature headers of a request, as a sender computes them (for the load generator's fixed request). */
    static Map<String, String> sign(String secret, String eventId, long timestamp, byte[] body) {
        String hex = HexFormat.of().formatHex(hmac(secret.getBytes(StandardCharsets.UTF_8), body));
        Mac mac = init(Base64.getDecoder().decode(secret.substring("whsec_".length())));
        mac.update((eventId + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
        mac.update(body);
        return Map.of(
                "X-Hookline-Signature",
                hex,
                "webhook-id",
                eventId,
                "webhook-timestamp",
                Long.toString(timestamp),
                "webhook-signature",
                "v1," + Base64.getEncoder().encodeToString(mac.doFinal()));
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        return init(key).doFinal(data);
    }

    private static Mac init(byte[] key) {
        Mac mac = MAC.get();
        try {
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return mac;
    }

    @Override
    public void close() {
        for (HttpServer server : servers) {
            server.close();
        }
    }
}
