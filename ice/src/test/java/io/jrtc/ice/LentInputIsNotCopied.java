package io.jrtc.ice;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@link IceAgent#handleInput} copies the application data it hands out (the caller may release its buffer at once);
 * {@link IceAgent#handleInputLent} hands out a view of the caller's bytes, which a peer connection's core consumes
 * before its socket buffer is released: one copy fewer on the receive path. Both carry the same bytes.
 */
class LentInputIsNotCopied {

    @Test
    void handleInputCopiesAndHandleInputLentGivesAView() {
        VirtualNetwork net = new VirtualNetwork(23);
        VirtualNetwork.Node a = net.node("a", TestAgents.config(33).build(), TestAgents.creds(43));
        VirtualNetwork.Node b = net.node("b", TestAgents.config(34).build(), TestAgents.creds(44));
        a.agent.setRole(IceRole.CONTROLLING);
        b.agent.setRole(IceRole.CONTROLLED);
        a.bind("10.0.0.1", 5000);
        b.bind("10.0.0.2", 6000);
        net.signal(a, b, Duration.ofMillis(10), true);
        a.agent.startGathering(net.now());
        b.agent.startGathering(net.now());
        assertThat(net.runUntil(() -> a.connected() && b.connected(), Duration.ofSeconds(5))).isTrue();
        net.flush();
        IceCandidatePair pair = b.agent.selectedPair().orElseThrow();
        SocketId via = b.sockets.keySet().iterator().next();
        java.net.InetSocketAddress from = new java.net.InetSocketAddress(pair.remote().address(), pair.remote().port());

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
