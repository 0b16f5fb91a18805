package io.jrtc.ice;

import io.jrtc.common.DatagramCore;
import io.jrtc.common.ErrorKind;
import io.jrtc.ice.internal.CandidatePair;
import io.jrtc.ice.internal.Counters;
import io.jrtc.ice.internal.Generation;
import io.jrtc.ice.internal.IpLiteral;
import io.jrtc.ice.internal.LocalCand;
import io.jrtc.ice.internal.RemoteCand;
import io.jrtc.ice.internal.StreamFramer;
import io.jrtc.ice.internal.Stun;
import io.jrtc.ice.internal.StunScan;
import io.jrtc.ice.internal.TurnClient;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ice4j.StunException;
import org.ice4j.attribute.Attribute;
import org.ice4j.attribute.AttributeFactory;
import org.ice4j.attribute.IceControlAttribute;
import org.ice4j.attribute.PriorityAttribute;
import org.ice4j.attribute.UnknownAttributesAttribute;
import org.ice4j.attribute.UsernameAttribute;
import org.ice4j.message.Message;
import org.ice4j.message.MessageFactory;
import org.ice4j.message.Request;
import org.ice4j.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 */
public final class IceAgent {

    private static final Logger LOG = LoggerFactory.getLogger(IceAgent.class);

    private final io.jrtc.common.LogThrottle droppedCandidates = new io.jrtc.common.LogThrottle();

    /** WebRTC uses a single component (RTP and RTCP multiplexed, everything bundled). */
    public static final int COMPONENT = 1;
    private static final long NONE = DatagramCore.NO_TIMEOUT;
    private static final int MAX_STREAM_BUFFER = 256 * 1024;
    private static final InetSocketAddress HIDDEN_RELATED = new InetSocketAddress(ipv4Any(), 0);

    // ------------------------------------------------------------------------------------------------ state

    private enum CheckKind { CHECK, CONSENT, GATHER }

    /** An outstanding STUN transaction of the agent itself (TURN transactions live in {@link TurnClient}). */
    private static final class Check {
        final CheckKind kind;
        final CandidatePair pair;
        final UdpSocket socket;
        final InetSocketAddress server;
        final ByteBuffer bytes;
        final byte[] responseKey;
        final boolean useCandidate;
        final IceRole role;
        final int maxTransmissions;
        long firstSentAt;
        long lastSentAt;
        long deadline;
        long rto;
        int transmissions;
        /** RFC 8445 §7.3.1.4: superseded by a triggered check; no more retransmissions, no failure on timeout. */
        boolean cancelled;

        Check(CheckKind kind, CandidatePair pair, UdpSocket socket, InetSocketAddress server, ByteBuffer bytes,
              byte[] responseKey, boolean useCandidate, IceRole role, int maxTransmissions) {
            this.kind = kind;
            this.pair = pair;
            this.socket = socket;
            this.server = server;
            this.bytes = bytes;
            this.responseKey = responseKey;
            this.useCandidate = useCandidate;
            this.role = role;
            this.maxTransmissions = maxTransmissions;
        }
    }

    private static final class UdpSocket {
        final SocketId id;
        final InetSocketAddress bound;
        final int index;
        LocalCand host;

        UdpSocket(SocketId id, InetSocketAddress bound, int index) {
            this.id = id;
            this.bound = bound;
            this.index = index;
        }
    }

    private static final class StreamConn {
        final SocketId id;
        final Target target;
        final IceStats.Wire wire;
        final StreamFramer framer = new StreamFramer(MAX_STREAM_BUFFER);
        TurnClient turn;
        InetSocketAddress local;
        boolean open;
        boolean closed;

        StreamConn(SocketId id, Target target) {
            this.id = id;
            this.target = target;
            this.wire = target.url.transport() == IceServer.ServerTransport.TLS ? IceStats.Wire.TLS : IceStats.Wire.TCP;
        }
    }

    /** One server URL to gather from, with its resolved address (null until resolved). */
    private static final class Target {
        final IceServer.Url url;
        final IceServer server;
        InetSocketAddress address;
        boolean resolutionFailed;

        Target(IceServer.Url url, IceServer server) {
            this.url = url;
            this.server = server;
        }
    }

    private final IceConfig config;
    private final long taNanos;
    private final long tieBreaker;
    private final Counters counters = new Counters();
    private final List<Target> targets = new ArrayList<>(2);

    private IceRole role = IceRole.CONTROLLING;
    private long now = Long.MIN_VALUE;
    private Generation gen;
    private Generation oldGen;
    private IceCredentials stagedRemote;

    private final List<UdpSocket> sockets = new ArrayList<>(2);
    private final List<StreamConn> streams = new ArrayList<>(0);
    private int nextStreamIndex;
    private final List<TurnClient> turns = new ArrayList<>(0);
    private final List<LocalCand> locals = new ArrayList<>(4);
    private final List<RemoteCand> remotes = new ArrayList<>(4);
    /** The check list, sorted by descending pair priority. */
    private final List<CandidatePair> pairs = new ArrayList<>(4);
    private final ArrayDeque<CandidatePair> triggered = new ArrayDeque<>(4);
    private final Map<Stun.TxKey, Check> checks = new HashMap<>(8);
    /** Transactions answered after a retransmission, until their schedule ends: duplicate answers are ignored. */
    private final Map<Stun.TxKey, Long> answered = new HashMap<>(2);
    private final Map<String, List<Target>> pendingResolves = new HashMap<>(0);

    private IceGatheringState gatheringState = IceGatheringState.NEW;
    private boolean gatheringStarted;
    private int pendingGathering;
    private IceConnectionState state = IceConnectionState.NEW;
    private boolean checksStarted;
    private boolean remoteEndOfCandidates;
    private long endOfCandidatesAt = NONE;

    private CandidatePair selected;
    /** After a restart: the previous generation's selected pair, still carrying data until a new one is selected. */
    private CandidatePair oldSelected;
    private CandidatePair nominatingPair;
    private long firstValidAt = NONE;
    private long nominationAt = NONE;
    private long nextCheckAt = NONE;
    /** Controlled side: no ordinary checks before this time, unless the peer checks first (see IceConfig). */
    private long ordinaryChecksFrom = NONE;
    private long lastCheckSentAt = Long.MIN_VALUE;
    private long nextConsentAt = NONE;
    private long lastConsentAt;
    private boolean consentLost;
    private long failAt = NONE;

    private boolean closing;
    private boolean closed;
    private long closeDeadline = NONE;
    private int pendingDeallocations;

    private final ArrayDeque<IceTransmit> transmits = new ArrayDeque<>(8);
    private final ArrayDeque<IceEvent> events = new ArrayDeque<>(8);

