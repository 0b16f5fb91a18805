package io.jrtc.mesh.internal.edge;

import io.jrtc.datachannel.DataChannel;
import io.jrtc.datachannel.DataChannelInit;
import io.jrtc.datachannel.DataChannelPriority;
import io.jrtc.datachannel.DataChannelState;
import io.jrtc.mesh.AgentId;
import io.jrtc.mesh.ChannelClass;
import io.jrtc.mesh.LinkRecovery;
import io.jrtc.peer.PeerConnection;
import io.jrtc.peer.RtcIceCandidate;
import io.jrtc.peer.RtcPeerConnectionState;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One link of a mesh agent: a PeerConnection to one remote agent with four pre-negotiated data channels, one per
 * {@link ChannelClass}. Fields marked "agent loop" belong to the agent's event loop (the {@link MeshEdge}); those
 * marked "pc loop" to the connection's; every data-channel callback copies what it needs and hops to the agent loop.
 */
final class EdgeLink {

    /** RECOVERING: was up, its connection failed; the core keeps its link id (blocked) while it is repaired. */
    enum State { OFFERING, ANSWERING, HELLO, UP, RECOVERING, CLOSED }

    /** Data-channel stream ids, pre-negotiated ({@code negotiated:true}): no DCEP round trip. */
    static final int[] STREAM_IDS = {0, 1, 2, 3};
    static final String[] LABELS = {"mesh-control", "mesh-reliable", "mesh-unreliable", "mesh-bulk"};
    /** Frames received before the link is up (HELLO checked), kept in order, at most this many. */
    static final int MAX_EARLY_FRAMES = 64;
    /** ... for a connection that replaces one the core knows (a rebuild or a certificate rotation): the remote may
     * already send on it at full rate. */
    static final int MAX_EARLY_FRAMES_REPLACING = 2048;
    /** Received frames waiting for the agent loop above which a channel's inbound side is paused (SCTP window). */
    static final int INBOUND_HIGH = 512;
    static final int INBOUND_LOW = 128;

    final MeshEdge edge;
    final AgentId remote;
    final String signalingId;
    final long id;
    /** This side sent the offer. */
    final boolean offerer;
    final PeerConnection pc;

    // ---- agent loop
    State state;
    /** The core waits for linkUp(outbound)/linkFailed for this agent. */
    boolean requested;
    /** Offerer: the answer was applied; candidates from the remote are taken only after it. */
    boolean answered;
    boolean descriptionSent;
    final List<RtcIceCandidate> heldCandidates = new ArrayList<>();
    /** The remote's SHA-256 certificate fingerprint, from the description DTLS checks the certificate against. */
    byte[] remoteFingerprint;
    byte[] ownFingerprint;
    int channelsOpen;
    long upAt;
    boolean helloSent;
    boolean helloOk;
    final ArrayDeque<Object[]> early = new ArrayDeque<>();
    ScheduledFuture<?> setupTimer;
    /**
     * The path of this connection: RELAY when it was made relay-only (TURN candidates only). A race connection's, and
     * an answerer's, is learnt from the selected candidate pair when the connection is up (relayed when either end of
     * the pair is a relay candidate).
     */
    LinkRecovery.Path path = LinkRecovery.Path.DIRECT;
    /**
     * Offerer, {@code RACE} strategy: this one connection races the direct and relayed paths. It gathers every
     * candidate type, TURN included (and marks its offer as a relay attempt, so the answerer does too); ICE checks
     * all the pairs at once and nominates the best that works: a direct pair over a relayed one.
     */
    boolean race;
    /** The core already has this link id up (a rebuilt connection replacing a failed one): unblock, no linkUp. */
    boolean coreKnown;
    /** The {@code o=} session id of the remote's description: an offer with the same one is an ICE restart. */
    String remoteSession;
    /** Offerer: an ICE restart offer was sent; its answer is taken. */
    boolean restarting;
    /** DTLS refused the remote's certificate for its dates, and it was audited. */
    boolean certificateRefused;
    /** Offered for a low-priority NEIGHBOR request (the offer says so; the answerer counts such links being set up). */
    boolean lowPriority;
    /** An outbound set-up counted in the factory's {@link SetupBudget} until it is up or gone. */
    private boolean budgeted;

