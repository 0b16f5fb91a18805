package io.jrtc.ice.internal;

import static io.jrtc.ice.internal.AgentCore.COMPONENT;
import static io.jrtc.ice.internal.AgentCore.LOG;

import io.jrtc.common.ErrorKind;
import io.jrtc.ice.IceCandidate;
import io.jrtc.ice.IceCandidateType;
import io.jrtc.ice.IceDropReason;
import io.jrtc.ice.IceEvent;
import io.jrtc.ice.IceGatheringState;
import io.jrtc.ice.IceProtocol;
import io.jrtc.ice.IceServer;
import io.jrtc.ice.IceStats;
import io.jrtc.ice.IceTransmit;
import io.jrtc.ice.IceTransportPolicy;
import io.jrtc.ice.SocketId;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Gathering (RFC 8445 §5.1): the local UDP sockets the edge bound, the STUN and TURN servers to reach from them,
 * TURN streams over TCP/TLS, and the local candidates they give: host, server-reflexive (§5.1.1.1, redundancy
 * §5.1.3) and relay (RFC 8656, through {@link TurnClient}). Also the first step of every received datagram:
 * which socket or stream it came on, and whether a TURN server sent it.
 */
final class Gathering {

    private static final int MAX_STREAM_BUFFER = 256 * 1024;
    private static final InetSocketAddress HIDDEN_RELATED = new InetSocketAddress(ipv4Any(), 0);

    /** A local UDP socket bound by the edge. */
    static final class UdpSocket {
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

    /** A TCP or TLS stream to a TURN server, opened by the edge on request. */
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

    private final AgentCore a;
    private final List<Target> targets = new ArrayList<>(2);
    private final List<UdpSocket> sockets = new ArrayList<>(2);
    // The lists and the map below stay empty and immutable until something is added (most agents have no TURN stream).
    private List<StreamConn> streams = List.of();
    private int nextStreamIndex;
    private List<TurnClient> turns = List.of();
    final List<LocalCand> locals = new ArrayList<>(4);
    private Map<String, List<Target>> pendingResolves = Map.of();
    private final TurnClient.Host turnHost = new TurnHost();

    IceGatheringState state = IceGatheringState.NEW;
    /** Outstanding gathering work: resolutions, STUN transactions, TURN allocations. */
    int pending;
    int pendingDeallocations;

