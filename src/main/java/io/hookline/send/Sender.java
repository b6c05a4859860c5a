package io.hookline.send;

import io.hookline.net.AddressRules;
import io.hookline.queue.LogText;
import io.hookline.store.ErrorClass;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.timeout.ReadTimeoutException;
import io.netty.handler.timeout.WriteTimeoutException;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLException;

/**
 * Sends one signed POST, non-blocking, on Vert.x's HTTP client (the engine under WebClient; used directly because a
 * request can be pinned to an already-checked address with {@link RequestOptions#setServer}). Rules:
 * <ul>
 * <li>one timeout covers connect, send and response (default 10 s);</li>
 * <li>redirects are not followed: a 3xx is a failure;</li>
 * <li>the response body is kept up to 4 KiB for the log; past that the connection is dropped rather than read;</li>
 * <li>the status line may take {@value #MAX_STATUS_LINE} bytes and the headers {@value #MAX_HEADER_BYTES} bytes in all
 * (however many there are); an answer over either, or one that is not HTTP, is a failed attempt of class
 * {@code invalid_response} whose message starts with "invalid response";</li>
 * <li>what the receiver controls (body, text quoted in error messages) is made storable by {@link LogText};</li>
 * <li>unless private networks are allowed, the host is resolved first, every address it resolves to is checked
 * against {@link AddressRules}, and the connection goes to the checked address, so DNS rebinding cannot slip a
 * private address in between the check and the connect.</li>
 * </ul>
 * The returned stage always completes normally: every failure becomes a {@link SendResult}. This class is threadsafe.
 */
public class Sender {
    public static final int BODY_LIMIT = 4096;
    /** Netty's and Vert.x's default: a status line is "HTTP/1.1 200 OK" and a reason phrase, far under 4 KiB. */
    public static final int MAX_STATUS_LINE = 4096;
    /**
     * Vert.x's default, stated here because it is what stops a receiver's 10,000 headers or 1 MiB header: the few
     * headers read (Retry-After) and the usual ones of a web server fit in far less than 8 KiB.
     */
    public static final int MAX_HEADER_BYTES = 8192;

    private final Vertx vertx;
    private final HttpClient client;
    private final long timeoutMs;
    private final boolean allowPrivateNetworks;

