package io.jrtc.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A newcomer joining through a contact that dials it at the same moment (it just heard of the newcomer from
 * signaling): the edge keeps one of the two crossing dials. When the contact's wins, the newcomer's link to it is
 * inbound and its JOIN would be lost, so the contact would never start the newcomer's FORWARD_JOIN walks and the
 * newcomer would have to find every other neighbour by low-priority requests, which full agents refuse. The newcomer
 * sends the JOIN over the contact's link once it is active, after its NEIGHBOR_REPLY, and the contact walks it.
 */
class AJoinThatCrossesTheContactsDialStillStartsTheWalks {

    private static final long S = 1_000_000_000L;

    private final LinkedCores net = new LinkedCores(1);

    @Test
    void theJoinGoesOverTheContactsLinkAndItsNeighbourGetsTheWalk() {
        OverlayCore contact = LinkedCores.core(1);
        OverlayCore neighbour = LinkedCores.core(2);
        OverlayCore newcomer = LinkedCores.core(3);
        long t = S;

        // the neighbour joins through the contact (link 1): the contact's active view is {neighbour}
        neighbour.join(t, contact.self());
        net.link(1, neighbour, contact, t);
        net.shuttle(t);
        assertThat(contact.activeView()).containsExactly(neighbour.self());

        // the newcomer joins through the contact, which hears of it and dials it at the same time
        newcomer.join(t, contact.self());
        assertThat(net.events(newcomer)).contains(new OverlayEvent.ConnectRequested(contact.self()));
        contact.addCandidates(t, List.of(newcomer.self()));
        contact.handleTimeout(t + 2 * S); // maintenance: a deficit, the newcomer is a candidate
        assertThat(net.events(contact)).contains(new OverlayEvent.ConnectRequested(newcomer.self()));
        t += 2 * S;

        // the edge kept the contact's dial (link 2): outbound at the contact, inbound at the newcomer, whose own
        // request is answered "refused"
        net.pair(2, contact, newcomer);
        contact.linkUp(t, 2, newcomer.self(), true);
        newcomer.linkUp(t, 2, contact.self(), false);
        newcomer.linkFailed(t, contact.self(), true);
        net.seenOnWatched.clear();
        net.shuttle(t);

        assertThat(contact.activeView()).contains(newcomer.self());
        assertThat(newcomer.activeView()).containsExactly(contact.self());
        // the contact sent the newcomer's walk to its other neighbour: FORWARD_JOIN (0x02), ttl, the newcomer's id
        byte[] newcomerId = new byte[16];
        newcomer.self().writeTo(ByteBuffer.wrap(newcomerId));
        assertThat(net.seenOnWatched).anySatisfy(f -> {
            assertThat(f[0]).isEqualTo((byte) 0x02);
            assertThat(java.util.Arrays.copyOfRange(f, 2, 18)).isEqualTo(newcomerId);
        });
        // the walk ended at the neighbour (its only other neighbour is the contact): it asks for the newcomer
        assertThat(net.events(neighbour)).contains(new OverlayEvent.ConnectRequested(newcomer.self()));
    }
}
