package io.jrtc.cli.interop;

import io.jrtc.signaling.server.SignalingServer;
import io.jrtc.signaling.server.SignalingServerConfig;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** The signaling server the cli interop tests put on a private network namespace's host-side address. */
final class NamespaceSignaling {

    private NamespaceSignaling() {
    }

    /** A started server on {@code host}, on a port the system picks ({@link SignalingServer#boundPort()}); close it. */
    static SignalingServer start(String host) throws Exception {
        SignalingServer server = new SignalingServer(SignalingServerConfig.builder().bindHost(host).port(0)
                .drainTimeout(Duration.ofSeconds(2)).build());
        server.start().get(20, TimeUnit.SECONDS);
        return server;
    }
}
