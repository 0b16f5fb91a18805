package io.jrtc.testkit.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Java end of the interop message channel: serves {@code interop/harness} (the page and the scenario script) and
 * two endpoints, {@code GET /poll} (long poll: messages for the remote peer) and {@code POST /post} (a message from it).
 * Test-only; binds only the address it is given (the private network's host end).
 */
public final class HarnessServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HarnessServer.class);
    public static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final BlockingQueue<JsonNode> toRemote = new LinkedBlockingQueue<>();
    private final BlockingQueue<JsonNode> fromRemote = new LinkedBlockingQueue<>();
    private final List<JsonNode> seen = new ArrayList<>();
    private final Path harnessDir;
    private volatile java.util.function.Consumer<JsonNode> signalSink;

    public HarnessServer(InetAddress bind) throws IOException {
        this.harnessDir = repoRoot().resolve("interop/harness");
        this.server = HttpServer.create(new InetSocketAddress(bind, 0), 64);
        server.setExecutor(executor);
        server.createContext("/poll", this::poll);
        server.createContext("/post", this::post);
        server.createContext("/", this::file);
        server.start();
    }

    /** The repository root, found by walking up from the working directory. */
    public static Path repoRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("interop/harness"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("cannot find interop/harness above " + Path.of("").toAbsolutePath());
        }
        return p;
    }

    public String baseUrl() {
        InetSocketAddress a = server.getAddress();
        return "http://" + a.getAddress().getHostAddress() + ":" + a.getPort();
    }

    /**
     * Routes the remote's offers, answers and candidates to {@code sink} as they arrive (on an HTTP thread) instead of
     * queueing them for {@link #await}.
     */
    public void onSignal(java.util.function.Consumer<JsonNode> sink) {
        this.signalSink = sink;
    }

    /** Queues a message for the remote peer. */
    public void send(JsonNode message) {
        toRemote.add(message);
    }

    public ObjectNode message(String type) {
        return JSON.createObjectNode().put("type", type);
    }

    /** The next message from the remote peer that matches, waiting up to {@code timeout}; non-matching ones stay available to {@link #drain()}. */
    public JsonNode await(Predicate<JsonNode> match, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (seen) {
            for (int i = 0; i < seen.size(); i++) {
                if (match.test(seen.get(i))) {
                    return seen.remove(i);
                }
            }
        }
        for (;;) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            JsonNode m = fromRemote.poll(left, TimeUnit.NANOSECONDS);
            if (m == null) {
                return null;
            }
            if (match.test(m)) {
                return m;
            }
            synchronized (seen) {
                seen.add(m);
            }
        }
    }

    /** The result of the command with this id. */
    public JsonNode awaitResult(String id, Duration timeout) throws InterruptedException {
        return await(m -> "result".equals(m.path("type").asText()) && id.equals(m.path("id").asText()), timeout);
    }

    /** Everything received and not yet consumed, in order. */
    public List<JsonNode> drain() {
        List<JsonNode> out = new ArrayList<>();
        synchronized (seen) {
            out.addAll(seen);
            seen.clear();
        }
        fromRemote.drainTo(out);
        return out;
    }

    private void poll(HttpExchange ex) throws IOException {
        List<JsonNode> batch = new ArrayList<>();
        try {
            JsonNode first = toRemote.poll(15, TimeUnit.SECONDS);
            if (first != null) {
                batch.add(first);
                toRemote.drainTo(batch);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        reply(ex, 200, "application/json", JSON.writeValueAsBytes(batch));
    }

    private void post(HttpExchange ex) throws IOException {
        JsonNode m = JSON.readTree(ex.getRequestBody());
        String type = m.path("type").asText();
        java.util.function.Consumer<JsonNode> sink = signalSink;
        if ("log".equals(type)) {
            LOG.info("remote: {}", m.path("text").asText());
        } else if (sink != null && ("offer".equals(type) || "answer".equals(type) || "candidate".equals(type))) {
            LOG.debug("remote signal: {}", type);
            sink.accept(m);
        } else {
            LOG.debug("remote -> java: {}", m);
            fromRemote.add(m);
        }
        reply(ex, 204, "text/plain", new byte[0]);
    }

    private void file(HttpExchange ex) throws IOException {
        String name = ex.getRequestURI().getPath().replaceFirst("^/+", "");
        if (name.isEmpty()) {
            name = "page.html";
        }
        Path f = harnessDir.resolve(name).normalize();
        if (!f.startsWith(harnessDir) || !Files.isRegularFile(f)) {
            reply(ex, 404, "text/plain", "not found".getBytes(StandardCharsets.UTF_8));
            return;
        }
        String type = name.endsWith(".js") ? "text/javascript" : name.endsWith(".html") ? "text/html; charset=utf-8" : "application/octet-stream";
        reply(ex, 200, type, Files.readAllBytes(f));
    }

    private static void reply(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("content-type", type);
        ex.getResponseHeaders().set("cache-control", "no-store");
        ex.sendResponseHeaders(status, status == 204 ? -1 : body.length);
        if (status != 204) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
        ex.close();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