    public Sender(Vertx vertx, Duration timeout, boolean allowPrivateNetworks, int maxConnectionsPerHost) {
        this.vertx = vertx;
        this.timeoutMs = timeout.toMillis();
        this.allowPrivateNetworks = allowPrivateNetworks;
        HttpClientOptions options = new HttpClientOptions()
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, timeoutMs))
                .setKeepAlive(true)
                .setForceSni(true)
                .setVerifyHost(true)
                .setMaxInitialLineLength(MAX_STATUS_LINE)
                .setMaxHeaderSize(MAX_HEADER_BYTES)
                .setDecompressionSupported(false)
                .setTryUseCompression(false);
        this.client = vertx.httpClientBuilder()
                .with(options)
                .with(new PoolOptions().setHttp1MaxSize(maxConnectionsPerHost))
                // a connection's failure also fails its request, which records it as the attempt; without a handler
                // here Vert.x logs it too, at ERROR and quoting the receiver ("invalid version format: <its line>"),
                // one line per attempt any receiver can cause
                .withConnectHandler(connection -> connection.exceptionHandler(e -> {}))
                .build();
    }

    public CompletionStage<SendResult> send(String url, Map<String, String> headers, byte[] body) {
        long start = System.nanoTime();
        CompletableFuture<SendResult> result = new CompletableFuture<>();
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            result.complete(SendResult.error(ErrorClass.CONNECTION, "malformed URL", 0));
            return result;
        }
        boolean https = "https".equalsIgnoreCase(uri.getScheme());
        if (!allowPrivateNetworks && !https) {
            result.complete(SendResult.error(ErrorClass.BLOCKED_ADDRESS, "plain http is not allowed", 0));
            return result;
        }
        if (allowPrivateNetworks) {
            request(url, null, headers, body, start, result);
            return result;
        }
        String host = uri.getHost();
        int port = uri.getPort() > 0 ? uri.getPort() : 443;
        vertx.<InetAddress>executeBlocking(() -> checkedAddress(host), false).onComplete(resolved -> {
            if (resolved.failed()) {
                Throwable cause = resolved.cause();
                if (cause instanceof BlockedAddressException blocked) {
                    result.complete(SendResult.error(ErrorClass.BLOCKED_ADDRESS, blocked.getMessage(), elapsed(start)));
                } else {
                    result.complete(SendResult.error(ErrorClass.DNS, "could not resolve " + host, elapsed(start)));
                }
                return;
            }
            request(
                    url,
                    SocketAddress.inetSocketAddress(port, resolved.result().getHostAddress()),
                    headers,
                    body,
                    start,
                    result);
        });
        return result;
    }

    private static InetAddress checkedAddress(String host) throws UnknownHostException {
        InetAddress[] addresses = InetAddress.getAllByName(host);
        for (InetAddress address : addresses) {
            Optional<String> reason = AddressRules.blockedReason(address);
            if (reason.isPresent()) {
                throw new BlockedAddressException(host + " resolves to a " + reason.get());
            }
        }
        return addresses[0];
    }

    private void request(
            String url,
            SocketAddress server,
            Map<String, String> headers,
            byte[] body,
            long start,
            CompletableFuture<SendResult> result) {
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setAbsoluteURI(url)
                .setFollowRedirects(false)
                .setIdleTimeout(timeoutMs);
        if (server != null) {
            options.setServer(server);
        }
        headers.forEach(options::putHeader);
        AtomicBoolean done = new AtomicBoolean();
        HttpClientRequest[] inFlight = new HttpClientRequest[1];
        long timer = vertx.setTimer(timeoutMs, id -> {
            if (done.compareAndSet(false, true)) {
                if (inFlight[0] != null) {
                    inFlight[0].reset();
                }
                result.complete(SendResult.error(
                        ErrorClass.TIMEOUT, "no complete answer within " + timeoutMs + " ms", elapsed(start)));
            }
        });
        client.request(options).onComplete(created -> {
            if (created.failed()) {
                finish(done, timer, result, failure(created.cause(), elapsed(start)));
                return;
            }
            HttpClientRequest request = created.result();
            inFlight[0] = request;
            request.response().onComplete(answered -> {
                if (answered.failed()) {
                    finish(done, timer, result, failure(answered.cause(), elapsed(start)));
                } else {
                    readCapped(answered.result(), request, start, done, timer, result);
                }
            });
            request.end(Buffer.buffer(body)).onFailure(e -> finish(done, timer, result, failure(e, elapsed(start))));
        });
    }

    private void readCapped(
            HttpClientResponse response,
            HttpClientRequest request,
            long start,
            AtomicBoolean done,
            long timer,
            CompletableFuture<SendResult> result) {
        Buffer kept = Buffer.buffer();
        String retryAfter = response.getHeader("Retry-After");
        response.handler(chunk -> {
            if (kept.length() + chunk.length() <= BODY_LIMIT) {
                kept.appendBuffer(chunk);
            } else {
                kept.appendBuffer(chunk, 0, BODY_LIMIT - kept.length());
                // enough for the log: drop the connection instead of reading the rest
                finish(
                        done,
                        timer,
                        result,
                        SendResult.response(response.statusCode(), text(kept), elapsed(start), retryAfter));
                request.reset();
            }
        });
        response.exceptionHandler(e -> finish(
                done,
                timer,
                result,
                SendResult.response(response.statusCode(), text(kept), elapsed(start), retryAfter)));
        response.endHandler(v -> finish(
                done,
                timer,
                result,
                SendResult.response(response.statusCode(), text(kept), elapsed(start), retryAfter)));
    }

    private void finish(AtomicBoolean done, long timer, CompletableFuture<SendResult> result, SendResult value) {
        if (done.compareAndSet(false, true)) {
            vertx.cancelTimer(timer);
            result.complete(value);
        }
    }

    /**
     * Classifies a failure by the types in its cause chain, never by the words of its message (a message is the
     * receiver's or the library's text and changes between versions). Checked in this order, because the libraries
     * wrap: Netty's TLS handler raises an {@link SSLException} inside a {@link DecoderException}, and Vert.x wraps
     * some causes in a {@code VertxException}.
     */
    static SendResult failure(Throwable e, int durationMs) {
        // the message may quote the receiver (Netty's "invalid version format: <its status line>")
        String message = LogText.message(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        // Vert.x's request and pool timeouts (a java.util.concurrent.TimeoutException), the connect timeout, Netty's
        // read/write timeouts and a socket timeout; a TLS handshake timeout is an SSLException and counts as tls
        if (caused(
                e,
                TimeoutException.class,
                ConnectTimeoutException.class,
                ReadTimeoutException.class,
                WriteTimeoutException.class,
                SocketTimeoutException.class)) {
            return SendResult.error(ErrorClass.TIMEOUT, message, durationMs);
        }
        if (caused(e, SSLException.class)) {
            return SendResult.error(ErrorClass.TLS, message, durationMs);
        }
        if (caused(e, UnknownHostException.class)) {
            return SendResult.error(ErrorClass.DNS, message, durationMs);
        }
        if (caused(e, TooLongHttpHeaderException.class)) {
            return SendResult.error(
                    ErrorClass.INVALID_RESPONSE,
                    "invalid response: headers over " + MAX_HEADER_BYTES + " bytes",
                    durationMs);
        }
        if (caused(e, TooLongHttpLineException.class)) {
            return SendResult.error(
                    ErrorClass.INVALID_RESPONSE,
                    "invalid response: status line over " + MAX_STATUS_LINE + " bytes",
                    durationMs);
        }
        // what Netty's decoder raises for an answer that is not HTTP: a bad version, status or Content-Length
        if (caused(e, DecoderException.class, IllegalArgumentException.class)) {
            return SendResult.error(ErrorClass.INVALID_RESPONSE, "invalid response: " + message, durationMs);
        }
        // refused, reset, closed: the endpoint is not taking connections
        return SendResult.error(ErrorClass.CONNECTION, message, durationMs);
    }

    /** Whether {@code e} or one of its causes is one of {@code types}. */
    @SafeVarargs
    private static boolean caused(Throwable e, Class<? extends Throwable>... types) {
        // 10 levels is far more than any wrapping seen (two at most); the bound guards against a cause cycle
        Throwable t = e;
        for (int depth = 0; t != null && depth < 10; depth++, t = t.getCause()) {
            for (Class<? extends Throwable> type : types) {
                if (type.isInstance(t)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String text(Buffer buffer) {
        return LogText.body(buffer.getBytes());
    }

    private static int elapsed(long startNanos) {
        return (int) ((System.nanoTime() - startNanos) / 1_000_000);
    }

    public void close() {
        client.close();
    }

    static final class BlockedAddressException extends UnknownHostException {
        BlockedAddressException(String message) {
            super(message);
        }
    }
}
