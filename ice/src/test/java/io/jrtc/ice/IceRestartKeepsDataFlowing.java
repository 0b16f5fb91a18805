package io.jrtc.ice;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.ice4j.message.Message;
import org.junit.jupiter.api.Test;

/**
 * ICE restart mid-transfer (RFC 8445 §9): new credentials, a new check list and a new selected pair, while a
 * stream of numbered messages keeps flowing with nothing lost or reordered.
 */
class IceRestartKeepsDataFlowing {

    @Test
    void restartMidTransferLosesNothing() {
        VirtualNetwork net = new VirtualNetwork(31);
        Set<String> usernamesSeen = new HashSet<>();
        net.tap((now, from, to, data) -> {
            Message m = Pairing.stun(data);
            if (Pairing.isBindingRequest(m)) {
                usernamesSeen.add(Pairing.username(m));
            }
        });
        VirtualNetwork.Node a = net.node("a", TestAgents.config(1).build(), TestAgents.creds(1));
        VirtualNetwork.Node b = net.node("b", TestAgents.config(2).build(), TestAgents.creds(2));
        a.agent.setRole(IceRole.CONTROLLING);
        b.agent.setRole(IceRole.CONTROLLED);
        a.bind("10.0.0.1", 5000);
        b.bind("10.0.0.2", 6000);
        b.bind("10.0.1.2", 6001);
        net.signal(a, b, Duration.ofMillis(15), true);
        Pairing.start(net, a, b);
        assertThat(net.runUntil(() -> a.connected() && b.connected(), Duration.ofSeconds(5))).isTrue();
        IceCredentials aOld = a.agent.localCredentials();
        IceCredentials bOld = b.agent.localCredentials();

        // 3 seconds of data both ways, one message every 5 ms.
        List<byte[]> sentA = new ArrayList<>();
        List<byte[]> sentB = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            int k = i;
            net.schedule(Duration.ofMillis(5L * i), () -> {
                byte[] x = ByteBuffer.allocate(8).putInt(0x80000000).putInt(k).array();
                byte[] y = ByteBuffer.allocate(8).putInt(0x81000000).putInt(k).array();
                sentA.add(x);
                sentB.add(y);
                a.send(x);
                b.send(y);
            });
        }
        // At 1 s: a restarts (new offer), b restarts on receiving it (new answer); candidates trickle again.
        net.schedule(Duration.ofSeconds(1), () -> {
            IceCredentials aNew = TestAgents.creds(1001);
            a.agent.restart(net.now(), aNew);
            net.schedule(Duration.ofMillis(20), () -> {
                IceCredentials bNew = TestAgents.creds(2002);
                b.agent.setRemoteCredentials(net.now(), aNew); // staged: b still runs the old generation
                b.agent.restart(net.now(), bNew);
                net.schedule(Duration.ofMillis(20), () -> a.agent.setRemoteCredentials(net.now(), bNew));
            });
        });
        net.runFor(Duration.ofSeconds(4));

        assertThat(a.agent.localCredentials()).isNotEqualTo(aOld);
        assertThat(b.agent.localCredentials()).isNotEqualTo(bOld);
        assertThat(usernamesSeen).contains(bOld.ufrag() + ":" + aOld.ufrag(),
                TestAgents.creds(2002).ufrag() + ":" + TestAgents.creds(1001).ufrag());
        // A new selection happened in the new generation.
        assertThat(a.selections).hasSizeGreaterThanOrEqualTo(2);
        assertThat(b.selections).hasSizeGreaterThanOrEqualTo(2);
        assertThat(a.connected()).isTrue();
        assertThat(b.connected()).isTrue();
        // Nothing lost, nothing reordered.
        assertThat(b.received).containsExactlyElementsOf(sentA);
        assertThat(a.received).containsExactlyElementsOf(sentB);
        assertThat(a.states).doesNotContain(IceConnectionState.DISCONNECTED, IceConnectionState.FAILED);
        // The gathering cycle was announced again for the new generation.
        assertThat(a.events.stream().filter(e -> e instanceof IceEvent.GatheringStateChanged g && g.state() == IceGatheringState.COMPLETE)).hasSize(2);
    }
}
