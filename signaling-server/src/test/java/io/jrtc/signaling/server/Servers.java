package io.jrtc.signaling.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Starts servers for a test and closes them all afterwards. */
final class Servers implements AutoCloseable {

    private final List<SignalingServer> servers = new ArrayList<>();

    /** An HTTP response: status and body. */
    record Http(int status, String body, String contentType) {
    }

    SignalingServer start(SignalingServerConfig.Builder b) {
        SignalingServer s = new SignalingServer(b.build());
        servers.add(s);
        s.start().orTimeout(20, java.util.concurrent.TimeUnit.SECONDS).join();
        return s;
    }

    SignalingServer start() {
        return start(SignalingServerConfig.builder());
    }

    @Override
    public void close() {
        for (SignalingServer s : servers) {
            s.abort();
        }
    }

    /** Connects and registers; returns the socket after checking the registered reply. */
    static RawWebSocket register(SignalingServer s, String agentId) throws IOException {
        RawWebSocket ws = RawWebSocket.connect(s.boundPort());
        ws.sendJson("{\"type\":\"register\",\"agent_id\":\"" + agentId + "\"}");
        JsonNode r = ws.readJson();
        assertThat(r.path("type").asText()).as("reply to register %s: %s", agentId, r).isEqualTo("registered");
        return ws;
    }

    static Http get(int port, String path) throws IOException {
        return request("GET", port, path, null);
    }

    static Http get(String host, int port, String path) throws IOException {
        return request("GET", host, port, path, null);
    }

    static Http request(String method, int port, String path, String body) throws IOException {
        return request(method, "127.0.0.1", port, path, body);
    }

    static Http request(String method, String host, int port, String path, String body) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create("http://" + host + ":" + port + path).toURL()
                .openConnection(java.net.Proxy.NO_PROXY);
        c.setRequestMethod(method);
        c.setConnectTimeout(5000);
        c.setReadTimeout(5000);
        if (body != null) {
            c.setDoOutput(true);
            c.setRequestProperty("Content-Type", "application/json");
            c.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
        }
        int status = c.getResponseCode();
        InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
        String text = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        String type = c.getContentType();
        c.disconnect();
        return new Http(status, text, type);
    }

    /** The value of one Prometheus sample line, e.g. {@code jrtc_signaling_errors_total{code="too_large"}}. */
    static double metric(SignalingServer s, String sample) {
        for (String line : s.scrapeMetrics().split("\n")) {
            if (line.startsWith(sample + " ")) {
                return Double.parseDouble(line.substring(sample.length() + 1).trim());
            }
        }
        throw new AssertionError("no sample " + sample + " in\n" + s.scrapeMetrics());
    }

    /** Waits (polling every 10 ms) until {@code condition} holds; fails after {@code timeout}. */
    static void await(java.util.function.BooleanSupplier condition, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            java.util.concurrent.locks.LockSupport.parkNanos(10_000_000L);
        }
    }

    static double errors(SignalingServer s, ErrorCode code) {
        return metric(s, "jrtc_signaling_errors_total{code=\"" + code.wire() + "\"}");
    }
}
