package io.jrtc.mesh.emu;

import java.time.Duration;

/**
 * How the PeerConnection edge paces link set-ups, modelled on the virtual clock (mesh README, "How a link is made",
 * step 2): when many agents share few cores, each set-up takes seconds and waits for its turn, and a request that
 * waited too long is answered "refused" without the remote ever seeing it. Without this the emulator builds every
 * requested link 200 ms later, and an overlay that the real run leaves with stragglers forms cleanly.
 *
 * @param slots       set-ups in flight at once across all agents (the shared {@code SetupBudget}: 16 per core)
 * @param perAgent    outbound set-ups in flight at once per agent (the edge's {@code DialQueue}: 4)
 * @param waitNanos   a request still waiting for a turn after this long is answered "refused" (the edge: half the
 *                    core's connect timeout)
 * @param askFirst    when its turn comes, a low-priority request is first put to the remote (one round trip, holding
 *                    no slot), which refuses it when its active view has no free slot, as the edge's ask does; an
 *                    agent with room lets it wait for a turn again and be built. Without it the link is built and
 *                    then refused by the core's NEIGHBOR_REPLY
 */
public record SetupPacing(int slots, int perAgent, long waitNanos, boolean askFirst) {

    public SetupPacing {
        if (slots < 1 || perAgent < 1 || waitNanos < 0) {
            throw new IllegalArgumentException("bad set-up pacing: slots " + slots + ", per agent " + perAgent
                    + ", wait " + waitNanos + " ns");
        }
    }

    /** As the edge paces a one-JVM run on a 2-core machine: 32 set-ups at once, 4 per agent, 5 s wait, asks. */
    public static SetupPacing twoCores() {
        return new SetupPacing(32, 4, Duration.ofSeconds(5).toNanos(), true);
    }
}