    private final TurnClient.Host turnHost = new TurnHost();

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
        this.config = config;
        this.taNanos = config.ta().toNanos();
        this.tieBreaker = config.random().nextLong();
        this.gen = new Generation(0, localCredentials, null);
        for (IceServer s : config.servers()) {
            for (IceServer.Url u : s.parsedUrls()) {
                Target t = new Target(u, s);
                InetAddress literal = IpLiteral.parse(u.host());
                if (literal != null) {
                    t.address = new InetSocketAddress(literal, u.port());
                }
                targets.add(t);
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ accessors

    public IceConfig config() {
        return config;
    }

    /** The current local credentials (they change on {@link #restart}). */
    public IceCredentials localCredentials() {
        return gen.local;
    }

    /** The current remote credentials, if known. */
    public Optional<IceCredentials> remoteCredentials() {
        return Optional.ofNullable(gen.remote);
    }

    public IceRole role() {
        return role;
    }

    /** The 64-bit tie-breaker sent in ICE-CONTROLLING/ICE-CONTROLLED (RFC 8445 §7.1.3). */
    public long tieBreaker() {
        return tieBreaker;
    }

    public IceConnectionState connectionState() {
        return state;
    }

    public IceGatheringState gatheringState() {
        return gatheringState;
    }

    /** The pair currently carrying data (during a restart: the previous generation's), if any. */
    public Optional<IceCandidatePair> selectedPair() {
        CandidatePair p = dataPair();
        return p == null ? Optional.empty() : Optional.of(p.toPublic());
    }

    /** Every local candidate gathered so far that would be signalled. */
    public List<IceCandidate> localCandidates() {
        List<IceCandidate> out = new ArrayList<>(locals.size());
        for (LocalCand l : locals) {
            out.add(l.candidate);
        }
        return out;
    }

    /** Remote candidates known, including peer-reflexive ones learnt from checks and unresolved mDNS ones. */
    public List<IceCandidate> remoteCandidates() {
        List<IceCandidate> out = new ArrayList<>(remotes.size());
        for (RemoteCand r : remotes) {
            out.add(r.candidate);
        }
        return out;
    }

    /** True once {@link #close} finished (TURN deallocations answered or timed out). */
    public boolean isClosed() {
        return closed;
    }

    // ------------------------------------------------------------------------------------------------ inputs: setup

    /**
     * The edge bound a local UDP socket. Unless the policy is RELAY it becomes a host candidate (once gathering
     * started); in every case it is a base from which STUN and TURN servers are reached.
     *
     * @throws IllegalArgumentException for TCP (ICE-TCP host candidates are not supported) or a duplicate id
     */
    public void addLocalSocket(long now, SocketId id, InetSocketAddress bound, IceProtocol protocol) {
        advance(now);
        requireOpen();
        if (protocol != IceProtocol.UDP || id.kind() != SocketId.Kind.UDP) {
            throw new IllegalArgumentException("only UDP sockets are supported as local sockets, got " + protocol + " " + id);
        }
        if (bound == null || bound.getAddress() == null || bound.getAddress().isAnyLocalAddress()) {
            throw new IllegalArgumentException("a local socket needs a concrete bound address, got " + bound);
        }
        if (findSocket(id) != null) {
            throw new IllegalArgumentException("socket " + id + " already added");
        }
        UdpSocket s = new UdpSocket(id, bound, sockets.size());
        sockets.add(s);
        if (gatheringStarted) {
            gatherOnSocket(s);
            checkGatheringComplete();
            drive();
        }
    }

    /**
     * Starts gathering: host candidates for every socket (policy ALL), server-reflexive candidates from STUN
     * servers (policy ALL), relay candidates from TURN servers. Candidates come out as
     * {@link IceEvent.LocalCandidate} events, and {@link IceEvent.GatheringStateChanged} COMPLETE ends them.
     */
    public void startGathering(long now) {
        advance(now);
        requireOpen();
        if (gatheringStarted) {
            return;
        }
        gatheringStarted = true;
        setGatheringState(IceGatheringState.GATHERING);
        for (Target t : targets) {
            if (t.address == null) {
                pendingResolves.computeIfAbsent(t.url.host(), h -> {
                    pendingGathering++;
                    events.add(new IceEvent.ResolveHost(h));
                    return new ArrayList<>(1);
                }).add(t);
            }
        }
        for (UdpSocket s : sockets) {
            gatherOnSocket(s);
        }
        for (Target t : targets) {
            if (t.address != null) {
                gatherStream(t);
            }
        }
        checkGatheringComplete();
        drive();
    }

    /** Answers an {@link IceEvent.ResolveHost}: the host's addresses, or an empty list when it failed. */
    public void hostResolved(long now, String host, List<InetAddress> addresses) {
        advance(now);
        if (closing) {
            return;
        }
        List<Target> waiting = pendingResolves.remove(host);
        if (waiting == null) {
            return;
        }
        pendingGathering--;
        for (Target t : waiting) {
            InetAddress pick = null;
            for (InetAddress a : addresses) {
                if (pick == null || (a instanceof java.net.Inet4Address && !(pick instanceof java.net.Inet4Address))) {
                    pick = a;
                }
            }
            if (pick == null) {
                t.resolutionFailed = true;
                LOG.warn("ICE server {}: could not resolve {}", t.url, host);
                events.add(new IceEvent.Error(ErrorKind.TIMEOUT, "could not resolve " + host + " for " + t.url));
                continue;
            }
            t.address = new InetSocketAddress(pick, t.url.port());
            for (UdpSocket s : sockets) {
                gatherTargetOnSocket(t, s);
            }
            gatherStream(t);
        }
        checkGatheringComplete();
        drive();
    }

    /** The stream asked for with {@link IceEvent.OpenStream} is connected (TLS handshake done, for TLS). */
    public void streamConnected(long now, SocketId id, InetSocketAddress local) {
        advance(now);
        StreamConn c = findStream(id);
        if (c == null || c.closed || c.open || closing) {
            return;
        }
        c.open = true;
        c.local = local;
        c.turn.start(this.now);
        drive();
    }

    /** The stream closed or failed to connect (reason for logs). Its allocation, if any, is gone. */
    public void streamClosed(long now, SocketId id, String reason) {
        advance(now);
        StreamConn c = findStream(id);
        if (c == null || c.closed) {
            return;
        }
        c.closed = true;
        c.open = false;
        if (closing) {
            if (c.turn.state() == TurnClient.State.DEALLOCATING) {
                c.turn.abandon();
                deallocationDone();
            }
            return;
        }
        TurnClient.State st = c.turn.state();
        c.turn.abandon();
        LOG.warn("TURN {}: stream {} closed: {}", c.target.url, id, reason);
        if (st == TurnClient.State.IDLE || st == TurnClient.State.ALLOCATING) {
            counters.turnAllocationFailures++;
            pendingGathering--;
            events.add(new IceEvent.Error(ErrorKind.TIMEOUT, "TURN " + c.target.url + ": stream closed: " + reason));
            checkGatheringComplete();
        } else if (st == TurnClient.State.ALLOCATED) {
            relayLost(c.turn, "stream closed: " + reason);
        }
        updateState();
        drive();
    }

    /**
     * Sets the peer's credentials. The first call of a generation starts the checks. A call with different
     * credentials while the current generation already has some stages them for the next {@link #restart}.
     */
    public void setRemoteCredentials(long now, IceCredentials remote) {
        advance(now);
        requireOpen();
        if (remote == null) {
            throw new IllegalArgumentException("remote credentials are required");
        }
        if (gen.remote == null) {
            gen.remote = remote;
            holdOrdinaryChecks();
            for (CandidatePair p : pairs) {
                // Triggered checks for requests that arrived before the answer (RFC 8445 §7.3).
                if (p.requestReceived && p.state != CandidatePair.State.SUCCEEDED) {
                    trigger(p);
                }
            }
        } else if (!gen.remote.equals(remote)) {
            stagedRemote = remote;
        }
        updateState();
        drive();
    }

    /**
     * Adds a remote candidate (trickle ICE: at any time, also after checks started). Host names that are not IP
     * literals, like Chromium's mDNS {@code <uuid>.local} names, are kept unresolved and never paired: the peer's
     * checks from that address then create a peer-reflexive candidate (RFC 8445 §7.3.1.3). No multicast DNS is
     * sent. TCP candidates and other components are ignored.
     */
    public void addRemoteCandidate(long now, IceCandidate candidate) {
        advance(now);
        requireOpen();
        if (candidate.component() != COMPONENT || candidate.protocol() != IceProtocol.UDP) {
            LOG.debug("ignoring remote candidate {} (component {}, only UDP component 1 is used)", candidate, candidate.component());
            return;
        }
        InetAddress ip = IpLiteral.parse(candidate.address());
        InetSocketAddress address = ip == null ? null : new InetSocketAddress(ip, candidate.port());
        for (RemoteCand r : remotes) {
            if (address != null && address.equals(r.address)) {
                if (r.candidate.type() == IceCandidateType.PRFLX && candidate.type() != IceCandidateType.PRFLX) {
                    // A signalled candidate replaces the peer-reflexive one learnt earlier (RFC 8445 §7.3.1.3 note).
                    r.candidate = candidate;
                    reprioritise();
                    CandidatePair dp = dataPair();
                    if (dp != null && dp.remote == r) {
                        // Same addresses, new description of the remote: whoever keeps the selected pair updates it.
                        events.add(new IceEvent.SelectedPairChanged(dp.toPublic()));
                    }
                }
                return;
            }
            if (address == null && r.address == null && r.candidate.address().equalsIgnoreCase(candidate.address())
                    && r.candidate.port() == candidate.port()) {
                return;
            }
        }
        if (remotes.size() >= config.maxRemoteCandidates()) {
            if (droppedCandidates.next()) {
                LOG.warn("remote candidate {} dropped: {} remote candidates already ({} dropped so far; logged at 1-3,"
                        + " 10, 100, ...)", candidate, remotes.size(), droppedCandidates.count());
            }
            return;
        }
        RemoteCand rc = new RemoteCand(candidate, address);
        remotes.add(rc);
        if (address != null) {
            for (LocalCand l : locals) {
                if (l.pairable()) {
                    addPair(l, rc);
                }
            }
        }
        updateState();
        drive();
    }

    /** The peer signalled end-of-candidates (RFC 8838 §4.4): with no working pair left the agent now fails. */
    public void endOfRemoteCandidates(long now) {
        advance(now);
        requireOpen();
        if (!remoteEndOfCandidates) {
            remoteEndOfCandidates = true;
            endOfCandidatesAt = this.now;
        }
        updateState();
        drive();
    }

    /** Sets the role (from the offer/answer exchange). Pair priorities are recomputed. */
    public void setRole(IceRole newRole) {
        requireOpen();
        if (newRole == null) {
            throw new IllegalArgumentException("role is required");
        }
        if (newRole != role) {
            role = newRole;
            reprioritise();
            events.add(new IceEvent.RoleChanged(role));
        }
    }

    /**
     * ICE restart (RFC 8445 §9): new local credentials, a new check list, remote candidates forgotten. The
     * previous selected pair keeps carrying data (with the previous credentials for its consent checks) until the
     * new generation selects a pair, so data flows across the restart. Local candidates are re-announced (the same
     * sockets and TURN allocations are reused). Remote credentials staged by {@link #setRemoteCredentials} apply
     * now; otherwise call it with the peer's new ones.
     */
    public void restart(long now, IceCredentials newLocal) {
        advance(now);
        requireOpen();
        if (newLocal == null || newLocal.equals(gen.local)) {
            throw new IllegalArgumentException("a restart needs new local credentials");
        }
        CandidatePair keep = consentLost ? null : dataPair();
        oldSelected = keep;
        oldGen = keep == null ? null : keep.generation;
        gen = new Generation(gen.number + 1, newLocal, stagedRemote);
        stagedRemote = null;
        ordinaryChecksFrom = NONE;
        if (gen.remote != null) {
            holdOrdinaryChecks();
        }
        for (Iterator<Map.Entry<Stun.TxKey, Check>> it = checks.entrySet().iterator(); it.hasNext(); ) {
            Check c = it.next().getValue();
            if (c.kind == CheckKind.CHECK || (c.kind == CheckKind.CONSENT && c.pair != keep)) {
                it.remove();
            }
        }
        remotes.clear();
        pairs.clear();
        triggered.clear();
        selected = null;
        nominatingPair = null;
        firstValidAt = NONE;
        nominationAt = NONE;
        nextCheckAt = NONE;
        remoteEndOfCandidates = false;
        endOfCandidatesAt = NONE;
        failAt = NONE;
        checksStarted = false;
        consentLost = false;
        if (keep == null) {
            nextConsentAt = NONE;
        }
        LOG.debug("ICE restart: generation {}, ufrag {}", gen.number, newLocal.ufrag());
        if (gatheringStarted) {
            setGatheringState(IceGatheringState.GATHERING);
            for (LocalCand l : locals) {
                events.add(new IceEvent.LocalCandidate(l.candidate));
            }
            checkGatheringComplete();
        }
        updateState();
        drive();
    }

    // ------------------------------------------------------------------------------------------------ inputs: data

    /**
     * A datagram arrived on UDP socket {@code via} from {@code from}, or bytes arrived on stream {@code via}. STUN
     * and TURN are handled inside; anything else that arrives on a valid pair comes out as
     * {@link IceEvent.ApplicationData}. The buffer is read during this call only.
     */
    public void handleInput(long now, SocketId via, InetSocketAddress from, ByteBuffer data) {
        advance(now);
        if (closed) {
            counters.drop(IceDropReason.CLOSED);
            return;
        }
        int n = data.remaining();
        if (via.isStream()) {
            StreamConn c = findStream(via);
            if (c == null || c.closed) {
                counters.drop(IceDropReason.UNKNOWN_SOCKET);
                return;
            }
            counters.received(c.wire, n);
            boolean ok = c.framer.append(data, frame -> {
                if (!c.turn.handleServerMessage(this.now, frame)) {
                    counters.drop(IceDropReason.UNKNOWN_TRANSACTION);
                }
            });
            if (!ok) {
                counters.drop(IceDropReason.MALFORMED);
                LOG.warn("TURN {}: stream {} out of sync, closing it", c.target.url, via);
                events.add(new IceEvent.CloseStream(via));
                streamClosed(this.now, via, "stream out of sync");
            }
            drive();
            return;
        }
        UdpSocket s = findSocket(via);
        if (s == null) {
            counters.drop(IceDropReason.UNKNOWN_SOCKET);
            return;
        }
        counters.received(IceStats.Wire.UDP, n);
        for (TurnClient t : turns) {
            if (t.via().equals(via) && t.server().equals(from)) {
                if (t.handleServerMessage(this.now, data)) {
                    drive();
                    return;
                }
                break;
            }
        }
        if (closing) {
            counters.drop(IceDropReason.CLOSED);
            return;
        }
        if (s.host == null) {
            // Policy RELAY (or gathering not started): only our own gathering transactions may answer here.
            byte[] msg = toArray(data);
            if (StunScan.looksLikeStun(msg, 0, msg.length) && handleGatherResponseIfAny(s, from, msg)) {
                drive();
                return;
            }
            counters.drop(config.policy() == IceTransportPolicy.RELAY ? IceDropReason.NON_RELAY_PATH : IceDropReason.UNKNOWN_SOURCE);
            return;
        }
        handleFromPath(s.host, from, data);
        drive();
    }

    /** Expires due timers: retransmissions, pacing, nomination, consent, keepalives, TURN refreshes. */
    public void handleTimeout(long now) {
        advance(now);
        if (closed) {
            return;
        }
        if (closing) {
            for (TurnClient t : new ArrayList<>(turns)) {
                t.handleTimeout(this.now);
            }
            if (!closed && this.now >= closeDeadline) {
                LOG.debug("close: {} TURN deallocation(s) unanswered after {}", pendingDeallocations, config.closeTimeout());
                for (TurnClient t : turns) {
                    t.abandon();
                }
                finishClose();
            }
            return;
        }
        expireChecks();
        for (TurnClient t : new ArrayList<>(turns)) {
            if (t.nextDeadline() <= this.now) {
                t.handleTimeout(this.now);
            }
        }
        if (nominationAt <= this.now) {
            nominationAt = NONE;
            maybeNominate();
        }
        runConsent();
        runKeepalive();
        updateState();
        drive();
    }

    /** The next datagram or stream write, or empty. */
    public Optional<IceTransmit> pollTransmit() {
        return Optional.ofNullable(transmits.poll());
    }

    /** The next event, or empty. */
    public Optional<IceEvent> pollEvent() {
        return Optional.ofNullable(events.poll());
    }

    /** When {@link #handleTimeout} should next be called (same time base as {@code now}), or {@link DatagramCore#NO_TIMEOUT}. */
    public long pollTimeout() {
        if (closed) {
            return NONE;
        }
        long next = NONE;
        for (TurnClient t : turns) {
            next = Math.min(next, t.nextDeadline());
        }
        if (closing) {
            return Math.min(next, closeDeadline);
        }
        next = Math.min(next, nextCheckAt);
        for (Check c : checks.values()) {
            next = Math.min(next, c.deadline);
        }
        next = Math.min(next, nominationAt);
        CandidatePair dp = dataPair();
        if (dp != null && !consentLost) {
            if (config.consentFreshness()) {
                next = Math.min(next, nextConsentAt);
                if (state != IceConnectionState.DISCONNECTED) {
                    next = Math.min(next, lastConsentAt + config.disconnectedTimeout().toNanos());
                }
                next = Math.min(next, lastConsentAt + config.consentTimeout().toNanos());
            }
            next = Math.min(next, saturatedAdd(dp.lastSentAt, config.keepaliveInterval().toNanos()));
        }
        if (failAt != NONE && state != IceConnectionState.FAILED) {
            next = Math.min(next, failAt);
        }
        return next;
    }

    /**
     * Sends application data over the selected pair (before selection: over the best pair that the peer already
     * validated or checked), wrapped in ChannelData or a Send indication for relay candidates. The buffer is copied.
     * Returns false, counting the drop, when there is no pair or consent expired.
     *
     * @throws IllegalStateException if the agent is closed
     */
    public boolean send(long now, ByteBuffer data) {
        advance(now);
        requireOpen();
        if (consentLost) {
            counters.drop(IceDropReason.CONSENT_EXPIRED);
            return false;
        }
        CandidatePair p = dataPair();
        if (p == null) {
            p = bestUsablePair();
        }
        if (p == null) {
            counters.drop(IceDropReason.NO_PAIR);
            return false;
        }
        int n = data.remaining();
        ByteBuffer copy = ByteBuffer.allocate(n);
        copy.put(data.duplicate()).flip();
        p.packetsSent++;
        p.bytesSent += n;
        return sendOnPath(p, copy);
    }

    /**
     * Closes the agent: TURN allocations are released (Refresh with LIFETIME 0, RFC 8656 §7.4) and streams closed.
     * The state becomes CLOSED at once; {@link #isClosed()} turns true once the deallocations were answered or
     * {@link IceConfig#closeTimeout()} passed. Idempotent.
     */
    public void close(long now) {
        advance(now);
        if (closing) {
            return;
        }
        closing = true;
        closeDeadline = this.now + config.closeTimeout().toNanos();
        checks.clear();
        triggered.clear();
        pairs.clear();
        selected = null;
        oldSelected = null;
        nextCheckAt = NONE;
        nextConsentAt = NONE;
        setState(IceConnectionState.CLOSED);
        for (TurnClient t : new ArrayList<>(turns)) {
            if (t.state() == TurnClient.State.ALLOCATED) {
                pendingDeallocations++;
                t.deallocate(this.now);
            } else {
                t.abandon();
            }
        }
        if (pendingDeallocations == 0) {
            finishClose();
        }
    }

    /** A snapshot of the counters. */
    public IceStats stats() {
        Map<IceStats.Wire, IceStats.Traffic> traffic = new EnumMap<>(IceStats.Wire.class);
        for (IceStats.Wire w : IceStats.Wire.values()) {
            traffic.put(w, counters.traffic(w));
        }
        Map<IceDropReason, Long> drops = new EnumMap<>(IceDropReason.class);
        for (IceDropReason r : IceDropReason.values()) {
            long v = counters.drops(r);
            if (v > 0) {
                drops.put(r, v);
            }
        }
        List<IceStats.PairStats> pairStats = new ArrayList<>(pairs.size() + 1);
        if (oldSelected != null) {
            pairStats.add(oldSelected.stats());
        }
        for (CandidatePair p : pairs) {
            pairStats.add(p.stats());
        }
        CandidatePair dp = dataPair();
        return new IceStats(state, role, dp == null ? null : dp.toPublic(), dp == null ? -1 : dp.rttNanos,
                Map.copyOf(traffic), List.copyOf(pairStats), counters.checksSent, counters.checksReceived,
                counters.consentChecksSent, counters.keepalivesSent, counters.roleConflicts, Map.copyOf(drops),
                counters.redundantCandidates, counters.turnStats());
    }

    // ------------------------------------------------------------------------------------------------ gathering

    private void gatherOnSocket(UdpSocket s) {
        if (config.policy() == IceTransportPolicy.ALL && s.host == null) {
            int localPref = IceCandidate.MAX_LOCAL_PREFERENCE - Math.min(s.index, 1023);
            String ip = IpLiteral.text(s.bound.getAddress());
            IceCandidate c = IceCandidate.of(IceCandidate.computeFoundation(IceCandidateType.HOST, ip, null, IceProtocol.UDP),
                    COMPONENT, IceProtocol.UDP, IceCandidate.computePriority(IceCandidateType.HOST, localPref, COMPONENT),
                    ip, s.bound.getPort(), IceCandidateType.HOST);
            LocalCand l = new LocalCand(c, s.id, s.bound, null, IceStats.Wire.UDP);
            s.host = l;
            addLocal(l);
        }
        for (Target t : targets) {
            if (t.address != null) {
                gatherTargetOnSocket(t, s);
            }
        }
    }

    private void gatherTargetOnSocket(Target t, UdpSocket s) {
        if (t.url.transport() != IceServer.ServerTransport.UDP || !IpLiteral.sameFamily(t.address, s.bound)) {
            return;
        }
        if (t.url.scheme() == IceServer.Scheme.STUN) {
            if (config.policy() != IceTransportPolicy.ALL) {
                return;
            }
            Request r = MessageFactory.createBindingRequest();
            byte[] tid = Stun.newTransactionId(config.random());
            setTid(r, tid);
            Check c = new Check(CheckKind.GATHER, null, s, t.address, Stun.encode(r, null, true), null, false, role,
                    config.stunMaxTransmissions());
            c.rto = config.stunRto().toNanos();
            pendingGathering++;
            checks.put(Stun.TxKey.of(tid), c);
            transmitCheck(c);
        } else if (t.url.scheme() == IceServer.Scheme.TURN) {
            TurnClient tc = new TurnClient(turnHost, s.id, t.address, false, t.server.username(), t.server.credential(),
                    config, counters, t.url.toString());
            turns.add(tc);
            pendingGathering++;
            tc.start(now);
        }
    }

    private void gatherStream(Target t) {
        if (t.url.transport() == IceServer.ServerTransport.UDP) {
            return;
        }
        if (t.url.scheme() != IceServer.Scheme.TURN && t.url.scheme() != IceServer.Scheme.TURNS) {
            LOG.warn("ICE server {}: STUN over TCP/TLS is not supported; ignored", t.url);
            events.add(new IceEvent.Error(ErrorKind.UNSUPPORTED, "STUN over TCP/TLS is not supported: " + t.url));
            return;
        }
        SocketId id = SocketId.stream(nextStreamIndex++);
        StreamConn c = new StreamConn(id, t);
        c.turn = new TurnClient(turnHost, id, t.address, true, t.server.username(), t.server.credential(), config,
                counters, t.url.toString());
        streams.add(c);
        turns.add(c.turn);
        pendingGathering++;
        boolean literal = IpLiteral.parse(t.url.host()) != null;
        events.add(new IceEvent.OpenStream(id, t.address, c.wire == IceStats.Wire.TLS, literal ? null : t.url.host()));
    }

    private void addLocal(LocalCand l) {
        locals.add(l);
        events.add(new IceEvent.LocalCandidate(l.candidate));
        if (l.pairable()) {
            for (RemoteCand r : remotes) {
                if (r.address != null) {
                    addPair(l, r);
                }
            }
        }
    }

    /** RFC 8445 §5.1.3: a candidate is redundant if another has the same transport address and base. */
    private boolean redundantSrflx(InetSocketAddress mapped, InetSocketAddress base) {
        if (mapped.equals(base)) {
            return true;
        }
        for (LocalCand l : locals) {
            if (l.type() == IceCandidateType.SRFLX && l.base.equals(base)
                    && new InetSocketAddress(l.candidate.address(), l.candidate.port()).equals(mapped)) {
                return true;
            }
        }
        return false;
    }

    private void addServerReflexive(UdpSocket s, InetSocketAddress mapped, InetSocketAddress server) {
        if (config.policy() != IceTransportPolicy.ALL || s.host == null) {
            return;
        }
        if (redundantSrflx(mapped, s.bound)) {
            counters.redundantCandidates++;
            LOG.debug("server-reflexive {} via {} is redundant with its base {} (RFC 8445 §5.1.3)", mapped, server, s.bound);
            return;
        }
        String baseIp = IpLiteral.text(s.bound.getAddress());
        IceCandidate c = new IceCandidate(
                IceCandidate.computeFoundation(IceCandidateType.SRFLX, baseIp, IpLiteral.text(server.getAddress()), IceProtocol.UDP),
                COMPONENT, IceProtocol.UDP,
                IceCandidate.computePriority(IceCandidateType.SRFLX, s.host.candidate.localPreference(), COMPONENT),
                IpLiteral.text(mapped.getAddress()), mapped.getPort(), IceCandidateType.SRFLX,
                baseIp, s.bound.getPort(), null);
        addLocal(new LocalCand(c, s.id, s.bound, null, IceStats.Wire.UDP));
    }

    private boolean handleGatherResponseIfAny(UdpSocket s, InetSocketAddress from, byte[] msg) {
        Check c = checks.get(Stun.TxKey.ofMessage(msg));
        if (c == null || c.kind != CheckKind.GATHER) {
            return false;
        }
        handleGatherResponse(c, s, from, msg);
        return true;
    }

    private void handleGatherResponse(Check c, UdpSocket s, InetSocketAddress from, byte[] msg) {
        if (c.socket != s || !c.server.equals(from)) {
            counters.drop(IceDropReason.NON_SYMMETRIC_RESPONSE);
            return;
        }
        StunScan scan = StunScan.scan(msg, msg.length);
        if (!scan.ok()) {
            counters.drop(scan.status());
            return;
        }
        if (scan.unknownRequired().length > 0) {
            counters.drop(IceDropReason.UNKNOWN_COMPREHENSION_REQUIRED_ATTRIBUTE);
            return;
        }
        Message m = Stun.decode(msg, msg.length);
        if (m == null) {
            counters.drop(IceDropReason.MALFORMED);
            return;
        }
        checks.remove(Stun.TxKey.ofMessage(msg));
        pendingGathering--;
        if (scan.messageClass() == Stun.CLASS_SUCCESS) {
            InetSocketAddress mapped = Stun.xorAddress(m, Attribute.XOR_MAPPED_ADDRESS);
            if (mapped == null) {
                mapped = Stun.xorAddress(m, Attribute.MAPPED_ADDRESS);
            }
            if (mapped != null) {
                addServerReflexive(s, mapped, c.server);
            } else {
                LOG.warn("STUN server {} answered without a mapped address", c.server);
            }
        } else {
            LOG.warn("STUN server {} refused Binding: {}", c.server, Stun.errorCode(m));
            events.add(new IceEvent.Error(ErrorKind.PEER_ABORTED, "STUN server " + c.server + " answered " + Stun.errorCode(m)));
        }
        checkGatheringComplete();
    }

    private void checkGatheringComplete() {
        if (gatheringStarted && pendingGathering <= 0 && gatheringState == IceGatheringState.GATHERING) {
            setGatheringState(IceGatheringState.COMPLETE);
            updateState();
        }
    }

    private void setGatheringState(IceGatheringState s) {
        if (gatheringState != s) {
            gatheringState = s;
            events.add(new IceEvent.GatheringStateChanged(s));
        }
    }

    /** Callbacks from the TURN clients. */
    private final class TurnHost implements TurnClient.Host {
        @Override
        public void transmit(TurnClient client, ByteBuffer data) {
            IceStats.Wire wire = IceStats.Wire.UDP;
            if (client.isStream()) {
                StreamConn c = findStream(client.via());
                if (c == null || !c.open) {
                    return;
                }
                wire = c.wire;
            }
            counters.sent(wire, data.remaining());
            transmits.add(new IceTransmit(client.via(), client.server(), data));
        }

        @Override
        public void allocated(TurnClient client, long at) {
            pendingGathering--;
            onRelayAllocated(client);
            checkGatheringComplete();
        }

        @Override
        public void failed(TurnClient client, long at, ErrorKind kind, String message) {
            events.add(new IceEvent.Error(kind, "TURN " + client.label() + ": " + message));
            if (relayCandidateOf(client) == null) {
                pendingGathering--;
                checkGatheringComplete();
            } else {
                relayLost(client, message);
            }
            StreamConn c = client.isStream() ? findStream(client.via()) : null;
            if (c != null && !c.closed) {
                c.closed = true;
                events.add(new IceEvent.CloseStream(c.id));
            }
            updateState();
        }

        @Override
        public void peerData(TurnClient client, long at, InetSocketAddress peer, ByteBuffer data) {
            LocalCand relay = relayCandidateOf(client);
            if (relay == null) {
                counters.drop(IceDropReason.UNKNOWN_SOURCE);
                return;
            }
            handleFromPath(relay, peer, data);
        }

        @Override
        public void closed(TurnClient client, long at) {
            if (closing) {
                StreamConn c = client.isStream() ? findStream(client.via()) : null;
                if (c != null && !c.closed) {
                    c.closed = true;
                    events.add(new IceEvent.CloseStream(c.id));
                }
                deallocationDone();
            }
        }
    }

    /** The position of {@code t}'s URL among the configured TURN URLs (0 for the first). */
    private int turnServerRank(TurnClient t) {
        int rank = 0;
        for (Target target : targets) {
            if (target.url.scheme() == IceServer.Scheme.STUN) {
                continue;
            }
            if (target.url.toString().equals(t.label())) {
                return rank;
            }
            rank++;
        }
        return rank;
    }

    private void onRelayAllocated(TurnClient t) {
        InetSocketAddress relayed = t.relayedAddress();
        InetSocketAddress mapped = t.mappedAddress();
        IceServer.ServerTransport st = IceServer.ServerTransport.UDP;
        IceStats.Wire wire = IceStats.Wire.UDP;
        String baseIp;
        int rank;
        if (t.isStream()) {
            StreamConn c = findStream(t.via());
            wire = c.wire;
            st = c.target.url.transport();
            baseIp = c.local != null ? IpLiteral.text(c.local.getAddress()) : "0.0.0.0";
            rank = c.id.index();
        } else {
            UdpSocket s = findSocket(t.via());
            baseIp = IpLiteral.text(s.bound.getAddress());
            rank = s.index;
            if (mapped != null) {
                addServerReflexive(s, mapped, t.server());
            }
        }
        int transportPref = switch (st) {
            case UDP -> 3;
            case TCP -> 2;
            case TLS -> 1;
        };
        // TURN servers are preferred in the order configured (as in libwebrtc), within a transport: the first
        // server's relay candidates outrank the second's, so relayed links run through the first while it lives.
        int order = Math.min(turnServerRank(t), 63);
        int localPref = transportPref * 16384 + (16383 - Math.min(order * 256 + Math.min(rank, 255), 16383));
        boolean hide = config.policy() == IceTransportPolicy.RELAY || mapped == null;
        InetSocketAddress related = hide ? HIDDEN_RELATED : mapped;
        IceCandidate c = new IceCandidate(
                IceCandidate.computeFoundation(IceCandidateType.RELAY, baseIp, IpLiteral.text(t.server().getAddress()) + "/" + st, IceProtocol.UDP),
                COMPONENT, IceProtocol.UDP, IceCandidate.computePriority(IceCandidateType.RELAY, localPref, COMPONENT),
                IpLiteral.text(relayed.getAddress()), relayed.getPort(), IceCandidateType.RELAY,
                IpLiteral.text(related.getAddress()), related.getPort(), null);
        addLocal(new LocalCand(c, t.via(), relayed, t, wire));
        drive();
    }

    private LocalCand relayCandidateOf(TurnClient t) {
        for (LocalCand l : locals) {
            if (l.relay == t) {
                return l;
            }
        }
        return null;
    }

    private void relayLost(TurnClient t, String why) {
        LocalCand l = relayCandidateOf(t);
        if (l == null) {
            return;
        }
        locals.remove(l);
        for (Iterator<CandidatePair> it = pairs.iterator(); it.hasNext(); ) {
            CandidatePair p = it.next();
            if (p.local == l) {
                it.remove();
                triggered.remove(p);
                if (p == nominatingPair) {
                    nominatingPair = null;
                }
            }
        }
        checks.values().removeIf(c -> c.pair != null && c.pair.local == l);
        if (selected != null && selected.local == l) {
            LOG.warn("selected pair lost its relay: {}", why);
            selected = null;
        }
        if (oldSelected != null && oldSelected.local == l) {
            oldSelected = null;
            oldGen = null;
        }
        maybeNominate();
    }

    private void deallocationDone() {
        pendingDeallocations--;
        if (pendingDeallocations <= 0 && !closed) {
            finishClose();
        }
    }

    private void finishClose() {
        for (StreamConn c : streams) {
            if (!c.closed) {
                c.closed = true;
                events.add(new IceEvent.CloseStream(c.id));
            }
        }
        closed = true;
    }

    // ------------------------------------------------------------------------------------------------ receiving

    /** Handles bytes that arrived on a path ending at local candidate {@code local} (host socket or relay). */
    private void handleFromPath(LocalCand local, InetSocketAddress from, ByteBuffer data) {
        // RFC 7983: a first byte of 0..3 is STUN; anything else goes to the application.
        if (data.remaining() == 0) {
            counters.drop(IceDropReason.TRUNCATED);
            return;
        }
        if ((data.get(data.position()) & 0xFF) > 3) {
            handleApplicationData(local, from, data);
            return;
        }
        byte[] msg = toArray(data);
        StunScan scan = StunScan.scan(msg, msg.length);
        if (!scan.ok()) {
            counters.drop(scan.status());
            if (LOG.isTraceEnabled()) {
                LOG.trace("dropped STUN from {}: {}", from, scan.status());
            }
            return;
        }
        switch (scan.messageClass()) {
            case Stun.CLASS_REQUEST -> {
                if (scan.method() == Stun.METHOD_BINDING) {
                    handleBindingRequest(local, from, msg, scan);
                } else {
                    counters.drop(IceDropReason.UNEXPECTED_MESSAGE);
                }
            }
            case Stun.CLASS_INDICATION -> {
                if (scan.method() == Stun.METHOD_BINDING) {
                    CandidatePair p = findPair(local, from);
                    if (p != null) {
                        p.lastReceivedAt = now;
                    }
                } else {
                    counters.drop(IceDropReason.UNEXPECTED_MESSAGE);
                }
            }
            default -> handleResponse(local, from, msg, scan);
        }
    }

    private void handleApplicationData(LocalCand local, InetSocketAddress from, ByteBuffer data) {
        CandidatePair p = dataPair();
        if (p == null || p.local != local || !from.equals(p.remote.address)) {
            p = null;
            if (oldSelected != null && oldSelected.local == local && from.equals(oldSelected.remote.address)) {
                p = oldSelected;
            } else {
                for (CandidatePair c : pairs) {
                    if (c.local == local && from.equals(c.remote.address) && c.usable()) {
                        p = c;
                        break;
                    }
                }
            }
        }
        if (p == null) {
            counters.drop(IceDropReason.UNKNOWN_SOURCE);
            return;
        }
        int n = data.remaining();
        p.packetsReceived++;
        p.bytesReceived += n;
        p.lastReceivedAt = now;
        ByteBuffer copy = ByteBuffer.allocate(n);
        copy.put(data.duplicate()).flip();
        events.add(new IceEvent.ApplicationData(copy));
    }

    private void handleBindingRequest(LocalCand local, InetSocketAddress from, byte[] msg, StunScan scan) {
        Message m = Stun.decode(msg, msg.length);
        if (m == null) {
            counters.drop(IceDropReason.MALFORMED);
            return;
        }
        UsernameAttribute ua = m.getAttribute(Attribute.USERNAME) instanceof UsernameAttribute u ? u : null;
        if (ua == null || scan.miOffset() < 0) {
            // RFC 8489 §9.1.3: no USERNAME or no MESSAGE-INTEGRITY: 400.
            counters.drop(ua == null ? IceDropReason.BAD_USERNAME : IceDropReason.BAD_INTEGRITY);
            respondError(local, from, m, 400, "Bad Request", null, null);
            return;
        }
        String username = new String(ua.getUsername(), StandardCharsets.UTF_8);
        Generation g = null;
        if (username.startsWith(gen.local.ufrag() + ":")) {
            g = gen;
        } else if (oldGen != null && username.startsWith(oldGen.local.ufrag() + ":")) {
            g = oldGen;
        }
        if (g == null) {
            counters.drop(IceDropReason.BAD_USERNAME);
            respondError(local, from, m, 401, "Unauthorized", null, null);
            return;
        }
        byte[] key = Stun.shortTermKey(g.local.pwd());
        if (!Stun.verifyIntegrity(msg, scan.miOffset(), key)) {
            counters.drop(IceDropReason.BAD_INTEGRITY);
            respondError(local, from, m, 401, "Unauthorized", null, null);
            return;
        }
        if (scan.unknownRequired().length > 0) {
            counters.drop(IceDropReason.UNKNOWN_COMPREHENSION_REQUIRED_ATTRIBUTE);
            respondError(local, from, m, 420, "Unknown Attribute", scan.unknownRequired(), key);
            return;
        }
        counters.checksReceived++;
        // Role conflict (RFC 8445 §7.3.1.1).
        Attribute controlling = m.getAttribute(Attribute.ICE_CONTROLLING);
        Attribute controlled = m.getAttribute(Attribute.ICE_CONTROLLED);
        if (role == IceRole.CONTROLLING && controlling instanceof IceControlAttribute a) {
            counters.roleConflicts++;
            if (Long.compareUnsigned(tieBreaker, a.getTieBreaker()) >= 0) {
                respondError(local, from, m, 487, "Role Conflict", null, key);
                return;
            }
            switchRole(IceRole.CONTROLLED);
        } else if (role == IceRole.CONTROLLED && controlled instanceof IceControlAttribute a) {
            counters.roleConflicts++;
            if (Long.compareUnsigned(tieBreaker, a.getTieBreaker()) >= 0) {
                switchRole(IceRole.CONTROLLING);
            } else {
                respondError(local, from, m, 487, "Role Conflict", null, key);
                return;
            }
        }
        respondSuccess(local, from, m, key);
        if (g != gen) {
            if (oldSelected != null && oldSelected.local == local && from.equals(oldSelected.remote.address)) {
                oldSelected.lastReceivedAt = now;
                oldSelected.requestsReceived++;
            }
            return;
        }
        RemoteCand rc = findRemote(from);
        if (rc == null) {
            long prio = m.getAttribute(Attribute.PRIORITY) instanceof PriorityAttribute pa
                    ? pa.getPriority() : IceCandidate.computePriority(IceCandidateType.PRFLX, 0, COMPONENT);
            if (prio < 1 || prio > 0xFFFF_FFFFL) {
                prio = IceCandidate.computePriority(IceCandidateType.PRFLX, 0, COMPONENT);
            }
            String ip = IpLiteral.text(from.getAddress());
            IceCandidate c = IceCandidate.of(IceCandidate.computeFoundation(IceCandidateType.PRFLX, ip, null, IceProtocol.UDP),
                    COMPONENT, IceProtocol.UDP, prio, ip, from.getPort(), IceCandidateType.PRFLX);
            if (remotes.size() >= config.maxRemoteCandidates()) {
                LOG.debug("peer-reflexive candidate {} not kept: remote candidate limit reached", c);
                return;
            }
            rc = new RemoteCand(c, from);
            remotes.add(rc);
            LOG.debug("learnt peer-reflexive remote candidate {}", c);
        }
        CandidatePair p = findPair(local, from);
        if (p == null) {
            p = addPair(local, rc);
            if (p == null) {
                return;
            }
        }
        p.requestReceived = true;
        p.requestsReceived++;
        p.lastReceivedAt = now;
        ordinaryChecksFrom = NONE;
        boolean useCandidate = m.getAttribute(Attribute.USE_CANDIDATE) != null;
        if (p.state == CandidatePair.State.SUCCEEDED) {
            if (useCandidate && role == IceRole.CONTROLLED) {
                nominate(p);
            } else if (role == IceRole.CONTROLLED && !p.nominated && !p.checkedBack && (selected == null || selected.generation != gen)) {
                // RFC 8445 §7.3.1.4 asks nothing more here. But a controlling agent that nominates a pair as soon as
                // the peer checks a pair it has itself validated (Pion does; otherwise it waits for its next 200 ms
                // tick) needs a check from us after its own succeeded: our first check reached it before that. One
                // check, answered or not, with no effect on the pair's state.
                p.checkedBack = true;
                sendCheck(p, CheckKind.CONSENT);
            }
        } else {
            if (useCandidate && role == IceRole.CONTROLLED) {
                p.nominateOnSuccess = true;
            }
            if (p.state == CandidatePair.State.IN_PROGRESS) {
                // RFC 8445 §7.3.1.4: cancel the in-progress transaction, then a triggered check.
                for (Check c : checks.values()) {
                    if (c.pair == p && c.kind == CheckKind.CHECK && !c.cancelled) {
                        // Still accept its answer until the whole transaction would have timed out.
                        c.cancelled = true;
                        c.deadline = c.firstSentAt + checkTimeoutNanos();
                    }
                }
            }
            p.state = CandidatePair.State.WAITING;
            trigger(p);
        }
        checksStarted = true;
    }

    private void handleResponse(LocalCand local, InetSocketAddress from, byte[] msg, StunScan scan) {
        if (scan.method() != Stun.METHOD_BINDING) {
            // Every transaction kept here (checks, consent, gathering) is a Binding request; TURN answers went to
            // their TurnClient. A response of another method answers none of them, whatever its transaction id.
            counters.drop(IceDropReason.UNEXPECTED_MESSAGE);
            return;
        }
        Stun.TxKey k = Stun.TxKey.ofMessage(msg);
        Check c = checks.get(k);
        if (c == null) {
            if (answered.containsKey(k)) {
                return; // a second answer to a retransmitted request
            }
            counters.drop(IceDropReason.UNKNOWN_TRANSACTION);
            if (LOG.isDebugEnabled()) {
                LOG.debug("response (class {}, method {}) from {} matches no transaction", scan.messageClass(), scan.method(), from);
            }
            return;
        }
        if (c.kind == CheckKind.GATHER) {
            UdpSocket s = local.relay == null ? findSocket(local.via) : null;
            if (s == null) {
                counters.drop(IceDropReason.NON_SYMMETRIC_RESPONSE);
                return;
            }
            handleGatherResponse(c, s, from, msg);
            return;
        }
        CandidatePair p = c.pair;
        if (p.local != local || !from.equals(p.remote.address)) {
            counters.drop(IceDropReason.NON_SYMMETRIC_RESPONSE);
            return;
        }
        if (scan.unknownRequired().length > 0) {
            counters.drop(IceDropReason.UNKNOWN_COMPREHENSION_REQUIRED_ATTRIBUTE);
            return;
        }
        if (scan.miOffset() < 0 || !Stun.verifyIntegrity(msg, scan.miOffset(), c.responseKey)) {
            counters.drop(IceDropReason.BAD_INTEGRITY);
            return;
        }
        Message m = Stun.decode(msg, msg.length);
        if (m == null) {
            counters.drop(IceDropReason.MALFORMED);
            return;
        }
        checks.remove(k);
        if (c.transmissions > 1) {
            answered.put(k, c.deadline + c.rto);
        }
        if (scan.messageClass() == Stun.CLASS_SUCCESS) {
            onCheckSuccess(c, p);
        } else {
            onCheckError(c, p, Stun.errorCode(m));
        }
    }

    private void onCheckSuccess(Check c, CandidatePair p) {
        p.responsesReceived++;
        p.lastReceivedAt = now;
        p.rttNanos = c.transmissions == 1 ? now - c.firstSentAt : now - c.lastSentAt;
        if (p == selected || p == oldSelected) {
            p.consentAt = now;
            if (p == dataPair()) {
                lastConsentAt = now;
            }
        }
        if (p.generation != gen || !pairs.contains(p)) {
            updateState();
            return;
        }
        boolean first = p.state != CandidatePair.State.SUCCEEDED;
        p.state = CandidatePair.State.SUCCEEDED;
        if (first) {
            String f = p.foundation();
            for (CandidatePair q : pairs) {
                if (q.state == CandidatePair.State.FROZEN && q.foundation().equals(f)) {
                    q.state = CandidatePair.State.WAITING;
                }
            }
            if (firstValidAt == NONE) {
                firstValidAt = now;
            }
        }
        if (role == IceRole.CONTROLLING) {
            if (c.useCandidate) {
                nominate(p);
            } else {
                maybeNominate();
            }
        } else if (p.nominateOnSuccess) {
            nominate(p);
        }
        updateState();
    }

    private void onCheckError(Check c, CandidatePair p, int code) {
        if (code == 487 && p.generation == gen) {
            counters.roleConflicts++;
            if (c.role == role) {
                switchRole(role == IceRole.CONTROLLING ? IceRole.CONTROLLED : IceRole.CONTROLLING);
            }
            p.state = CandidatePair.State.WAITING;
            trigger(p);
            return;
        }
        LOG.debug("check on {} answered {}", p, code);
        if (c.kind == CheckKind.CHECK) {
            pairFailed(p);
        }
    }

    private void pairFailed(CandidatePair p) {
        p.state = CandidatePair.State.FAILED;
        p.nominating = false;
        if (p == nominatingPair) {
            nominatingPair = null;
        }
        maybeNominate();
        updateState();
    }

    // ------------------------------------------------------------------------------------------------ sending

    private boolean sendOnPath(CandidatePair p, ByteBuffer bytes) {
        p.lastSentAt = now;
        return sendFrom(p.local, p.remote.address, bytes);
    }

    private boolean sendFrom(LocalCand local, InetSocketAddress to, ByteBuffer bytes) {
        if (local.relay != null) {
            return local.relay.sendToPeer(now, to, bytes);
        }
        counters.sent(IceStats.Wire.UDP, bytes.remaining());
        transmits.add(new IceTransmit(local.via, to, bytes));
        return true;
    }

    private void respondSuccess(LocalCand local, InetSocketAddress from, Message request, byte[] key) {
        Response r = MessageFactory.createBindingResponse((Request) request, Stun.ta(from));
        setTid(r, request.getTransactionID());
        sendFrom(local, from, Stun.encode(r, key, true));
    }

    private void respondError(LocalCand local, InetSocketAddress from, Message request, int code, String reason,
                              int[] unknown, byte[] key) {
        Response r = MessageFactory.createBindingErrorResponse((char) code, reason);
        if (unknown != null) {
            UnknownAttributesAttribute ua = AttributeFactory.createUnknownAttributesAttribute();
            for (int t : unknown) {
                ua.addAttributeID((char) t);
            }
            r.putAttribute(ua);
        }
        setTid(r, request.getTransactionID());
        sendFrom(local, from, Stun.encode(r, key, true));
    }

    private static void setTid(Message m, byte[] tid) {
        try {
            m.setTransactionID(tid);
        } catch (StunException e) {
            throw new IllegalStateException("12-byte transaction id refused", e);
        }
    }

    /** The priority a peer-reflexive candidate learnt from this check would get (RFC 8445 §7.1.1). */
    private static long prflxPriority(LocalCand l) {
        return IceCandidate.computePriority(IceCandidateType.PRFLX, l.candidate.localPreference(), COMPONENT);
    }

    private ByteBuffer buildCheck(CandidatePair p, byte[] tid, boolean useCandidate) {
        Request r = MessageFactory.createBindingRequest();
        setTid(r, tid);
        r.putAttribute(AttributeFactory.createUsernameAttribute(p.generation.outgoingUsername()));
        r.putAttribute(AttributeFactory.createPriorityAttribute(prflxPriority(p.local)));
        if (role == IceRole.CONTROLLING) {
            r.putAttribute(AttributeFactory.createIceControllingAttribute(tieBreaker));
            if (useCandidate) {
                r.putAttribute(AttributeFactory.createUseCandidateAttribute());
            }
        } else {
            r.putAttribute(AttributeFactory.createIceControlledAttribute(tieBreaker));
        }
        return Stun.encode(r, Stun.shortTermKey(p.generation.remote.pwd()), true);
    }

    private void sendCheck(CandidatePair p, CheckKind kind) {
        boolean useCandidate = role == IceRole.CONTROLLING
                && (kind == CheckKind.CONSENT ? p.nominated
                : (config.nomination() == NominationMode.AGGRESSIVE || p.nominating));
        byte[] tid = Stun.newTransactionId(config.random());
        ByteBuffer bytes = buildCheck(p, tid, useCandidate);
        int max = kind == CheckKind.CONSENT ? Math.min(config.maxCheckTransmissions(), 4) : config.maxCheckTransmissions();
        Check c = new Check(kind, p, null, null, bytes, Stun.shortTermKey(p.generation.remote.pwd()), useCandidate, role, max);
        long active = 0;
        for (CandidatePair q : pairs) {
            if (q.state == CandidatePair.State.WAITING || q.state == CandidatePair.State.IN_PROGRESS) {
                active++;
            }
        }
        // RFC 8445 §14.3: RTO = MAX(500 ms, Ta * (Num-Waiting + Num-In-Progress)); capped by checkRtoMax.
        c.rto = Math.min(config.checkRtoMax().toNanos(), Math.max(config.checkRtoMin().toNanos(), taNanos * active));
        c.firstSentAt = now;
        checks.put(Stun.TxKey.of(tid), c);
        if (kind == CheckKind.CHECK) {
            p.state = CandidatePair.State.IN_PROGRESS;
        }
        transmitCheck(c);
    }

    private void transmitCheck(Check c) {
        c.transmissions++;
        c.lastSentAt = now;
        if (c.transmissions >= c.maxTransmissions) {
            c.deadline = now + (c.kind == CheckKind.GATHER ? 16 * config.stunRto().toNanos() : c.rto);
        } else {
            c.deadline = now + c.rto;
            c.rto = c.kind == CheckKind.GATHER ? c.rto * 2 : Math.min(config.checkRtoMax().toNanos(), c.rto * 2);
        }
        switch (c.kind) {
            case GATHER -> {
                counters.sent(IceStats.Wire.UDP, c.bytes.remaining());
                transmits.add(new IceTransmit(c.socket.id, c.server, c.bytes.duplicate()));
            }
            case CHECK -> {
                counters.checksSent++;
                c.pair.requestsSent++;
                sendOnPath(c.pair, c.bytes.duplicate());
            }
            case CONSENT -> {
                counters.consentChecksSent++;
                c.pair.requestsSent++;
                sendOnPath(c.pair, c.bytes.duplicate());
            }
        }
    }

    private void expireChecks() {
        if (!answered.isEmpty()) {
            answered.values().removeIf(until -> until <= now);
        }
        if (checks.isEmpty()) {
            return;
        }
        List<Map.Entry<Stun.TxKey, Check>> due = null;
        for (Map.Entry<Stun.TxKey, Check> e : checks.entrySet()) {
            if (e.getValue().deadline <= now) {
                if (due == null) {
                    due = new ArrayList<>(2);
                }
                due.add(e);
            }
        }
        if (due == null) {
            return;
        }
        for (Map.Entry<Stun.TxKey, Check> e : due) {
            Check c = e.getValue();
            if (checks.get(e.getKey()) != c) {
                continue;
            }
            if (!c.cancelled && c.transmissions < c.maxTransmissions) {
                transmitCheck(c);
                continue;
            }
            checks.remove(e.getKey());
            if (c.cancelled) {
                continue;
            }
            switch (c.kind) {
                case GATHER -> {
                    pendingGathering--;
                    LOG.warn("STUN server {} did not answer from {}", c.server, c.socket.bound);
                    events.add(new IceEvent.Error(ErrorKind.TIMEOUT, "STUN server " + c.server + " did not answer"));
                    checkGatheringComplete();
                }
                case CHECK -> {
                    if (c.pair.generation == gen && pairs.contains(c.pair) && c.pair.state == CandidatePair.State.IN_PROGRESS) {
                        LOG.debug("check timed out: {}", c.pair);
                        pairFailed(c.pair);
                    }
                }
                case CONSENT -> {
                    // Consent expiry is judged by time since the last answer, not per transaction (RFC 7675 §5.1).
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ check list

    private CandidatePair addPair(LocalCand l, RemoteCand r) {
        if (r.address == null || !IpLiteral.sameFamily(l.base, r.address)) {
            return null;
        }
        for (CandidatePair q : pairs) {
            if (q.local == l && r.address.equals(q.remote.address)) {
                return q;
            }
        }
        CandidatePair p = new CandidatePair(l, r, gen);
        p.computePriority(role);
        String f = p.foundation();
        boolean active = false;
        for (CandidatePair q : pairs) {
            if (q.foundation().equals(f) && q.state != CandidatePair.State.FROZEN && q.state != CandidatePair.State.FAILED) {
                active = true;
                break;
            }
        }
        // RFC 8445 §6.1.2.6: one pair per foundation starts Waiting, the others stay Frozen.
        p.state = active ? CandidatePair.State.FROZEN : CandidatePair.State.WAITING;
        insertSorted(p);
        if (pairs.size() > config.maxCheckListSize()) {
            // RFC 8445 §6.1.2.5: drop the lowest-priority pairs, sparing ones in progress or validated.
            for (int i = pairs.size() - 1; i >= 0 && pairs.size() > config.maxCheckListSize(); i--) {
                CandidatePair q = pairs.get(i);
                if (q.state != CandidatePair.State.IN_PROGRESS && q.state != CandidatePair.State.SUCCEEDED && q != selected) {
                    pairs.remove(i);
                    triggered.remove(q);
                }
            }
            if (!pairs.contains(p)) {
                return null;
            }
        }
        checksStarted = checksStarted || gen.remote != null;
        return p;
    }

    private void insertSorted(CandidatePair p) {
        int i = 0;
        while (i < pairs.size() && pairs.get(i).priority >= p.priority) {
            i++;
        }
        pairs.add(i, p);
    }

    private void reprioritise() {
        for (CandidatePair p : pairs) {
            p.computePriority(role);
        }
        pairs.sort((a, b) -> Long.compare(b.priority, a.priority));
    }

    private void switchRole(IceRole newRole) {
        LOG.debug("role conflict: switching to {}", newRole);
        role = newRole;
        reprioritise();
        if (newRole == IceRole.CONTROLLED) {
            nominatingPair = null;
            for (CandidatePair p : pairs) {
                p.nominating = false;
            }
        }
        events.add(new IceEvent.RoleChanged(newRole));
    }

    private void trigger(CandidatePair p) {
        nextCheckAt = NONE; // re-paced by drive(): a triggered check does not wait for held ordinary checks
        if (!p.inTriggeredQueue) {
            p.inTriggeredQueue = true;
            if (p.nominating) {
                triggered.addFirst(p);
            } else {
                triggered.add(p);
            }
        }
    }

    private CandidatePair findPair(LocalCand l, InetSocketAddress remote) {
        for (CandidatePair p : pairs) {
            if (p.local == l && remote.equals(p.remote.address)) {
                return p;
            }
        }
        return null;
    }

    private RemoteCand findRemote(InetSocketAddress a) {
        for (RemoteCand r : remotes) {
            if (a.equals(r.address)) {
                return r;
            }
        }
        return null;
    }

    /** Sends the next check when the pacing timer allows (RFC 8445 §6.1.4.2: one check per Ta). */
    private void drive() {
        if (closing) {
            return;
        }
        scheduleCheck();
        if (nextCheckAt != NONE && nextCheckAt <= now) {
            nextCheckAt = NONE;
            if (sendNextCheck()) {
                lastCheckSentAt = now;
            }
            scheduleCheck();
        }
    }

    private void scheduleCheck() {
        if (nextCheckAt == NONE && hasCheckWork()) {
            nextCheckAt = lastCheckSentAt == Long.MIN_VALUE ? now : Math.max(now, lastCheckSentAt + taNanos);
            if (triggered.isEmpty() && ordinaryChecksHeld()) {
                nextCheckAt = Math.max(nextCheckAt, ordinaryChecksFrom);
            }
        }
    }

    private boolean hasCheckWork() {
        if (gen.remote == null) {
            return false;
        }
        if (!triggered.isEmpty()) {
            return true;
        }
        return nextOrdinaryPair(false) != null;
    }

    /** Highest-priority Waiting pair (else Frozen one) worth an ordinary check; with a selected pair only better ones. */
    private CandidatePair nextOrdinaryPair(boolean unfreeze) {
        long floor = selected != null && selected.generation == gen ? selected.priority : Long.MIN_VALUE;
        if (role == IceRole.CONTROLLING && nominatingPair != null) {
            floor = Math.max(floor, nominatingPair.priority);
        }
        CandidatePair frozen = null;
        for (CandidatePair p : pairs) {
            if (p.priority <= floor) {
                break;
            }
            if (p.state == CandidatePair.State.WAITING) {
                return p;
            }
            if (frozen == null && p.state == CandidatePair.State.FROZEN) {
                frozen = p;
            }
        }
        if (frozen != null && unfreeze) {
            frozen.state = CandidatePair.State.WAITING;
        }
        return frozen;
    }

    private boolean sendNextCheck() {
        if (gen.remote == null) {
            return false;
        }
        CandidatePair p;
        while ((p = triggered.poll()) != null) {
            p.inTriggeredQueue = false;
            if (p.generation == gen && pairs.contains(p) && p.state != CandidatePair.State.SUCCEEDED) {
                sendCheck(p, CheckKind.CHECK);
                return true;
            }
            if (p.generation == gen && p.nominating && pairs.contains(p)) {
                sendCheck(p, CheckKind.CHECK);
                return true;
            }
        }
        if (ordinaryChecksHeld()) {
            return false;
        }
        p = nextOrdinaryPair(true);
        if (p != null) {
            sendCheck(p, CheckKind.CHECK);
            return true;
        }
        return false;
    }

    private void holdOrdinaryChecks() {
        long d = config.controlledCheckDelay().toNanos();
        ordinaryChecksFrom = role == IceRole.CONTROLLED && d > 0 ? now + d : NONE;
    }

    private boolean ordinaryChecksHeld() {
        return ordinaryChecksFrom != NONE && role == IceRole.CONTROLLED && now < ordinaryChecksFrom;
    }

    // ------------------------------------------------------------------------------------------------ nomination

    /** Regular nomination by the controlling agent (RFC 8445 §8.1.1). */
    private void maybeNominate() {
        if (role != IceRole.CONTROLLING || config.nomination() != NominationMode.REGULAR || nominatingPair != null) {
            return;
        }
        if (selected != null && selected.generation == gen && selected.nominated) {
            return;
        }
        CandidatePair best = null;
        boolean higherPending = false;
        for (CandidatePair p : pairs) {
            if (p.state == CandidatePair.State.SUCCEEDED) {
                best = p;
                break;
            }
            if (p.pending()) {
                higherPending = true;
            }
        }
        if (best == null) {
            return;
        }
        long deadline = firstValidAt + config.nominationDelay().toNanos();
        if (higherPending && now < deadline) {
            nominationAt = deadline;
            return;
        }
        nominationAt = NONE;
        nominatingPair = best;
        best.nominating = true;
        LOG.debug("nominating {}", best);
        trigger(best);
    }

    private void nominate(CandidatePair p) {
        p.nominated = true;
        if (p == nominatingPair) {
            nominatingPair = null;
            p.nominating = false;
        }
        if (selected == null || selected.generation != gen || p.priority > selected.priority) {
            select(p);
        }
    }

    private void select(CandidatePair p) {
        if (selected == p) {
            return;
        }
        selected = p;
        oldSelected = null;
        oldGen = null;
        consentLost = false;
        lastConsentAt = now;
        p.consentAt = now;
        nextConsentAt = now + jitteredConsentInterval();
        if (p.lastSentAt == Long.MIN_VALUE) {
            p.lastSentAt = now;
        }
        if (p.local.relay != null) {
            p.local.relay.bindChannel(now, p.remote.address);
        }
        LOG.debug("selected pair {}", p);
        events.add(new IceEvent.SelectedPairChanged(p.toPublic()));
        // RFC 8445 §8.1.2: once selected, lower-priority Waiting and Frozen pairs are not checked any more.
        for (Iterator<CandidatePair> it = pairs.iterator(); it.hasNext(); ) {
            CandidatePair q = it.next();
            if (q != p && q.priority < p.priority
                    && (q.state == CandidatePair.State.WAITING || q.state == CandidatePair.State.FROZEN)
                    && !q.inTriggeredQueue) {
                it.remove();
            }
        }
        updateState();
    }

    // ------------------------------------------------------------------------------------------------ consent

    private long jitteredConsentInterval() {
        double f = 0.8 + 0.4 * config.random().nextDouble();
        return (long) (config.consentInterval().toNanos() * f);
    }

    private void runConsent() {
        CandidatePair dp = dataPair();
        if (dp == null || consentLost || !config.consentFreshness()) {
            return;
        }
        if (now - lastConsentAt >= config.consentTimeout().toNanos()) {
            consentLost = true;
            nextConsentAt = NONE;
            LOG.warn("consent expired on {}: no answer for {}", dp, config.consentTimeout());
            events.add(new IceEvent.Error(ErrorKind.TIMEOUT, "consent expired: no answer from the peer for " + config.consentTimeout()));
            return;
        }
        if (nextConsentAt <= now) {
            nextConsentAt = now + jitteredConsentInterval();
            if (dp.generation.remote != null) {
                sendCheck(dp, CheckKind.CONSENT);
            }
        }
    }

    private void runKeepalive() {
        CandidatePair dp = dataPair();
        if (dp == null || consentLost) {
            return;
        }
        if (now - dp.lastSentAt >= config.keepaliveInterval().toNanos()) {
            // RFC 8445 §11: a Binding indication, with FINGERPRINT, no authentication.
            Message ind = MessageFactory.createBindingIndication();
            setTid(ind, Stun.newTransactionId(config.random()));
            counters.keepalivesSent++;
            sendOnPath(dp, Stun.encode(ind, null, true));
        }
    }

    // ------------------------------------------------------------------------------------------------ state

    private CandidatePair dataPair() {
        return selected != null ? selected : oldSelected;
    }

    private CandidatePair bestUsablePair() {
        for (CandidatePair p : pairs) {
            if (p.usable()) {
                return p;
            }
        }
        return null;
    }

    private void updateState() {
        if (closing) {
            return;
        }
        IceConnectionState s;
        CandidatePair dp = dataPair();
        if (dp != null || consentLost) {
            failAt = NONE; // only meaningful while nothing is selected
        }
        if (consentLost) {
            s = IceConnectionState.FAILED;
        } else if (dp != null) {
            if (config.consentFreshness() && now - lastConsentAt >= config.disconnectedTimeout().toNanos()) {
                s = IceConnectionState.DISCONNECTED;
            } else if (dp == selected && completed()) {
                s = IceConnectionState.COMPLETED;
            } else {
                s = IceConnectionState.CONNECTED;
            }
        } else if (failedNow()) {
            s = IceConnectionState.FAILED;
        } else if (checksStarted) {
            s = IceConnectionState.CHECKING;
        } else {
            s = IceConnectionState.NEW;
        }
        setState(s);
    }

    private boolean completed() {
        if (gatheringState != IceGatheringState.COMPLETE || !remoteEndOfCandidates || !triggered.isEmpty()) {
            return false;
        }
        for (CandidatePair p : pairs) {
            if (p.pending()) {
                return false;
            }
        }
        return true;
    }

    /** Every pair failed, both sides finished gathering, and no unresolved mDNS candidate may still check in. */
    private boolean failedNow() {
        if (gen.remote == null || !remoteEndOfCandidates || gatheringState != IceGatheringState.COMPLETE
                || !triggered.isEmpty()) {
            failAt = NONE;
            return false;
        }
        for (CandidatePair p : pairs) {
            if (p.pending() || p.state == CandidatePair.State.SUCCEEDED) {
                failAt = NONE;
                return false;
            }
        }
        boolean unresolved = false;
        for (RemoteCand r : remotes) {
            if (r.address == null) {
                unresolved = true;
                break;
            }
        }
        if (!unresolved) {
            return true;
        }
        // The peer's checks from an mDNS-named candidate may still arrive: wait one full check timeout.
        long grace = endOfCandidatesAt + checkTimeoutNanos();
        if (now >= grace) {
            return true;
        }
        failAt = grace;
        return false;
    }

    private long checkTimeoutNanos() {
        long total = 0;
        long rto = config.checkRtoMin().toNanos();
        for (int i = 0; i < config.maxCheckTransmissions(); i++) {
            total += rto;
            rto = Math.min(config.checkRtoMax().toNanos(), rto * 2);
        }
        return total;
    }

    private void setState(IceConnectionState s) {
        if (state != s) {
            LOG.debug("ICE state {} -> {}", state, s);
            state = s;
            events.add(new IceEvent.ConnectionStateChanged(s));
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private void advance(long t) {
        if (t > now) {
            now = t;
        }
    }

    private void requireOpen() {
        if (closing) {
            throw new IllegalStateException("the ICE agent is closed");
        }
    }

    private UdpSocket findSocket(SocketId id) {
        for (UdpSocket s : sockets) {
            if (s.id.equals(id)) {
                return s;
            }
        }
        return null;
    }

    private StreamConn findStream(SocketId id) {
        for (StreamConn c : streams) {
            if (c.id.equals(id)) {
                return c;
            }
        }
        return null;
    }

    private static byte[] toArray(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.duplicate().get(a);
        return a;
    }

    private static long saturatedAdd(long a, long b) {
        if (a == Long.MIN_VALUE) {
            return NONE;
        }
        long r = a + b;
        return r < a ? NONE : r;
    }

    private static InetAddress ipv4Any() {
        try {
            return InetAddress.getByAddress(new byte[4]);
        } catch (java.net.UnknownHostException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @Override
    public String toString() {
        return "IceAgent[" + gen.local.ufrag() + ", " + role + ", " + state + ", " + pairs.size() + " pairs]";
    }
}
