package io.jrtc.mesh;

import io.jrtc.mesh.internal.edge.MeshEdge;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * One agent of the mesh over real PeerConnections: it registers with the signaling server under its agent id, finds
 * other agents through presence, and keeps the links its {@link OverlayCore} asks for, each a PeerConnection with four
 * pre-negotiated data channels (control, reliable, unreliable, bulk) whose DTLS session is bound to the remote's
 * Ed25519 key by a signed HELLO (see the module README, "The PeerConnection edge").
 *
 * <pre>{@code
 * MeshAgent agent = new MeshAgent(MeshConfig.builder(Identity.loadOrCreate(keyFile), URI.create("ws://host:8080/ws"))
 *         .degree(8).factory(sharedFactory).build());
 * agent.onMessage(m -> log.info("{} ({} hops): {}", m.origin(), m.hops(), new String(m.payload(), UTF_8)));
 * agent.start().get(10, SECONDS);
 * agent.broadcast("hello".getBytes(UTF_8));
 * }</pre>
 *
 * <p><b>Links.</b> Each link's {@link LinkRecovery} opens it (direct, then relay-only through the TURN servers
 * signaling hands out when direct is not up within {@link MeshConfig#recovery()}'s direct timeout), repairs it (ICE
 * restart, then rebuilds with backoff; the overlay keeps the link meanwhile) or gives it up; its
 * {@link io.jrtc.mesh.quality.LinkQuality} rates it every quality interval (PING/PONG, {@code getStats}) into
 * HIGH/MEDIUM/LOW for the overlay. Fallbacks, recoveries and mode changes are {@link MeshEvent}s and audit entries;
 * after each quality round the links go to signaling as a link report, and a fresh reading to the metrics.
 *
 * <p><b>Threads.</b> Each agent runs its overlay core on one event loop of its {@code PeerConnectionFactory}'s group,
 * the <em>agent loop</em>; its links' connections run on loops of the same group, so a thousand agents on one shared
 * factory add no platform thread. Every callback runs on the agent loop: {@link #onMessage} listeners,
 * {@link #onEvent} listeners, and the completion of the futures of {@link #start()}, {@link #sendWithAck} and
 * {@link #checkNat()}.
 * Callbacks must not block; they may call this agent's methods (which then run at once). The public methods may be
 * called from any thread: from elsewhere they hop onto the agent loop and wait for it (it never blocks itself, so the
 * wait is short).
 */
public final class MeshAgent implements AutoCloseable {

    private final MeshConfig config;
    private final MeshEdge edge;

    public MeshAgent(MeshConfig config) {
        this.config = config;
        this.edge = new MeshEdge(config);
    }

    /** This agent's id (derived from its key). */
    public AgentId id() {
        return edge.self();
    }

    /** The id it registers with at the signaling server. */
    public String signalingId() {
        return config.signalingId();
    }

    public MeshConfig config() {
        return config;
    }

    /**
     * Starts the overlay core and registers with signaling; completes (on the agent loop) with the first registration.
     * Links form from then on: watch {@link #neighbours()} or {@link MeshEvent.NeighbourUp}. While the server cannot be
     * reached the client keeps trying: bound the wait with {@code orTimeout}.
     */
    public CompletableFuture<Void> start() {
        if (config.metricsAddress() != null) {
            try {
                edge.startMetrics(config.metricsAddress());
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        return edge.start();
    }

    /** Sets the listener of delivered messages (broadcasts and unicasts addressed here); called on the agent loop. */
    public MeshAgent onMessage(Consumer<MeshMessage> listener) {
        edge.onMessage(listener);
        return this;
    }

    /** Sets the listener of link and mesh events; called on the agent loop. */
    public MeshAgent onEvent(Consumer<MeshEvent> listener) {
        edge.onEvent(listener);
        return this;
    }

    /**
     * Broadcasts {@code payload} (at most 65,535 bytes) to every agent. {@link SendResult.Status#BACKPRESSURE} means
     * nothing was queued: retry after {@link MeshEvent.Writable}.
     */
    public SendResult broadcast(byte[] payload) {
        return edge.broadcast(payload, Delivery.RELIABLE);
    }

    /**
     * Broadcasts {@code payload} (at most 65,535 bytes) with the given delivery. {@link Delivery#UNRELIABLE}: pushed
     * once along the broadcast tree on each link's unreliable channel ({@code maxRetransmits=0}); a copy lost on a
     * link is neither retransmitted nor repaired, so some agents may not get it. Receivers see
     * {@link MeshMessage#channel()} UNRELIABLE.
     */
    public SendResult broadcast(byte[] payload, Delivery delivery) {
        return edge.broadcast(payload, delivery);
    }

    /** Sends {@code payload} to {@code agent} over as many hops as needed (route discovery when none is cached). */
    public SendResult send(AgentId agent, byte[] payload) {
        return edge.send(agent, payload, Delivery.RELIABLE);
    }

    /** Like {@link #send(AgentId, byte[])}; {@link Delivery#UNRELIABLE} goes on the unreliable channel at every hop. */
    public SendResult send(AgentId agent, byte[] payload, Delivery delivery) {
        return edge.send(agent, payload, delivery);
    }

    /**
     * Sends {@code data} to {@code agent} as one bulk transfer: chunks of 32 KiB, each a signed envelope on the links'
     * bulk channels, with back-pressure at every hop; the receiver reassembles them and delivers one
     * {@link MeshMessage} (channel BULK, sequence = the transfer id). The future completes on the agent loop with the
     * transfer id once {@code agent} acknowledged the whole; it fails with an {@code IllegalArgumentException} above
     * {@link OverlayConfig#maxBulkBytes}, an {@code IllegalStateException} when not connected, or a
     * {@code TimeoutException} when no acknowledgement came (the receiver refused it: too large, a chunk lost). All or
     * nothing; retrying is the caller's choice.
     */
    public CompletableFuture<Long> sendBulk(AgentId agent, byte[] data) {
        if (data.length > config.overlay().maxBulkBytes) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("bulk transfer of " + data.length
                    + " bytes, at most " + config.overlay().maxBulkBytes));
        }
        return sendBulk(agent, java.nio.channels.Channels.newChannel(new java.io.ByteArrayInputStream(data)));
    }

    /**
     * Like {@link #sendBulk(AgentId, byte[])}, reading {@code source} (a blocking channel; closed at the end) on a
     * virtual thread of its own, one chunk ahead of what the mesh takes: the source is read no faster than the
     * first hop drains. A read error fails the future.
     */
    public CompletableFuture<Long> sendBulk(AgentId agent, java.nio.channels.ReadableByteChannel source) {
        return edge.sendBulk(agent, source);
    }

    /**
     * Like {@link #send} with an end-to-end acknowledgement: the future completes (on the agent loop) with the
     * message's sequence number when {@code agent} acknowledged it, or fails with a {@code TimeoutException} after the
     * overlay's acknowledgement timeout, or at once with an {@code IllegalStateException} naming the
     * {@link SendResult.Status} when the message was not taken. Retrying is the caller's choice.
     */
    public CompletableFuture<Long> sendWithAck(AgentId agent, byte[] payload) {
        return edge.sendWithAck(agent, payload);
    }

    /**
     * Publishes an operator's {@link Revocation} (see {@link Revocation#sign}): applied here at once and spread to
     * every agent, which drops the revoked agent's messages and links, refuses it from then on and, if it was a
     * neighbour, re-keys its other links. {@code NOT_CONNECTED}: applied here only. Throws
     * {@code IllegalArgumentException} unless signed by an operator key of {@link MeshConfig#overlay()}.
     */
    public SendResult publishRevocation(Revocation revocation) {
        return edge.publishRevocation(revocation);
    }

    /** The agents whose keys were revoked, in the order the revocations arrived. */
    public List<AgentId> revoked() {
        return edge.revoked();
    }

    /** Links re-keyed after revocations of neighbours: {completed, failed, waiting or in progress}. */
    public long[] rekeys() {
        return edge.rekeys();
    }

    /**
     * DTLS certificate rotation (see {@link CertificatePolicy}): {certificates made since start, links moved onto a
     * new certificate by this agent, moves that failed (the old connection stayed), neighbours' certificates refused
     * for their dates, links still on an older certificate or being moved}.
     */
    public long[] certificateRotations() {
        return edge.rotations();
    }

    /** The DTLS certificate this agent's new connections use (it changes at each rotation). */
    public io.jrtc.dtls.DtlsCertificate certificate() {
        return edge.certificate();
    }

    /** The overlay's active view: the agents this one has links with and uses. */
    public List<AgentId> neighbours() {
        return edge.neighbours();
    }

    /**
     * The mesh agents the signaling server lists as present (the candidates this agent may link with), each with the
     * id it registered under ({@code name.hex} or the hex alone). A snapshot. Entries whose signed presence fails a
     * check are left out; the signatures of entries not used yet are checked by this call (an agent checks them
     * lazily: before its first dial to the agent, or here).
     */
    public java.util.Map<AgentId, String> presentAgents() {
        return edge.presentAgents();
    }

    /**
     * This agent's NAT behaviour (RFC 5780) as its last discovery found it ({@link MeshConfig#natCheck()}; the first
     * runs once the agent has registered): empty until a discovery has ended, or when it is off or had no server.
     */
    public java.util.Optional<io.jrtc.ice.nat.NatBehaviorResult> natBehavior() {
        return edge.natBehavior();
    }

    /**
     * Runs the NAT behaviour discovery again now (or returns the one running), for instance after a network change.
     * The future completes on the agent loop with the result (also when the server did not answer: see its
     * {@code status}); it fails with an {@code IllegalStateException} when the check is off, there is no server to
     * check against, its socket cannot be bound, or the agent closes first. A {@link MeshEvent.NatDiscovered} event
     * and an audit entry report it as well.
     */
    public CompletableFuture<io.jrtc.ice.nat.NatBehaviorResult> checkNat() {
        return edge.checkNat();
    }

    /** Links held plus links being opened or answered; never above {@link OverlayConfig#maxLinks}. */
    public int linkBudgetUsed() {
        return edge.linkBudgetUsed();
    }

    public MeshStats stats() {
        return edge.stats();
    }

    /**
     * This agent's meters ({@code jrtc_mesh_*}, see {@link io.jrtc.mesh.metrics.MeshMetrics}): bind them to any
     * Micrometer registry, or let {@link #startMetrics} serve them. The agent records broadcast and unicast latency
     * itself, from the origination time every envelope carries.
     */
    public io.jrtc.mesh.metrics.MeshMetrics metrics() {
        return edge.metrics();
    }

    /**
     * Serves Prometheus {@code GET /metrics} for this agent at {@code address} (port 0: any free port) on a thread of
     * its own; returns the bound address (the same on a second call). Before each scrape the agent loop publishes a
     * fresh reading. Started by {@link #start()} when {@link MeshConfig#metricsAddress()} is set; stopped by
     * {@link #close()}.
     */
    public java.net.InetSocketAddress startMetrics(java.net.InetSocketAddress address) {
        return edge.startMetrics(address);
    }

    /**
     * Leaves gracefully (a DISCONNECT to every neighbour), then closes every connection and the signaling connection.
     * From any thread but the agent loop it returns once they are closed (each link's last frames sent first, at most
     * 1 s; the whole wait is bounded), so the factory may be closed right after: nothing of this agent's is left to
     * run on its loops. Pending {@link #sendWithAck} and {@link #sendBulk} futures fail with an
     * {@code IllegalStateException}; from now on sends answer {@code NOT_CONNECTED} and futures fail at once;
     * callbacks of the connections that come later are dropped and counted ({@link MeshStats#lateTasksDropped}).
     * Idempotent; safe from many threads at once. From a callback (on the agent loop) it cannot wait: the connections
     * close just after.
     */
    @Override
    public void close() {
        edge.close(true);
    }

    /**
     * Stops without a goodbye, as a crash would look to the neighbours: the links' connections are closed (their DTLS
     * sessions end) but no DISCONNECT is sent, and the signaling connection is dropped. Returns, and keeps its
     * promises, as {@link #close()} does.
     */
    public void abort() {
        edge.close(false);
    }
}