    Gathering(AgentCore a) {
        this.a = a;
        for (IceServer s : a.config.servers()) {
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

    private boolean started() {
        return state != IceGatheringState.NEW;
    }

    // ------------------------------------------------------------------------------------------------ inputs

    void addLocalSocket(SocketId id, InetSocketAddress bound, IceProtocol protocol) {
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
        if (started()) {
            gatherOnSocket(s);
            checkComplete();
            a.drive();
        }
    }

    void start() {
        if (started()) {
            return;
        }
        setState(IceGatheringState.GATHERING);
        for (Target t : targets) {
            if (t.address == null) {
                if (pendingResolves.isEmpty()) {
                    pendingResolves = new HashMap<>(2);
                }
                pendingResolves.computeIfAbsent(t.url.host(), h -> {
                    pending++;
                    a.events.add(new IceEvent.ResolveHost(h));
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
        checkComplete();
        a.drive();
    }

    void hostResolved(String host, List<InetAddress> addresses) {
        if (a.phase.closing()) {
            return;
        }
        List<Target> waiting = pendingResolves.isEmpty() ? null : pendingResolves.remove(host);
        if (waiting == null) {
            return;
        }
        pending--;
        for (Target t : waiting) {
            InetAddress pick = null;
            for (InetAddress addr : addresses) {
                if (pick == null || (addr instanceof java.net.Inet4Address && !(pick instanceof java.net.Inet4Address))) {
                    pick = addr;
                }
            }
            if (pick == null) {
                t.resolutionFailed = true;
                LOG.warn("ICE server {}: could not resolve {}", t.url, host);
                a.error(ErrorKind.TIMEOUT, "could not resolve " + host + " for " + t.url);
                continue;
            }
            t.address = new InetSocketAddress(pick, t.url.port());
            for (UdpSocket s : sockets) {
                gatherTargetOnSocket(t, s);
            }
            gatherStream(t);
        }
        checkComplete();
        a.drive();
    }

    void streamConnected(SocketId id, InetSocketAddress local) {
        StreamConn c = findStream(id);
        if (c == null || c.closed || c.open || a.phase.closing()) {
            return;
        }
        c.open = true;
        c.local = local;
        c.turn.start(a.now);
        a.drive();
    }

    void streamClosed(SocketId id, String reason) {
        StreamConn c = findStream(id);
        if (c == null || c.closed) {
            return;
        }
        c.closed = true;
        c.open = false;
        if (a.phase.closing()) {
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
            a.counters.turnAllocationFailures++;
            pending--;
            a.error(ErrorKind.TIMEOUT, "TURN " + c.target.url + ": stream closed: " + reason);
            checkComplete();
        } else if (st == TurnClient.State.ALLOCATED) {
            relayLost(c.turn, "stream closed: " + reason);
        }
        a.updateState();
        a.drive();
    }

    /** After the CLOSED check: which socket or stream, TURN server or not, then {@link Binding} for a path. */
    void handleInput(SocketId via, InetSocketAddress from, ByteBuffer data) {
        int n = data.remaining();
        if (via.isStream()) {
            StreamConn c = findStream(via);
            if (c == null || c.closed) {
                a.counters.drop(IceDropReason.UNKNOWN_SOCKET);
                return;
            }
            a.counters.received(c.wire, n);
            boolean ok = c.framer.append(data, frame -> {
                if (!c.turn.handleServerMessage(a.now, frame)) {
                    a.counters.drop(IceDropReason.UNKNOWN_TRANSACTION);
                }
            });
            if (!ok) {
                a.counters.drop(IceDropReason.MALFORMED);
                LOG.warn("TURN {}: stream {} out of sync, closing it", c.target.url, via);
                a.events.add(new IceEvent.CloseStream(via));
                streamClosed(via, "stream out of sync");
            }
            a.drive();
            return;
        }
        UdpSocket s = findSocket(via);
        if (s == null) {
            a.counters.drop(IceDropReason.UNKNOWN_SOCKET);
            return;
        }
        a.counters.received(IceStats.Wire.UDP, n);
        if (!turns.isEmpty()) { // the data path without TURN does not even iterate
            for (int i = 0; i < turns.size(); i++) {
                TurnClient t = turns.get(i);
                if (t.via().equals(via) && t.server().equals(from)) {
                    if (t.handleServerMessage(a.now, data)) {
                        a.drive();
                        return;
                    }
                    break;
                }
            }
        }
        if (a.phase.closing()) {
            a.counters.drop(IceDropReason.CLOSED);
            return;
        }
        if (s.host == null) {
            // Policy RELAY (or gathering not started): only our own gathering transactions may answer here.
            byte[] msg = AgentCore.toArray(data);
            if (StunScan.looksLikeStun(msg, 0, msg.length) && a.transactions.handleGatherResponseIfAny(s, from, msg)) {
                a.drive();
                return;
            }
            a.counters.drop(a.relayPolicy() ? IceDropReason.NON_RELAY_PATH : IceDropReason.UNKNOWN_SOURCE);
            return;
        }
        a.binding.handleFromPath(s.host, from, data);
        a.drive();
    }

    /** TURN timers: all of them while closing ({@code onlyDue} false), else those due. */
    void timeoutTurns(boolean onlyDue) {
        for (TurnClient t : new ArrayList<>(turns)) {
            if (!onlyDue || t.nextDeadline() <= a.now) {
                t.handleTimeout(a.now);
            }
        }
    }

    long turnDeadline() {
        long next = AgentCore.NONE;
        for (TurnClient t : turns) {
            next = Math.min(next, t.nextDeadline());
        }
        return next;
    }

    void abandonTurns() {
        for (TurnClient t : turns) {
            t.abandon();
        }
    }

    /** ICE restart: local candidates are announced again (same sockets and allocations). */
    void restart() {
        if (started()) {
            setState(IceGatheringState.GATHERING);
            for (LocalCand l : locals) {
                a.events.add(new IceEvent.LocalCandidate(l.candidate));
            }
            checkComplete();
        }
    }

    /** Releases TURN allocations (RFC 8656 §7.4); the agent is CLOSED once they are answered or abandoned. */
    void close() {
        for (TurnClient t : new ArrayList<>(turns)) {
            if (t.state() == TurnClient.State.ALLOCATED) {
                pendingDeallocations++;
                t.deallocate(a.now);
            } else {
                t.abandon();
            }
        }
        if (pendingDeallocations == 0) {
            a.finishClose();
        }
    }

    void closeStreams() {
        for (StreamConn c : streams) {
            if (!c.closed) {
                c.closed = true;
                a.events.add(new IceEvent.CloseStream(c.id));
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ gathering

    private void gatherOnSocket(UdpSocket s) {
        if (a.config.policy() == IceTransportPolicy.ALL && s.host == null) {
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
            if (a.config.policy() != IceTransportPolicy.ALL) {
                return;
            }
            pending++;
            a.transactions.startGather(s, t.address);
        } else if (t.url.scheme() == IceServer.Scheme.TURN) {
            TurnClient tc = new TurnClient(turnHost, s.id, t.address, false, t.server.username(), t.server.credential(),
                    a.config, a.counters, t.url.toString());
            addTurn(tc);
            pending++;
            tc.start(a.now);
        }
    }

    private void gatherStream(Target t) {
        if (t.url.transport() == IceServer.ServerTransport.UDP) {
            return;
        }
        if (t.url.scheme() != IceServer.Scheme.TURN && t.url.scheme() != IceServer.Scheme.TURNS) {
            LOG.warn("ICE server {}: STUN over TCP/TLS is not supported; ignored", t.url);
            a.error(ErrorKind.UNSUPPORTED, "STUN over TCP/TLS is not supported: " + t.url);
            return;
        }
        SocketId id = SocketId.stream(nextStreamIndex++);
        StreamConn c = new StreamConn(id, t);
        c.turn = new TurnClient(turnHost, id, t.address, true, t.server.username(), t.server.credential(), a.config,
                a.counters, t.url.toString());
        if (streams.isEmpty()) {
            streams = new ArrayList<>(1);
        }
        streams.add(c);
        addTurn(c.turn);
        pending++;
        boolean literal = IpLiteral.parse(t.url.host()) != null;
        a.events.add(new IceEvent.OpenStream(id, t.address, c.wire == IceStats.Wire.TLS, literal ? null : t.url.host()));
    }

    private void addLocal(LocalCand l) {
        locals.add(l);
        a.events.add(new IceEvent.LocalCandidate(l.candidate));
        if (l.pairable()) {
            a.checkList.pairWithRemotes(l);
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

    void addServerReflexive(UdpSocket s, InetSocketAddress mapped, InetSocketAddress server) {
        if (a.config.policy() != IceTransportPolicy.ALL || s.host == null) {
            return;
        }
        if (redundantSrflx(mapped, s.bound)) {
            a.counters.redundantCandidates++;
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

    private void addTurn(TurnClient t) {
        if (turns.isEmpty()) {
            turns = new ArrayList<>(1);
        }
        turns.add(t);
    }

    /** A gathering transaction ended (answered, refused or timed out). */
    void gatherDone() {
        pending--;
        checkComplete();
    }

    void checkComplete() {
        if (started() && pending <= 0 && state == IceGatheringState.GATHERING) {
            setState(IceGatheringState.COMPLETE);
            a.updateState();
        }
    }

    private void setState(IceGatheringState s) {
        if (state != s) {
            state = s;
            a.events.add(new IceEvent.GatheringStateChanged(s));
        }
    }

    // ------------------------------------------------------------------------------------------------ TURN

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
            a.counters.sent(wire, data.remaining());
            a.transmits.add(new IceTransmit(client.via(), client.server(), data));
        }

        @Override
        public void allocated(TurnClient client, long at) {
            pending--;
            onRelayAllocated(client);
            checkComplete();
        }

        @Override
        public void failed(TurnClient client, long at, ErrorKind kind, String message) {
            a.error(kind, "TURN " + client.label() + ": " + message);
            if (relayCandidateOf(client) == null) {
                pending--;
                checkComplete();
            } else {
                relayLost(client, message);
            }
            StreamConn c = client.isStream() ? findStream(client.via()) : null;
            if (c != null && !c.closed) {
                c.closed = true;
                a.events.add(new IceEvent.CloseStream(c.id));
            }
            a.updateState();
        }

        @Override
        public void peerData(TurnClient client, long at, InetSocketAddress peer, ByteBuffer data) {
            LocalCand relay = relayCandidateOf(client);
            if (relay == null) {
                a.counters.drop(IceDropReason.UNKNOWN_SOURCE);
                return;
            }
            a.binding.handleFromPath(relay, peer, data);
        }

        @Override
        public void closed(TurnClient client, long at) {
            if (a.phase.closing()) {
                StreamConn c = client.isStream() ? findStream(client.via()) : null;
                if (c != null && !c.closed) {
                    c.closed = true;
                    a.events.add(new IceEvent.CloseStream(c.id));
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
        boolean hide = a.relayPolicy() || mapped == null;
        InetSocketAddress related = hide ? HIDDEN_RELATED : mapped;
        IceCandidate c = new IceCandidate(
                IceCandidate.computeFoundation(IceCandidateType.RELAY, baseIp, IpLiteral.text(t.server().getAddress()) + "/" + st, IceProtocol.UDP),
                COMPONENT, IceProtocol.UDP, IceCandidate.computePriority(IceCandidateType.RELAY, localPref, COMPONENT),
                IpLiteral.text(relayed.getAddress()), relayed.getPort(), IceCandidateType.RELAY,
                IpLiteral.text(related.getAddress()), related.getPort(), null);
        addLocal(new LocalCand(c, t.via(), relayed, t, wire));
        a.drive();
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
        a.checkList.removeLocal(l);
        a.transactions.removeLocal(l);
        a.nomination.relayLost(l, why);
    }

    private void deallocationDone() {
        pendingDeallocations--;
        if (pendingDeallocations <= 0 && a.phase != AgentPhase.CLOSED) {
            a.finishClose();
        }
    }

    // ------------------------------------------------------------------------------------------------ lookups

    UdpSocket findSocket(SocketId id) {
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

    private static InetAddress ipv4Any() {
        try {
            return InetAddress.getByAddress(new byte[4]);
        } catch (java.net.UnknownHostException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
