package io.jrtc.signaling.client;

import io.jrtc.signaling.server.SignalingServer;
import io.jrtc.signaling.server.SignalingServerConfig;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Real signaling servers for client tests; everything started is closed at the end. */
final class TestServers implements AutoCloseable {

    private final List<SignalingServer> servers = new ArrayList<>();
    private final List<SignalingClient> clients = new ArrayList<>();

    SignalingServer start(SignalingServerConfig.Builder b) {
        SignalingServer s = new SignalingServer(b.build());
        servers.add(s);
        s.start().orTimeout(20, TimeUnit.SECONDS).join();
        return s;
    }

    SignalingServer start() {
        return start(SignalingServerConfig.builder());
    }

    static URI uri(SignalingServer s) {
        return URI.create("ws://127.0.0.1:" + s.boundPort() + "/ws");
    }

    /** A client with a fast, deterministic backoff for tests. */
    SignalingClient client(URI uri, String agentId) {
        return client(SignalingClientConfig.builder(uri, agentId)
                .backoff(Duration.ofMillis(100), Duration.ofMillis(400), 2.0, 0.2)
                .random(new java.util.Random(42)));
    }

    SignalingClient client(SignalingClientConfig.Builder b) {
        SignalingClient c = new SignalingClient(b.build());
        clients.add(c);
        return c;
    }

    @Override
    public void close() {
        for (SignalingClient c : clients) {
            c.close();
        }
        for (SignalingServer s : servers) {
            s.abort();
        }
    }
}
