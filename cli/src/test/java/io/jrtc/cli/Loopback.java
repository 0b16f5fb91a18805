package io.jrtc.cli;

import io.jrtc.peer.PeerConnectionFactory;
import io.jrtc.signaling.server.SignalingServer;
import io.jrtc.signaling.server.SignalingServerConfig;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * A real signaling server on 127.0.0.1 and agents bound to 127.0.0.1, in this JVM; everything started is closed at the
 * end. Agents reconnect fast (100 ms doubling to 400 ms) so restart tests stay short.
 */
final class Loopback implements AutoCloseable {

    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    final PeerConnectionFactory factory = new PeerConnectionFactory(2);
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final List<SignalingServer> servers = new ArrayList<>();

    SignalingServer startServer(int port) {
        SignalingServer s = new SignalingServer(SignalingServerConfig.builder().bindHost("127.0.0.1").port(port)
                .drainTimeout(Duration.ofSeconds(2)).build());
        servers.add(s);
        s.start().orTimeout(20, TimeUnit.SECONDS).join();
        return s;
    }

    static URI ws(SignalingServer s) {
        return URI.create("ws://127.0.0.1:" + s.boundPort() + "/ws");
    }

    static AgentConfig.Builder config(SignalingServer s, String id) {
        return AgentConfig.builder(ws(s), id).addBindAddress(LOOPBACK)
                .signalingTuning(b -> b.backoff(Duration.ofMillis(100), Duration.ofMillis(400), 2.0, 0.2).random(new Random(7)));
    }

    EchoAgent echo(SignalingServer s, String id) throws Exception {
        EchoAgent e = new EchoAgent(config(s, id).build(), factory);
        closeables.add(e);
        e.start().get(10, TimeUnit.SECONDS);
        return e;
    }

    ClientAgent client(SignalingServer s, String id) throws Exception {
        ClientAgent c = new ClientAgent(config(s, id).build(), factory);
        closeables.add(c);
        c.start().get(10, TimeUnit.SECONDS);
        return c;
    }

    <T extends AutoCloseable> T track(T c) {
        closeables.add(c);
        return c;
    }

    @Override
    public void close() {
        RuntimeException failure = null;
        for (int i = closeables.size() - 1; i >= 0; i--) {
            try {
                closeables.get(i).close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = new IllegalStateException("closing " + closeables.get(i) + " failed", e);
                }
            }
        }
        for (SignalingServer s : servers) {
            s.abort();
        }
        factory.close();
        if (failure != null) {
            throw failure;
        }
    }
}
