package io.jrtc.ice;

import io.jrtc.common.DatagramCore;
import io.jrtc.ice.internal.AgentCore;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;

/**
 * A sans-IO ICE agent (RFC 8445) for one component (WebRTC bundles everything on component 1), with STUN
 * (RFC 8489) connectivity checks built on ice4j's message layer, server-reflexive gathering, TURN relay candidates
 * over UDP, TCP and TLS (RFC 8656, through {@link TurnClient}), consent freshness (RFC 7675), keepalives, trickle
 * (RFC 8838) with end-of-candidates, ICE restart, and remote mDNS host candidates handled as peer-reflexive.
 *
 * <p><b>Threading:</b> single-threaded by contract. The caller (usually {@code io.jrtc.ice.netty.IceTransport} on
 * one event loop) serialises every call. The agent never reads a clock, starts a thread, blocks, locks or does I/O:
 * time comes in as {@code now} (nanoseconds, any origin, never going backwards; a smaller value is ignored),
 * datagrams come in through {@link #handleInput}, and everything to do comes out of {@link #pollTransmit()},
 * {@link #pollEvent()} and {@link #pollTimeout()}. Outputs queue up, so several calls may be made before draining.
 *
 * <p><b>Robustness:</b> received bytes never make it throw. Bad STUN (wrong MESSAGE-INTEGRITY or FINGERPRINT,
 * unknown comprehension-required attributes, truncation, garbage) is dropped, answered where RFC 8489 says so, and
 * counted by {@link IceDropReason} in {@link #stats()}. API misuse throws at once: {@link IllegalStateException} for
 * calls on a closed agent, {@link IllegalArgumentException} for bad arguments.
 *
 * <p><b>Relay policy:</b> under {@link IceTransportPolicy#RELAY} the agent creates no host or server-reflexive
 * candidate at all; local UDP sockets serve only to reach TURN servers, every check and data packet is wrapped for a
 * TURN server, and packets that arrive on a socket from anything but a TURN server are dropped
 * ({@link IceDropReason#NON_RELAY_PATH}).
 *
 * <p><b>Structure</b> (after str0m's {@code ice} crate): this class is the façade; the agent's state and its
 * concerns live in {@code io.jrtc.ice.internal}: {@code AgentCore} (shared state, the {@code AgentPhase}, the
 * connection state), {@code Gathering}, {@code StunTransactions}, {@code Binding} (what arrives on a path),
 * {@code CheckList}, {@code Nomination} and {@code Consent}. Every deadline there is a {@link io.jrtc.common.Timer}.
 */
public final class IceAgent {

    /** WebRTC uses a single component (RTP and RTCP multiplexed, everything bundled). */
    public static final int COMPONENT = 1;

    private final AgentCore core;

    /**
     * An agent with no candidates yet.
     *
     * @param config           the configuration (servers, policy, timers, random source)
     * @param localCredentials this agent's ufrag and pwd, e.g. {@link IceCredentials#random}
     */
    public IceAgent(IceConfig config, IceCredentials localCredentials) {
        if (config == null || localCredentials == null) {
            throw new IllegalArgumentException("config and local credentials are required");
        }
        this.core = new AgentCore(config, localCredentials);
    }

    // ------------------------------------------------------------------------------------------------ accessors

    public IceConfig config() {
        return core.config();
    }

    /** The current local credentials (they change on {@link #restart}). */
    public IceCredentials localCredentials() {
        return core.localCredentials();
    }

    /** The current remote credentials, if known. */
    public Optional<IceCredentials> remoteCredentials() {
        return core.remoteCredentials();
    }

    public IceRole role() {
        return core.role();
    }

    /** The 64-bit tie-breaker sent in ICE-CONTROLLING/ICE-CONTROLLED (RFC 8445 §7.1.3). */
    public long tieBreaker() {
        return core.tieBreaker();
    }

    public IceConnectionState connectionState() {
        return core.connectionState();
    }

    public IceGatheringState gatheringState() {
        return core.gatheringState();
    }

    /** The pair currently carrying data (during a restart: the previous generation's), if any. */
    public Optional<IceCandidatePair> selectedPair() {
        return core.selectedPair();
    }

    /** Every local candidate gathered so far that would be signalled. */
    public List<IceCandidate> localCandidates() {
        return core.localCandidates();
    }

    /** Remote candidates known, including peer-reflexive ones learnt from checks and unresolved mDNS ones. */
    public List<IceCandidate> remoteCandidates() {
        return core.remoteCandidates();
    }

    /** True once {@link #close} finished (TURN deallocations answered or timed out). */
    public boolean isClosed() {
        return core.isClosed();
    }

    // ------------------------------------------------------------------------------------------------ inputs: setup

    /**
     * The edge bound a local UDP socket. Unless the policy is RELAY it becomes a host candidate (once gathering
     * started); in every case it is a base from which STUN and TURN servers are reached.
     *
     * @throws IllegalArgumentException for TCP (ICE-TCP host candidates are not supported) or a duplicate id
     */
    public void addLocalSocket(long now, SocketId id, InetSocketAddress bound, IceProtocol protocol) {
        core.addLocalSocket(now, id, bound, protocol);
    }

    /**
     * Starts gathering: host candidates for every socket (policy ALL), server-reflexive candidates from STUN
     * servers (policy ALL), relay candidates from TURN servers. Candidates come out as
     * {@link IceEvent.LocalCandidate} events, and {@link IceEvent.GatheringStateChanged} COMPLETE ends them.
     */
    public void startGathering(long now) {
        core.startGathering(now);
    }