    // ---- pc loop
    private final DataChannel[] channels = new DataChannel[4];
    private final boolean[] blocked = new boolean[4];
    /** Classes whose inbound side the core asked to hold (bulk forwarding back-pressure): resumeAll leaves them. */
    private final boolean[] held = new boolean[4];
    private boolean closedOnPc;

    // ---- any thread
    /** Bulk bytes handed to the pc loop and not yet given to the channel (the hop the pc loop's check cannot see). */
    final java.util.concurrent.atomic.AtomicLong bulkInFlight = new java.util.concurrent.atomic.AtomicLong();
    /** The agent loop blocked the core's bulk class because of {@link #bulkInFlight}; the pc loop lifts it. */
    final AtomicBoolean bulkHeldByAgent = new AtomicBoolean();
    /** The bulk channel's {@code bufferedAmount} when the pc loop last sent on it or was told it fell low. */
    final java.util.concurrent.atomic.AtomicLong bulkBuffered = new java.util.concurrent.atomic.AtomicLong();
    final AtomicInteger inboundPending = new AtomicInteger();
    final AtomicBoolean inboundPaused = new AtomicBoolean();

    EdgeLink(MeshEdge edge, AgentId remote, String signalingId, long id, boolean offerer, PeerConnection pc) {
        this.edge = edge;
        this.remote = remote;
        this.signalingId = signalingId;
        this.id = id;
        this.offerer = offerer;
        this.pc = pc;
        this.state = offerer ? State.OFFERING : State.ANSWERING;
        edge.connections.add(this);
        pcClosed.whenComplete((v, e) -> edge.connections.remove(this));
    }

    static DataChannelInit init(ChannelClass c) {
        DataChannelInit.Builder b = DataChannelInit.builder().negotiated(STREAM_IDS[c.ordinal()]);
        return switch (c) {
            case CONTROL -> b.ordered(true).priority(DataChannelPriority.HIGH).build();
            case RELIABLE -> b.ordered(true).priority(DataChannelPriority.MEDIUM).build();
            case UNRELIABLE -> b.ordered(false).maxRetransmits(0).priority(DataChannelPriority.MEDIUM).build();
            case BULK -> b.ordered(true).priority(DataChannelPriority.VERY_LOW).build();
        };
    }

    /** Pc loop: the path of the selected candidate pair (RELAY when either end is a relay candidate), or null. */
    private LinkRecovery.Path selectedPath() {
        return pc.selectedCandidatePair().map(p -> p.local().type() == io.jrtc.ice.IceCandidateType.RELAY
                || p.remote().type() == io.jrtc.ice.IceCandidateType.RELAY ? LinkRecovery.Path.RELAY : LinkRecovery.Path.DIRECT)
                .orElse(null);
    }

    /** Pc loop: the connection's listeners and the four channels. */
    void wireOnPcLoop(long lowWater) {
        pc.onIceCandidate(c -> edge.callback(this, "local candidate", () -> edge.negotiation().localCandidate(this, c)));
        pc.onConnectionStateChange(s -> {
            if (s == RtcPeerConnectionState.FAILED) {
                edge.callback(this, "connection failed", () -> edge.connectionFailed(this));
            } else if (s == RtcPeerConnectionState.CLOSED) {
                edge.callback(this, "connection closed", () -> edge.linkGone(this, "connection closed", false));
            } else if (s == RtcPeerConnectionState.CONNECTED) {
                LinkRecovery.Path selected = selectedPath(); // on the connection's loop: no blocking call
                edge.callback(this, "connection connected", () -> {
                    if (selected != null && (race || !offerer)) {
                        path = selected;
                    }
                    edge.connectionConnected(this);
                });
            }
        });
        for (ChannelClass c : ChannelClass.values()) {
            DataChannel ch = pc.createDataChannel(LABELS[c.ordinal()], init(c));
            channels[c.ordinal()] = ch;
            ch.setBufferedAmountLowThreshold(lowWater);
            ch.onOpen(() -> edge.callback(this, "channel open", () -> edge.channelOpen(this, c)));
            ch.onMessage(m -> {
                byte[] bytes = m.toByteArray(); // one copy, straight from the fragments
                if (inboundPending.incrementAndGet() > INBOUND_HIGH && inboundPaused.compareAndSet(false, true)) {
                    pauseAll();
                }
                edge.callback(this, "frame received", () -> edge.frameReceived(this, c, bytes));
            });
            ch.onBufferedAmountLow(() -> {
                if (c == ChannelClass.BULK) {
                    bulkBuffered.set(ch.bufferedAmount());
                }
                if (c == ChannelClass.BULK && blocked[c.ordinal()]) {
                    bulkHeldByAgent.set(false); // the unblock below lifts the agent loop's hold too
                }
                if (blocked[c.ordinal()]) {
                    blocked[c.ordinal()] = false;
                    edge.callback(this, "channel writable", () -> edge.backpressure(this, c, false));
                }
            });
            ch.onClose(() -> edge.callback(this, "channel closed",
                    () -> edge.linkGone(this, "data channel " + LABELS[c.ordinal()] + " closed", false)));
        }
    }

