package io.jrtc.ice;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@link IceAgent#send} copies (the caller may reuse its buffer at once); {@link IceAgent#sendOwned} hands the caller's
 * bytes to the transmit without a copy, which is what the peer does with its fresh DTLS records. Both arrive intact.
 */
class OwnedSendsAreNotCopied {

    @Test
    void sendCopiesAndSendOwnedHandsTheBytesOver() {
        VirtualNetwork net = new VirtualNetwork(21);
        VirtualNetwork.Node a = net.node("a", TestAgents.config(31).build(), TestAgents.creds(41));
        VirtualNetwork.Node b = net.node("b", TestAgents.config(32).build(), TestAgents.creds(42));
        a.agent.setRole(IceRole.CONTROLLING);
        b.agent.setRole(IceRole.CONTROLLED);
        a.bind("10.0.0.1", 5000);
        b.bind("10.0.0.2", 6000);
        net.signal(a, b, Duration.ofMillis(10), true);
        a.agent.startGathering(net.now());
        b.agent.startGathering(net.now());
        assertThat(net.runUntil(() -> a.connected() && b.connected(), Duration.ofSeconds(5))).isTrue();
        net.flush();

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

    private static IceTransmit nextDataTransmit(IceAgent agent) {
        for (Optional<IceTransmit> t = agent.pollTransmit(); t.isPresent(); t = agent.pollTransmit()) {
            ByteBuffer d = t.get().data();
            if (d.remaining() < 20 || (d.get(d.position()) & 0xC0) != 0) { // not STUN (RFC 7983: 0-3)
                return t.get();
            }
        }
        throw new AssertionError("no data transmit queued");
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }
}
