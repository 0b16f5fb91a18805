package io.jrtc.mesh;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Overlay cores joined by hand, for tests that script links frame by frame: each link id names a pair of cores (the
 * same id at both ends), {@link #shuttle} carries what the cores send until none has anything left, and the frames
 * crossing one watched link are kept. No clock of its own: the caller passes the time.
 */
final class LinkedCores {

    private final Map<Long, OverlayCore[]> links = new HashMap<>();
    private final Map<OverlayCore, List<OverlayEvent>> events = new IdentityHashMap<>();
    private final long watched;
    /** The frames that crossed the watched link, either way, in order. */
    final List<byte[]> seenOnWatched = new ArrayList<>();

    /** {@code watched}: the link whose frames {@link #seenOnWatched} keeps (-1: none). */
    LinkedCores(long watched) {
        this.watched = watched;
    }

    /** A core with a new identity and the default configuration but for {@code seed}. */
    static OverlayCore core(long seed) {
        return core(seed, Identity.generate());
    }

    /** A core of {@code identity}: a second one of the same identity is that agent restarted. */
    static OverlayCore core(long seed, Identity identity) {
        return new OverlayCore(OverlayConfig.builder().seed(seed).build(), identity, new Ed25519Verifier());
    }

    /** Link {@code id} joins the two cores; nothing is reported to either. */
    void pair(long id, OverlayCore a, OverlayCore b) {
        links.put(id, new OverlayCore[] {a, b});
    }

    /** Link {@code id} from {@code dialler} to {@code remote} comes up at both ends. */
    void link(long id, OverlayCore dialler, OverlayCore remote, long t) {
        pair(id, dialler, remote);
        dialler.linkUp(t, id, remote.self(), true);
        remote.linkUp(t, id, dialler.self(), false);
    }

    /** Carries every frame to the other end of its link until no core has anything left to send. */
    void shuttle(long t) {
        boolean any = true;
        while (any) {
            any = false;
            for (OverlayCore[] pair : new ArrayList<>(links.values())) {
                for (OverlayCore from : pair) {
                    Transmit x;
                    while ((x = from.nextTransmit()) != null) {
                        OverlayCore[] to = links.get(x.linkId());
                        if (to == null) {
                            continue;
                        }
                        any = true;
                        if (x.linkId() == watched) {
                            seenOnWatched.add(x.bytes());
                        }
                        (to[0] == from ? to[1] : to[0]).handleInput(t, x.linkId(), ByteBuffer.wrap(x.bytes()));
                    }
                }
            }
        }
    }

    /** Every event {@code c} has reported so far, in order (those not yet polled are polled now). */
    List<OverlayEvent> events(OverlayCore c) {
        List<OverlayEvent> l = events.computeIfAbsent(c, k -> new ArrayList<>());
        OverlayEvent e;
        while ((e = c.nextEvent()) != null) {
            l.add(e);
        }
        return l;
    }
}
