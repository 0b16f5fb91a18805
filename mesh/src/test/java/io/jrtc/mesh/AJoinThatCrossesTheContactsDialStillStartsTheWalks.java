package io.jrtc.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

    /** Cores by name, and links as pairs of (core, core) under one link id at both ends. */
    private final Map<Long, OverlayCore[]> links = new java.util.HashMap<>();
    private final List<byte[]> seenOnLink1 = new ArrayList<>();

    @Test
    void theJoinGoesOverTheContactsLinkAndItsNeighbourGetsTheWalk() {
        OverlayCore contact = core(1);
        OverlayCore neighbour = core(2);
        OverlayCore newcomer = core(3);
        long t = S;

        // the neighbour joins through the contact (link 1): the contact's active view is {neighbour}
        neighbour.join(t, contact.self());
        link(1, neighbour, contact, t);
        shuttle(t);
        assertThat(contact.activeView()).containsExactly(neighbour.self());

        // the newcomer joins through the contact, which hears of it and dials it at the same time
        newcomer.join(t, contact.self());
        assertThat(events(newcomer)).contains(new OverlayEvent.ConnectRequested(contact.self()));
        contact.addCandidates(t, List.of(newcomer.self()));
        contact.handleTimeout(t + 2 * S); // maintenance: a deficit, the newcomer is a candidate
        assertThat(events(contact)).contains(new OverlayEvent.ConnectRequested(newcomer.self()));
        t += 2 * S;

        // the edge kept the contact's dial (link 2): outbound at the contact, inbound at the newcomer, whose own
        // request is answered "refused"
        links.put(2L, new OverlayCore[] {contact, newcomer});
        contact.linkUp(t, 2, newcomer.self(), true);
        newcomer.linkUp(t, 2, contact.self(), false);
        newcomer.linkFailed(t, contact.self(), true);
        seenOnLink1.clear();
        shuttle(t);

        assertThat(contact.activeView()).contains(newcomer.self());
        assertThat(newcomer.activeView()).containsExactly(contact.self());
        // the contact sent the newcomer's walk to its other neighbour: FORWARD_JOIN (0x02), ttl, the newcomer's id
        byte[] newcomerId = new byte[16];
        newcomer.self().writeTo(ByteBuffer.wrap(newcomerId));
        assertThat(seenOnLink1).anySatisfy(f -> {
            assertThat(f[0]).isEqualTo((byte) 0x02);
            assertThat(java.util.Arrays.copyOfRange(f, 2, 18)).isEqualTo(newcomerId);
        });
        // the walk ended at the neighbour (its only other neighbour is the contact): it asks for the newcomer
        assertThat(events(neighbour)).contains(new OverlayEvent.ConnectRequested(newcomer.self()));
    }

    private static OverlayCore core(long seed) {
        return new OverlayCore(OverlayConfig.builder().seed(seed).build(), Identity.generate(), new Ed25519Verifier());
    }

    private void link(long id, OverlayCore dialler, OverlayCore remote, long t) {
        links.put(id, new OverlayCore[] {dialler, remote});
        dialler.linkUp(t, id, remote.self(), true);
        remote.linkUp(t, id, dialler.self(), false);
    }

    /** Carries every frame to the other end of its link until no core has anything left to send. */
    private void shuttle(long t) {
        boolean any = true;
        while (any) {
            any = false;
            for (Map.Entry<Long, OverlayCore[]> e : links.entrySet()) {
                for (int side = 0; side < 2; side++) {
                    OverlayCore from = e.getValue()[side];
                    OverlayCore to = e.getValue()[1 - side];
                    List<Transmit> keep = new ArrayList<>();
                    Transmit x;
                    while ((x = from.nextTransmit()) != null) {
                        if (x.linkId() == e.getKey()) {
                            any = true;
                            if (e.getKey() == 1) {
                                seenOnLink1.add(x.bytes());
                            }
                            to.handleInput(t, x.linkId(), ByteBuffer.wrap(x.bytes()));
                        } else {
                            keep.add(x);
                        }
                    }
                    for (Transmit k : keep) {
                        OverlayCore[] pair = links.get(k.linkId());
                        if (pair != null) {
                            any = true;
                            if (k.linkId() == 1) {
                                seenOnLink1.add(k.bytes());
                            }
                            (pair[0] == from ? pair[1] : pair[0]).handleInput(t, k.linkId(), ByteBuffer.wrap(k.bytes()));
                        }
                    }
                }
            }
        }
    }

    private final Map<OverlayCore, List<OverlayEvent>> events = new java.util.IdentityHashMap<>();

    private List<OverlayEvent> events(OverlayCore c) {
        List<OverlayEvent> l = events.computeIfAbsent(c, k -> new ArrayList<>());
        OverlayEvent e;
        while ((e = c.nextEvent()) != null) {
            l.add(e);
        }
        return l;
    }
}
