package io.jrtc.ice;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * ICE copies a buffer only where its caller needs it. {@link IceAgent#send} copies (the caller may reuse its buffer at
 * once); {@link IceAgent#sendOwned} hands the caller's bytes to the transmit without a copy, which is what the peer does
 * with its fresh DTLS records. {@link IceAgent#handleInput} copies the application data it hands out (the caller may
 * release its buffer at once); {@link IceAgent#handleInputLent} hands out a view, which a peer connection's core
 * consumes before its socket buffer is released. Every way carries the same bytes.
 */
class OwnedBuffersAreNotCopied {

    private final VirtualNetwork net = new VirtualNetwork(21);
    private final VirtualNetwork.Node a = net.node("a", TestAgents.config(31).build(), TestAgents.creds(41));
    private final VirtualNetwork.Node b = net.node("b", TestAgents.config(32).build(), TestAgents.creds(42));

    @Test
    void sendCopiesAndSendOwnedHandsTheBytesOver() {
        connect();
        byte[] reused = {1, 2, 3, 4, 5};
        assertThat(a.agent.send(net.now(), ByteBuffer.wrap(reused, 1, 3))).isTrue();
        Arrays.fill(reused, (byte) 9); // reused at once
        IceTransmit copied = nextDataTransmit(a.agent);
        assertThat(bytes(copied.data())).containsExactly(2, 3, 4);
        assertThat(copied.data().array()).isNotSameAs(reused);

        byte[] record = {10, 20, 30, 40, 50, 60};
        assertThat(a.agent.sendOwned(net.now(), ByteBuffer.wrap(record, 2, 3))).isTrue();
        IceTransmit handed = nextDataTransmit(a.agent);
        assertThat(bytes(handed.data())).containsExactly(30, 40, 50);
        assertThat(handed.data().array()).isSameAs(record);
        assertThat(a.agent.stats().drops()).isEmpty();
    }

    @Test
    void handleInputCopiesAndHandleInputLentGivesAView() {
        connect();
        IceCandidate remote = b.agent.selectedPair().orElseThrow().remote();
        InetSocketAddress from = new InetSocketAddress(remote.address(), remote.port());
        SocketId via = b.sockets.keySet().iterator().next();

        byte[] datagram = {0, 0, 23, (byte) 0xFE, (byte) 0xFD, 1, 2, 3, 4};
        ByteBuffer in = ByteBuffer.wrap(datagram, 2, 7);
        b.agent.handleInputLent(net.now(), via, from, in);
        ByteBuffer lent = nextData(b.agent);
        assertThat(lent.array()).isSameAs(datagram);
        assertThat(bytes(lent)).containsExactly(23, 0xFE, 0xFD, 1, 2, 3, 4);
        assertThat(in.position()).isEqualTo(2); // the caller's buffer is not consumed

        b.agent.handleInput(net.now(), via, from, ByteBuffer.wrap(datagram, 2, 7));
        ByteBuffer copied = nextData(b.agent);
        assertThat(copied.array()).isNotSameAs(datagram);
        assertThat(bytes(copied)).containsExactly(23, 0xFE, 0xFD, 1, 2, 3, 4);
        assertThat(b.agent.stats().drops()).isEmpty();
    }

    private void connect() {
        a.agent.setRole(IceRole.CONTROLLING);
        b.agent.setRole(IceRole.CONTROLLED);
        a.bind("10.0.0.1", 5000);
        b.bind("10.0.0.2", 6000);
        net.signal(a, b, Duration.ofMillis(10), true);
        a.agent.startGathering(net.now());
        b.agent.startGathering(net.now());
        assertThat(net.runUntil(() -> a.connected() && b.connected(), Duration.ofSeconds(5))).isTrue();
        net.flush();
    }

    private static IceTransmit nextDataTransmit(IceAgent agent) {
        for (Optional<IceTransmit> t = agent.pollTransmit(); t.isPresent(); t = agent.pollTransmit()) {
            ByteBuffer d = t.get().data();
            if (d.remaining() < 20 || (d.get(d.position()) & 0xC0) != 0) { // not STUN (RFC 7983: 0-3)
                return t.get();
            }
        }
        throw new AssertionError("no data transmit queued");
    }

    private static ByteBuffer nextData(IceAgent agent) {
        for (Optional<IceEvent> e = agent.pollEvent(); e.isPresent(); e = agent.pollEvent()) {
            if (e.get() instanceof IceEvent.ApplicationData d) {
                return d.data();
            }
        }
        throw new AssertionError("no application data");
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }
}
