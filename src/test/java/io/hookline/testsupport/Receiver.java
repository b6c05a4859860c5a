package io.hookline.testsupport;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A real HTTP endpoint on a free local port that records every request and answers as the test says. Not a mock:
 * the service under test opens real connections to it.
 */
public final class Receiver implements AutoCloseable {

    /** One received request; header names are lower-case. */
    public record Request(Map<String, String> headers, byte[] body, long receivedAtNanos) {
        public String header(String name) {
            return headers.get(name.toLowerCase());
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** What to answer: status, headers, body, and an optional hold before answering (released by close()). */
    public record Answer(int status, Map<String, String> headers, String body, long holdMillis) {
        public static Answer status(int status) {
            return new Answer(status, Map.of(), "", 0);
        }

        public Answer header(String name, String value) {
            Map<String, String> h = new TreeMap<>(headers);
            h.put(name, value);
            return new Answer(status, h, body, holdMillis);
        }

        public Answer body(String text) {
            return new Answer(status, headers, text, holdMillis);
        }

        public Answer hold(long millis) {
            return new Answer(status, headers, body, millis);
        }
    }

    private final HttpServer server;
    private final ConcurrentLinkedQueue<Request> requests = new ConcurrentLinkedQueue<>();
    private final CountDownLatch closing = new CountDownLatch(1);
    private volatile Function<Integer, Answer> script = n -> Answer.status(200).body("ok");
    private final AtomicInteger working = new AtomicInteger();
    private final AtomicInteger mostAtOnce = new AtomicInteger();

    private Receiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", this::handle);
        server.start();
    }

    public static Receiver start() {
        try {
            return new Receiver();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Answers the n-th request (0-based) with {@code script.apply(n)}. */
    public Receiver answering(Function<Integer, Answer> script) {
        this.script = script;
        return this;
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public List<Request> requests() {
        return new ArrayList<>(requests);
    }

    public int count() {
        return requests.size();
    }

    /**
     * The most requests this receiver was working on at once: counted from arrival until the answer is about to be
     * written, so never more than the sender had on the wire.
     */
    public int mostAtOnce() {
        return mostAtOnce.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        boolean counted = false;
        try (InputStream in = exchange.getRequestBody()) {
            mostAtOnce.accumulateAndGet(working.incrementAndGet(), Math::max);
            counted = true;
            byte[] body = in.readAllBytes();
            Map<String, String> headers = new TreeMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), String.join(",", v)));
            int n;
            synchronized (requests) {
                n = requests.size();
                requests.add(new Request(headers, body, System.nanoTime()));
            }
            Answer answer = script.apply(n);
            if (answer.holdMillis() > 0) {
                closing.await(answer.holdMillis(), TimeUnit.MILLISECONDS);
            }
            working.decrementAndGet();
            counted = false;
            answer.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            byte[] out = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(answer.status(), out.length == 0 ? -1 : out.length);
            if (out.length > 0) {
                exchange.getResponseBody().write(out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (counted) {
                working.decrementAndGet();
            }
            exchange.close();
        }
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