    /** Answers an {@link IceEvent.ResolveHost}: the host's addresses, or an empty list when it failed. */
    public void hostResolved(long now, String host, List<InetAddress> addresses) {
        core.hostResolved(now, host, addresses);
    }

    /** The stream asked for with {@link IceEvent.OpenStream} is connected (TLS handshake done, for TLS). */
    public void streamConnected(long now, SocketId id, InetSocketAddress local) {
        core.streamConnected(now, id, local);
    }

    /** The stream closed or failed to connect (reason for logs). Its allocation, if any, is gone. */
    public void streamClosed(long now, SocketId id, String reason) {
        core.streamClosed(now, id, reason);
    }

    /**
     * Sets the peer's credentials. The first call of a generation starts the checks. A call with different
     * credentials while the current generation already has some stages them for the next {@link #restart}.
     */
    public void setRemoteCredentials(long now, IceCredentials remote) {
        core.setRemoteCredentials(now, remote);
    }

    /**
     * Adds a remote candidate (trickle ICE: at any time, also after checks started). Host names that are not IP
     * literals, like Chromium's mDNS {@code <uuid>.local} names, are kept unresolved and never paired: the peer's
     * checks from that address then create a peer-reflexive candidate (RFC 8445 §7.3.1.3). No multicast DNS is
     * sent. TCP candidates and other components are ignored.
     */
    public void addRemoteCandidate(long now, IceCandidate candidate) {
        core.addRemoteCandidate(now, candidate);
    }

    /** The peer signalled end-of-candidates (RFC 8838 §4.4): with no working pair left the agent now fails. */
    public void endOfRemoteCandidates(long now) {
        core.endOfRemoteCandidates(now);
    }

    /** Sets the role (from the offer/answer exchange). Pair priorities are recomputed. */
    public void setRole(IceRole newRole) {
        core.setRole(newRole);
    }

    /**
     * ICE restart (RFC 8445 §9): new local credentials, a new check list, remote candidates forgotten. The
     * previous selected pair keeps carrying data (with the previous credentials for its consent checks) until the
     * new generation selects a pair, so data flows across the restart. Local candidates are re-announced (the same
     * sockets and TURN allocations are reused). Remote credentials staged by {@link #setRemoteCredentials} apply
     * now; otherwise call it with the peer's new ones.
     */
    public void restart(long now, IceCredentials newLocal) {
        core.restart(now, newLocal);
    }

    // ------------------------------------------------------------------------------------------------ inputs: data

    /**
     * A datagram arrived on UDP socket {@code via} from {@code from}, or bytes arrived on stream {@code via}. STUN
     * and TURN are handled inside; anything else that arrives on a valid pair comes out as
     * {@link IceEvent.ApplicationData}. The buffer is read during this call only.
     */
    public void handleInput(long now, SocketId via, InetSocketAddress from, ByteBuffer data) {
        core.handleInput(now, via, from, data);
    }

    /**
     * As {@link #handleInput}, but the {@link IceEvent.ApplicationData} this input gives is a view of {@code data}, not
     * a copy: the caller polls it ({@link #pollEvent()}) and is done with it before {@code data} is released or
     * reused. For a caller that consumes the events at once, synchronously (a peer connection's core hands the
     * datagram to DTLS or SRTP, which copy what they keep): one copy fewer on the receive path.
     */
    public void handleInputLent(long now, SocketId via, InetSocketAddress from, ByteBuffer data) {
        core.handleInputLent(now, via, from, data);
    }

    /** Expires due timers: retransmissions, pacing, nomination, consent, keepalives, TURN refreshes. */
    public void handleTimeout(long now) {
        core.handleTimeout(now);
    }

    /** The next datagram or stream write, or empty. */
    public Optional<IceTransmit> pollTransmit() {
        return core.pollTransmit();
    }

    /** The next event, or empty. */
    public Optional<IceEvent> pollEvent() {
        return core.pollEvent();
    }

    /** When {@link #handleTimeout} should next be called (same time base as {@code now}), or {@link DatagramCore#NO_TIMEOUT}. */
    public long pollTimeout() {
        return core.pollTimeout();
    }

    /**
     * Sends application data over the selected pair (before selection: over the best pair that the peer already
     * validated or checked), wrapped in ChannelData or a Send indication for relay candidates. The buffer is copied.
     * Returns false, counting the drop, when there is no pair or consent expired.
     *
     * @throws IllegalStateException if the agent is closed
     */
    public boolean send(long now, ByteBuffer data) {
        return core.send(now, data, false);
    }

    /**
     * As {@link #send}, but the caller hands the buffer over: it is not copied, and the caller must never write to
     * its bytes (position to limit) again, since the {@link IceTransmit} that carries it may be written out later.
     * DTLS records and SRTP packets, made fresh for each datagram, qualify.
     *
     * @throws IllegalStateException if the agent is closed
     */
    public boolean sendOwned(long now, ByteBuffer data) {
        return core.send(now, data, true);
    }

    /**
     * Closes the agent: TURN allocations are released (Refresh with LIFETIME 0, RFC 8656 §7.4) and streams closed.
     * The state becomes CLOSED at once; {@link #isClosed()} turns true once the deallocations were answered or
     * {@link IceConfig#closeTimeout()} passed. Idempotent.
     */
    public void close(long now) {
        core.close(now);
    }

    /** A snapshot of the counters. */
    public IceStats stats() {
        return core.stats();
    }

    @Override
    public String toString() {
        return core.toString();
    }
}
