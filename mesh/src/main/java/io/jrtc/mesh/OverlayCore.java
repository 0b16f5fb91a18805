package io.jrtc.mesh;

import io.jrtc.common.DatagramCore;
import io.jrtc.mesh.internal.Engine;
import io.jrtc.mesh.quality.LinkMode;
import io.jrtc.mesh.quality.LinkQuality;
import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The mesh overlay as a sans-IO core: membership (HyParView), the broadcast tree (Plumtree), unicast routing and
 * deduplication, over abstract links. Frames and time go in; frames to send per link and channel class, events
 * and the next timeout come out. The same core runs over PeerConnection data channels (a later edge) and over the
 * emulator in {@code io.jrtc.mesh.emu}.
 *
 * <p>The link edge's side of the contract:
 * <ul>
 *   <li>it opens a link when asked ({@link OverlayEvent.ConnectRequested}) and answers with {@link #linkUp} (outbound)
 *       or {@link #linkFailed}; it closes one when asked ({@link OverlayEvent.CloseRequested});</li>
 *   <li>before accepting an inbound link it asks {@link #admitLink}, so the links held never exceed
 *       {@link OverlayConfig#maxLinks}; an admitted link is reported with {@link #linkUp} (inbound);</li>
 *   <li>it reports a link that dies with {@link #linkDown}, bytes received with {@link #handleInput}, and per channel
 *       class whether it can take more ({@link #linkBackpressure});</li>
 *   <li>after any call it drains {@link #pollTransmit()} and {@link #pollEvent()} and calls {@link #handleTimeout} at
 *       {@link #pollTimeout()}.</li>
 * </ul>
 *
 * <p>Every received envelope is verified (signature, replay window) before the overlay acts on it; link-local
 * frames (membership, IHAVE/GRAFT/PRUNE) rely on the link's own authentication.
 *
 * <p>Single-threaded: every method is called from the one thread that drives this core (a link edge's event loop,
 * or the emulator's loop). It never reads a clock, blocks or starts a thread; time that goes backwards is ignored.
 * Malformed input never throws: it is counted and reported as a {@link OverlayEvent.Dropped}.
 */
public final class OverlayCore {

    private final Engine engine;

    public OverlayCore(OverlayConfig config, MeshSigner signer, MeshVerifier verifier) {
        this.engine = new Engine(config, signer, verifier);
    }

    /** This agent's id. */
    public AgentId self() {
        return engine.self();
    }

    /** Starts the periodic timers (maintenance, shuffle) from {@code now}. */
    public void start(long nowNanos) {
        engine.start(nowNanos);
    }

    /** Joins the overlay through {@code contact} (in production, an agent from the signaling presence list). */
    public void join(long nowNanos, AgentId contact) {
        engine.join(nowNanos, contact);
    }

    /** Adds known agents (for instance the presence list) to the passive view. */
    public void addCandidates(long nowNanos, Collection<AgentId> agents) {
        engine.addCandidates(nowNanos, agents);
    }

    /** Leaves gracefully: a DISCONNECT to every neighbour, then their links are closed. */
    public void leave(long nowNanos) {
        engine.leave(nowNanos);
    }

    /** May the edge accept an inbound link from {@code remote}? False when at the link maximum or already linked. */
    public boolean admitLink(long nowNanos, AgentId remote) {
        return engine.admitLink(nowNanos, remote);
    }

    /**
     * Whether the link this core asked for to {@code remote} ({@link OverlayEvent.ConnectRequested}) carries a
     * low-priority NEIGHBOR request, which the remote refuses when its active view is full. An edge that can say so
     * before building the link (the mesh edge marks its offer) lets the remote refuse cheaply.
     */
    public boolean lowPriorityDial(AgentId remote) {
        return engine.lowPriorityDial(remote);
    }

    /**
     * Free slots in the active view (degree minus neighbours; 0 or less when full): a low-priority NEIGHBOR request
     * arriving now would be refused when this is not positive.
     */
    public int activeRoom() {
        return engine.activeRoom();
    }

    /** Link {@code linkId} to {@code remote} is up; {@code outbound} when this agent asked for it. */
    public void linkUp(long nowNanos, long linkId, AgentId remote, boolean outbound) {
        engine.linkUp(nowNanos, linkId, remote, outbound);
    }

    /**
     * A requested link to {@code remote} could not be opened. {@code refused}: the remote is alive but declined
     * (no capacity); otherwise it is unreachable and goes to the retry list.
     */
    public void linkFailed(long nowNanos, AgentId remote, boolean refused) {
        engine.linkFailed(nowNanos, remote, refused);
    }

    /** Link {@code linkId} is gone (failure or remote close). Unknown ids are ignored. */
    public void linkDown(long nowNanos, long linkId) {
        engine.linkDown(nowNanos, linkId);
    }

    /** The edge's buffer for {@code channel} on the link is full ({@code blocked}) or drained again. */
    public void linkBackpressure(long nowNanos, long linkId, ChannelClass channel, boolean blocked) {
        engine.linkBackpressure(nowNanos, linkId, channel, blocked);
    }

    /**
     * The edge's quality tracker ({@link LinkQuality}) rated link {@code linkId} {@code mode}. A LOW link keeps
     * carrying control frames and lazy ids (IHAVE) and answers GRAFTs, but gets no eager broadcast payloads; grafts
     * and unicast routes prefer neighbours whose link is not LOW. HIGH and MEDIUM are treated alike. Links start
     * not LOW; unknown ids are ignored.
     */
    public void linkMode(long nowNanos, long linkId, LinkMode mode) {
        engine.linkMode(nowNanos, linkId, mode);
    }

    /**
     * One frame received on link {@code linkId}; the buffer is read during this call only. A PING is answered with a
     * PONG on the control class; a PONG is ignored (the edge hands PONGs to its {@link LinkQuality} instead).
     */
    public void handleInput(long nowNanos, long linkId, ByteBuffer frame) {
        engine.handleInput(nowNanos, linkId, frame);
    }

    /** The clock moved on. */
    public void handleTimeout(long nowNanos) {
        engine.handleTimeout(nowNanos);
    }

    /**
     * Broadcasts {@code payload} (at most 65,535 bytes) to every agent. Returns back-pressure instead of queueing
     * when a link queue is above its high-water mark.
     */
    public SendResult broadcast(long nowNanos, byte[] payload) {
        return engine.broadcast(nowNanos, payload, false);
    }

    /**
     * Broadcasts {@code payload} with the given delivery: {@link Delivery#UNRELIABLE} pushes it once along the
     * broadcast tree on the unreliable channel class (flag U, signed); a copy lost on a link is not repaired (no
     * IHAVE, no GRAFT, not kept for grafts), so some agents may never get it.
     */
    public SendResult broadcast(long nowNanos, byte[] payload, Delivery delivery) {
        return engine.broadcast(nowNanos, payload, delivery == Delivery.UNRELIABLE);
    }

    /**
     * Sends {@code payload} to one agent over as many hops as needed, discovering a route when none is cached. With
     * {@code ack}, an {@link OverlayEvent.Acked} or {@link OverlayEvent.AckTimedOut} follows.
     */
    public SendResult send(long nowNanos, AgentId destination, byte[] payload, boolean ack) {
        return engine.send(nowNanos, destination, payload, ack, false);
    }

    /** Like {@link #send}; {@link Delivery#UNRELIABLE} routes it on the unreliable class at every hop (flag U). */
    public SendResult send(long nowNanos, AgentId destination, byte[] payload, boolean ack, Delivery delivery) {
        return engine.send(nowNanos, destination, payload, ack, delivery == Delivery.UNRELIABLE);
    }

    /**
     * Sends one chunk of a bulk transfer (kind BULK, bulk class, see the README's "Bulk transfers"): the caller cuts
     * the data into chunks of at most {@link io.jrtc.mesh.internal.wire.BulkChunk#CHUNK_BYTES}, numbered from 0 under
     * one transfer id, the last flagged. {@code BACKPRESSURE}: nothing queued, send it again after
     * {@link OverlayEvent.Writable}. The last chunk's sequence is acknowledged ({@link OverlayEvent.Acked}) once the
     * destination reassembled the transfer.
     */
    public SendResult sendBulkChunk(long nowNanos, AgentId destination, long transfer, int index, boolean last,
                                    byte[] data) {
        return engine.sendBulkChunk(nowNanos, destination,
                new io.jrtc.mesh.internal.wire.BulkChunk(transfer, index, last, data));
    }

    /**
     * Publishes an operator's {@link Revocation}: applied here (see {@link OverlayEvent.Revoked}) and broadcast in a
     * REVOCATION envelope. {@code NOT_CONNECTED}: applied here only. Throws {@code IllegalArgumentException} unless it
     * is signed by one of {@link OverlayConfig#operatorKeys}.
     */
    public SendResult publishRevocation(long nowNanos, Revocation revocation) {
        return engine.publishRevocation(nowNanos, revocation);
    }

    /** Applies a revocation known beforehand (configured or persisted) without sending it; false when refused. */
    public boolean revoke(long nowNanos, Revocation revocation) {
        return engine.revoke(nowNanos, revocation);
    }

    /** Whether {@code agent}'s key was revoked (it is refused everywhere here). */
    public boolean isRevoked(AgentId agent) {
        return engine.isRevoked(agent);
    }

    /** The revoked agents, in the order their revocations arrived. */
    public List<AgentId> revoked() {
        return engine.revoked();
    }

    public Optional<Transmit> pollTransmit() {
        return Optional.ofNullable(engine.pollTransmit());
    }

    /** Like {@link #pollTransmit()} without the Optional, for hot loops: null when nothing is queued. */
    public Transmit nextTransmit() {
        return engine.pollTransmit();
    }

    public Optional<OverlayEvent> pollEvent() {
        return Optional.ofNullable(engine.pollEvent());
    }

    /** Like {@link #pollEvent()} without the Optional: null when none. */
    public OverlayEvent nextEvent() {
        return engine.pollEvent();
    }

    /** When to call {@link #handleTimeout} next, or {@link DatagramCore#NO_TIMEOUT}. */
    public long pollTimeout() {
        return engine.pollTimeout();
    }

    public List<AgentId> activeView() {
        return engine.activeView();
    }

    public List<AgentId> passiveView() {
        return engine.passiveView();
    }

    /** Agents whose link failed, probed with backoff (this is what re-merges a partition). */
    public List<AgentId> retryList() {
        return engine.retryList();
    }

    /** Links held plus links being opened; never above {@link OverlayConfig#maxLinks}. */
    public int linkBudgetUsed() {
        return engine.linkBudgetUsed();
    }

    public OverlayStats stats() {
        return engine.stats();
    }
}
