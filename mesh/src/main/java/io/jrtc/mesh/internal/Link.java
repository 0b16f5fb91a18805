package io.jrtc.mesh.internal;

import io.jrtc.mesh.AgentId;
import io.jrtc.mesh.ChannelClass;
import io.jrtc.mesh.internal.wire.IHaveFrame;
import io.jrtc.mesh.internal.wire.MessageId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/** One link as the core sees it: its remote agent, its role in the views, and its outgoing queues. */
final class Link {

    enum State {
        /** Inbound link up; waiting for the remote's JOIN or NEIGHBOR. */
        PENDING_IN,
        /** Outbound link up; our NEIGHBOR is sent, waiting for the reply. */
        AWAIT_REPLY,
        /** In the active view. */
        ACTIVE,
        /** Being closed: its queued frames (a DISCONNECT) drain first, then the edge is asked to close it. */
        CLOSING
    }

    /** A queued frame. {@code id} is set for envelopes, to report a drop. */
    record Queued(byte[] bytes, long enqueuedAt, MessageId id) {
    }

    final long id;
    final AgentId remote;
    final boolean outbound;
    final long createdAt;
    State state;
    long closingSince;
    @SuppressWarnings({"unchecked", "rawtypes"})
    final ArrayDeque<Queued>[] queues = new ArrayDeque[ChannelClass.values().length];
    final boolean[] blocked = new boolean[ChannelClass.values().length];
    /**
     * The edge rated this link LOW ({@link io.jrtc.mesh.quality.LinkMode}): it carries control frames and lazy ids
     * (IHAVE) but no eager payloads, and routes avoid it while another neighbour can carry the message.
     */
    boolean low;
    /** Inbound link from the contact this agent was joining through (the dials crossed): JOIN once it is active. */
    boolean joinWhenActive;
    /** Plumtree lazy push: ids (with the hops their payload would carry over this link) for one IHAVE at the next drain. */
    final List<IHaveFrame.Entry> pendingIHave = new ArrayList<>();
    /** Ids held back by {@code OverlayConfig.lazyFanout}: they join {@link #pendingIHave} at the next lazy flush. */
    final List<IHaveFrame.Entry> deferredIHave = new ArrayList<>();
    /** When {@link #deferredIHave} joins the next IHAVE: this link's own slot of the lazy flush. */
    long deferredFlushAt = Long.MAX_VALUE;

    Link(long id, AgentId remote, boolean outbound, long now, State state) {
        this.id = id;
        this.remote = remote;
        this.outbound = outbound;
        this.createdAt = now;
        this.state = state;
    }

    ArrayDeque<Queued> queue(ChannelClass c) {
        ArrayDeque<Queued> q = queues[c.ordinal()];
        if (q == null) {
            q = new ArrayDeque<>();
            queues[c.ordinal()] = q;
        }
        return q;
    }

    int queued(ChannelClass c) {
        ArrayDeque<Queued> q = queues[c.ordinal()];
        return q == null ? 0 : q.size();
    }

    boolean isEmpty() {
        if (!pendingIHave.isEmpty()) {
            return false;
        }
        for (ArrayDeque<Queued> q : queues) {
            if (q != null && !q.isEmpty()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "Link[" + id + " " + remote.shortString() + " " + state + "]";
    }
}