    /**
     * Agent loop: sends {@code bytes} on the channel of class {@code c} (hops to the pc loop). Returns true when the
     * bulk class must be blocked at once: the bulk bytes still on their way to the pc loop are above the high-water
     * mark (a forwarder takes chunks from upstream faster than the pc loop's own check reaches the core).
     */
    boolean send(ChannelClass c, byte[] bytes, long highWater) {
        // The level is what is on its way to the pc loop plus what the bulk channel had buffered when the pc loop last
        // looked: the pc loop's own "above the mark" notice reaches this loop only after its current drain, and a
        // relay draining a full queue handed the whole queue over before it (2 MiB into a 1 MiB send buffer: chunks
        // refused, the transfer never acknowledged). Blocks on every send above the mark, not only the first: an
        // unblock sent by the pc loop before this hold began may arrive after it.
        boolean block = c == ChannelClass.BULK && bulkInFlight.addAndGet(bytes.length) + bulkBuffered.get() > highWater;
        if (block) {
            bulkHeldByAgent.set(true);
        }
        onPc("a frame to send", () -> sendOnPcLoop(c, bytes, highWater));
        return block;
    }

    private void sendOnPcLoop(ChannelClass c, byte[] bytes, long highWater) {
        if (c == ChannelClass.BULK && bulkInFlight.addAndGet(-bytes.length) == 0 && !blocked[c.ordinal()]
                && bulkHeldByAgent.compareAndSet(true, false)) {
            edge.callback(this, "bulk unblocked", () -> edge.backpressure(this, c, false)); // held back, now arrived
        }
        if (closedOnPc) {
            edge.callback(this, "send failed", () -> edge.sendFailed(this, c, "link closed"));
            return;
        }
        DataChannel ch = channels[c.ordinal()];
        if (ch == null || ch.readyState() != DataChannelState.OPEN) {
            edge.callback(this, "send failed", () -> edge.sendFailed(this, c, "channel not open"));
            return;
        }
        try {
            ch.send(bytes);
        } catch (RuntimeException e) {
            // send buffer full (RtcLimits.maxBufferedBytes) or closing: counted and reported, never silent
            String why = e.toString();
            edge.callback(this, "send failed", () -> edge.sendFailed(this, c, why));
            return;
        }
        if (c == ChannelClass.BULK) {
            bulkBuffered.set(ch.bufferedAmount());
        }
        if (!blocked[c.ordinal()] && ch.bufferedAmount() > highWater) {
            blocked[c.ordinal()] = true;
            edge.callback(this, "channel blocked", () -> edge.backpressure(this, c, true));
        }
    }

    /** Agent loop: the agent loop consumed a received frame; resumes paused channels below the low mark. */
    void consumed() {
        if (inboundPending.decrementAndGet() < INBOUND_LOW && inboundPaused.compareAndSet(true, false)) {
            onPc("resuming the channels", this::resumeAll);
        }
    }

    private void pauseAll() {
        for (DataChannel ch : channels) {
            if (ch != null && ch.readyState() == DataChannelState.OPEN) {
                ch.pause();
            }
        }
    }

    private void resumeAll() {
        for (int i = 0; i < channels.length; i++) {
            DataChannel ch = channels[i];
            if (ch != null && ch.isPaused() && !held[i]) {
                ch.resume();
            }
        }
    }

