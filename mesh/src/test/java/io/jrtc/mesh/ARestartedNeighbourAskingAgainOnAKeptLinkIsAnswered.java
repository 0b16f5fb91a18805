package io.jrtc.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.mesh.internal.wire.Frame;
import io.jrtc.mesh.internal.wire.NeighborFrame;
import io.jrtc.mesh.internal.wire.NeighborReplyFrame;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An agent that crashed and restarted under the same identity dials its old neighbour with a new certificate. That
 * neighbour's edge takes the new connection for a certificate rotation of the link it had, so its core keeps the link
 * (same id, still ACTIVE), while the restarted core knows nothing and asks afresh with a NEIGHBOR request. The request
 * is answered "accepted" on the kept link. Before, a NEIGHBOR on an ACTIVE link was ignored: the restarted agent
 * waited for a reply until its connect timeout (10 s) and closed a link that worked, and the neighbour went down and
 * up again (found by the deploy test {@code ThreeMeshProcessesOnTwoSignalingInstancesFormOneMesh}, a SIGKILLed
 * {@code ./jrtc mesh} restarted with its key file).
 */
class ARestartedNeighbourAskingAgainOnAKeptLinkIsAnswered {

    private static final long S = 1_000_000_000L;

    @Test
    void theKeptLinkIsConfirmedAndNotClosedAtTheConnectTimeout() throws Exception {
        LinkedCores net = new LinkedCores(1);
        Identity bobsKey = Identity.generate();
        OverlayCore alice = LinkedCores.core(1);
        OverlayCore bob = LinkedCores.core(2, bobsKey);
        long t = S;
        bob.join(t, alice.self());
        net.link(1, bob, alice, t);
        net.shuttle(t);
        assertThat(alice.activeView()).containsExactly(bob.self());

        // bob's process dies; a new one with the same key asks alice, whose side of link 1 is kept (a "rotation")
        OverlayCore bobAgain = LinkedCores.core(3, bobsKey);
        assertThat(bobAgain.self()).isEqualTo(bob.self());
        bobAgain.addCandidates(t, List.of(alice.self()));
        bobAgain.handleTimeout(t + 2 * S);
        t += 2 * S;
        assertThat(net.events(bobAgain)).contains(new OverlayEvent.ConnectRequested(alice.self()));
        net.pair(1, bobAgain, alice);
        net.seenOnWatched.clear();
        bobAgain.linkUp(t, 1, alice.self(), true);
        net.shuttle(t);

        List<Frame> frames = net.seenOnWatched.stream().map(b -> {
            try {
                return Frame.parse(ByteBuffer.wrap(b));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }).toList();
        assertThat(frames).as("the restarted core's request, then alice's answer")
                .containsExactly(new NeighborFrame(true), new NeighborReplyFrame(true));
        assertThat(bobAgain.activeView()).containsExactly(alice.self());
        assertThat(alice.activeView()).containsExactly(bob.self());

        // past the connect timeout, nobody closes link 1
        for (long at = t; at <= t + 12 * S; at += S) {
            bobAgain.handleTimeout(at);
            alice.handleTimeout(at);
            net.shuttle(at);
        }
        assertThat(net.events(bobAgain)).doesNotContain(new OverlayEvent.CloseRequested(1));
        assertThat(net.events(alice)).doesNotContain(new OverlayEvent.CloseRequested(1));
        assertThat(bobAgain.activeView()).containsExactly(alice.self());
        assertThat(alice.activeView()).containsExactly(bob.self());
    }
}
