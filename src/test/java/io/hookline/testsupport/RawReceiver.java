package io.hookline.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A receiver below HTTP: a plain TCP socket on a free local port that reads each request and writes whatever bytes
 * the test's script writes, valid HTTP or not, then closes the connection. For answers no HTTP server library would
 * send (a garbage status line, 10,000 headers, a body that never ends).
 */
public final class RawReceiver implements AutoCloseable {

    /** Writes the answer. May write for as long as it likes: {@link #open()} says when the receiver is closing. */
    public interface Script {
        void answer(OutputStream out, RawReceiver receiver) throws IOException;
    }

    private final ServerSocket server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final AtomicInteger requests = new AtomicInteger();
    private final CountDownLatch closing = new CountDownLatch(1);
    private final Script script;

    private RawReceiver(Script script) throws IOException {
        this.script = script;
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        threads.submit(this::accept);
    }

    public static RawReceiver start(Script script) {
        try {
            return new RawReceiver(script);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes {@code bytes} as the whole answer. */
    public static RawReceiver answering(byte[] bytes) {
        return start((out, r) -> out.write(bytes));
    }

    public static RawReceiver answering(String latin1) {
        return answering(latin1.getBytes(StandardCharsets.ISO_8859_1));
    }

    public String url() {
        return "http://127.0.0.1:" + server.getLocalPort() + "/hook";
    }

    /** Requests read in full. */
    public int count() {
        return requests.get();
    }

    /** False once {@link #close()} was called. */
    public boolean open() {
        return closing.getCount() > 0;
    }

    /** Waits up to {@code millis} or until the receiver closes, for scripts that trickle. */
    public void pause(long millis) {
        try {
            closing.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void accept() {
        while (open()) {
            try {
                Socket socket = server.accept();
                threads.submit(() -> serve(socket));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket socket) {
        try (socket;
                InputStream in = socket.getInputStream();
                OutputStream out = socket.getOutputStream()) {
            readRequest(in);
            requests.incrementAndGet();
            script.answer(out, this);
            out.flush();
        } catch (IOException e) {
            // the client hung up (as it should on an endless answer)
        }
    }

    /** Reads the head up to the blank line, then Content-Length bytes of body. */
    private static void readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed before the end of the request head");
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        long length = 0;
        for (String line : head.toString(StandardCharsets.ISO_8859_1).split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Long.parseLong(
                        line.substring("content-length:".length()).trim());
            }
        }
        in.readNBytes((int) length);
    }

    @Override
    public void close() {
        closing.countDown();
        try {
            server.close();
        } catch (IOException e) {
            // already closed
        }
        threads.shutdownNow();
    }
}