    /**
     * Agent loop: stops ({@code hold}) or restarts reading the channel of class {@code c}: its messages then wait in
     * SCTP's receive buffer, charged against the window, so the remote's sender stops (bounded by the window).
     */
    void holdInbound(ChannelClass c, boolean hold) {
        onPc("holding a channel", () -> {
            held[c.ordinal()] = hold;
            DataChannel ch = channels[c.ordinal()];
            if (ch == null || closedOnPc) {
                return;
            }
            if (hold) {
                ch.pause();
            } else if (!inboundPaused.get()) {
                ch.resume();
            }
        });
    }

    /**
     * Agent loop: closes the connection once what was sent on it has left (every channel's {@code bufferedAmount} is
     * 0, checked every 20 ms, at most {@code graceNanos}), so that a DISCONNECT queued just before is not discarded
     * by the SCTP ABORT of the close. Never waits. The future ({@link #pcClosed}) completes when the connection is
     * closed: an owner that then shuts the loops down must wait for it (a loop shut down first drops the scheduled
     * retry, and the connection would never close: the peer would learn of it only by consent expiry).
     */
    CompletableFuture<Void> closeAfterFlush(long graceNanos) {
        closeRequested = true;
        if (setupTimer != null) {
            setupTimer.cancel(false);
        }
        long deadline = System.nanoTime() + graceNanos;
        if (!onPc("closing after the flush", () -> flushThenClose(deadline))) {
            pcClosed.complete(null); // the connection's loop is gone, and its sockets with it
        }
        return pcClosed;
    }

    /** Completes (on the pc loop) when the connection is closed; from then on it sends no callback. */
    final CompletableFuture<Void> pcClosed = new CompletableFuture<>();
    /** Agent loop: {@link #close} or {@link #closeAfterFlush} was called: the connection is closing or closed. */
    boolean closeRequested;

    private void flushThenClose(long deadline) {
        if (closedOnPc) {
            pcClosed.complete(null);
            return;
        }
        boolean pending = false;
        for (DataChannel ch : channels) {
            if (ch != null && ch.readyState() == DataChannelState.OPEN && ch.bufferedAmount() > 0) {
                pending = true;
            }
        }
        if (!pending || System.nanoTime() >= deadline || pc.eventLoop().isShuttingDown()) {
            // (a loop shutting down would drop the retry below: close now)
            closedOnPc = true;
            pc.close();
            pcClosed.complete(null);
            return;
        }
        pc.eventLoop().schedule(() -> flushThenClose(deadline), 20, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** Agent loop: counts this set-up in the factory's {@link SetupBudget} (once). */
    void takeBudget() {
        if (!budgeted) {
            budgeted = true;
            edge.setupBudget.acquire();
        }
    }

    /** The set-up is over (up, or the link gone): its slot in the shared budget is free. Idempotent. */
    void releaseBudget() {
        if (budgeted) {
            budgeted = false;
            edge.setupBudget.release();
        }
    }

    /** Agent loop: closes the connection on its loop at once (never waits); the future is {@link #pcClosed}. */
    CompletableFuture<Void> close() {
        closeRequested = true;
        if (setupTimer != null) {
            setupTimer.cancel(false);
        }
        boolean queued = onPc("closing", () -> {
            if (!closedOnPc) {
                closedOnPc = true;
                pc.close();
            }
            pcClosed.complete(null);
        });
        if (!queued) {
            pcClosed.complete(null); // the connection's loop is gone, and its sockets with it
        }
        return pcClosed;
    }

    /**
     * Runs {@code task} on the connection's loop. A loop that has shut down (its factory was closed) refuses it: the
     * task is dropped, counted and logged once by the edge ({@link MeshEdge#handOff}); returns false then.
     */
    boolean onPc(String what, Runnable task) {
        return edge.handOff(pc.eventLoop(), () -> pc.execute(task), what, this,
                "the connection's event loop has shut down");
    }

    /** How many frames may wait for this connection to be up. */
    int earlyLimit() {
        return coreKnown ? MAX_EARLY_FRAMES_REPLACING : MAX_EARLY_FRAMES;
    }

    @Override
    public String toString() {
        return "link " + id + " to " + remote.shortString() + " (" + state + (offerer ? ", offerer" : ", answerer") + ")";
    }
}
