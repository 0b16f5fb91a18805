package io.jrtc.ice.internal;

import io.jrtc.common.DatagramCore;
import io.jrtc.common.ErrorKind;
import io.jrtc.common.Timer;
import io.jrtc.ice.IceCandidate;
import io.jrtc.ice.IceCandidatePair;
import io.jrtc.ice.IceConfig;
import io.jrtc.ice.IceConnectionState;
import io.jrtc.ice.IceCredentials;
import io.jrtc.ice.IceDropReason;
import io.jrtc.ice.IceEvent;
import io.jrtc.ice.IceGatheringState;
import io.jrtc.ice.IceProtocol;
import io.jrtc.ice.IceRole;
import io.jrtc.ice.IceStats;
import io.jrtc.ice.IceTransmit;
import io.jrtc.ice.IceTransportPolicy;
import io.jrtc.ice.SocketId;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ice4j.StunException;
import org.ice4j.message.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state of one sans-IO ICE agent and its inputs, behind the {@code io.jrtc.ice.IceAgent} façade. It holds what
 * every concern shares (configuration, clock, role, credential generations, output queues, the agent's
 * {@link AgentPhase} and connection state) and hands each input to the concern that owns it:
 * {@link Gathering} (sockets, servers, TURN allocations, local candidates), {@link StunTransactions} (outstanding
 * Binding transactions, retransmissions, answers), {@link Binding} (received STUN and data on a path),
 * {@link CheckList} (pairs, states, triggered queue, pacing), {@link Nomination} (selected pair) and
 * {@link Consent} (consent freshness and keepalives). Single-threaded, like the façade.
 */
public final class AgentCore {

    // Deadline-only timers (never backed off); the specs are shared, each timer holds its own state.
    private static final Timer.Spec END_OF_CANDIDATES_TIMER = Timer.Spec.fixed("end-of-candidates");
    private static final Timer.Spec CLOSE_TIMER = Timer.Spec.fixed("close");
    private static final Timer.Spec FAIL_TIMER = Timer.Spec.fixed("fail");

    static final Logger LOG = LoggerFactory.getLogger("io.jrtc.ice.IceAgent");

    /** WebRTC uses a single component (RTP and RTCP multiplexed, everything bundled). */
    static final int COMPONENT = 1;
    static final long NONE = DatagramCore.NO_TIMEOUT;

    final IceConfig config;
    final long taNanos;
    final long tieBreaker;
    final Counters counters = new Counters();

    IceRole role = IceRole.CONTROLLING;
    long now = Long.MIN_VALUE;
    Generation gen;
    Generation oldGen;
    private IceCredentials stagedRemote;

    AgentPhase phase = AgentPhase.RUNNING;
    private IceConnectionState state = IceConnectionState.NEW;
    /** Running from the peer's end-of-candidates until one full check timeout later (the mDNS grace period). */
    final Timer endOfCandidates = new Timer(END_OF_CANDIDATES_TIMER);
    /**
     * When the agent fails if nothing changed: armed only in the mDNS grace period, while nothing is selected.
     * Null when not running, like the close timer before {@code close}: an idle agent keeps only the timers it uses.
     */
    private Timer failAt;
    private Timer closeTimer;

    final ArrayDeque<IceTransmit> transmits = new ArrayDeque<>(8);
    final ArrayDeque<IceEvent> events = new ArrayDeque<>(8);

    final Gathering gathering;
    final StunTransactions transactions;
    final Binding binding;
    final CheckList checkList;
    final Nomination nomination;
    final Consent consent;

    public AgentCore(IceConfig config, IceCredentials localCredentials) {
        this.config = config;
        this.taNanos = config.ta().toNanos();
        this.tieBreaker = config.random().nextLong();
        this.gen = new Generation(0, localCredentials, null);
        this.gathering = new Gathering(this);
        this.transactions = new StunTransactions(this);
        this.binding = new Binding(this);
        this.checkList = new CheckList(this);
        this.nomination = new Nomination(this);
        this.consent = new Consent(this);
    }

    /** Starts {@code t} so that it expires at {@code deadline}. */
    void startUntil(Timer t, long deadline) {
        t.start(now, deadline - now);
    }

    // ------------------------------------------------------------------------------------------------ accessors

    public IceConfig config() {
        return config;
    }

    public IceCredentials localCredentials() {
        return gen.local;
    }

    public Optional<IceCredentials> remoteCredentials() {
        return Optional.ofNullable(gen.remote);
    }

    public IceRole role() {
        return role;
    }

    public long tieBreaker() {
        return tieBreaker;
    }

    public IceConnectionState connectionState() {
        return state;
    }

    public IceGatheringState gatheringState() {
        return gathering.state;
    }

    public Optional<IceCandidatePair> selectedPair() {
        CandidatePair p = nomination.dataPair();
        return p == null ? Optional.empty() : Optional.of(p.toPublic());
    }

    public List<IceCandidate> localCandidates() {
        List<IceCandidate> out = new ArrayList<>(gathering.locals.size());
        for (LocalCand l : gathering.locals) {
            out.add(l.candidate);
        }
        return out;
    }

    public List<IceCandidate> remoteCandidates() {
        List<IceCandidate> out = new ArrayList<>(checkList.remotes.size());
        for (RemoteCand r : checkList.remotes) {
            out.add(r.candidate);
        }
        return out;
    }

    public boolean isClosed() {
        return phase == AgentPhase.CLOSED;
    }

    // ------------------------------------------------------------------------------------------------ inputs

    public void addLocalSocket(long now, SocketId id, InetSocketAddress bound, IceProtocol protocol) {
        advance(now);
        requireOpen();
        gathering.addLocalSocket(id, bound, protocol);
    }

    public void startGathering(long now) {
        advance(now);
        requireOpen();
        gathering.start();
    }

    public void hostResolved(long now, String host, List<InetAddress> addresses) {
        advance(now);
        gathering.hostResolved(host, addresses);
    }

    public void streamConnected(long now, SocketId id, InetSocketAddress local) {
        advance(now);
        gathering.streamConnected(id, local);
    }

    public void streamClosed(long now, SocketId id, String reason) {
        advance(now);
        gathering.streamClosed(id, reason);
    }

    public void setRemoteCredentials(long now, IceCredentials remote) {
        advance(now);
        requireOpen();
        if (remote == null) {
            throw new IllegalArgumentException("remote credentials are required");
        }
        if (gen.remote == null) {
            gen.remote = remote;
            checkList.holdOrdinaryChecks();
            for (CandidatePair p : checkList.pairs) {
                // Triggered checks for requests that arrived before the answer (RFC 8445 §7.3).
                if (p.requestReceived && p.state != CandidatePair.State.SUCCEEDED) {
                    checkList.trigger(p);
                }
            }
        } else if (!gen.remote.equals(remote)) {
            stagedRemote = remote;
        }
        updateState();
        drive();
    }

    public void addRemoteCandidate(long now, IceCandidate candidate) {
        advance(now);
        requireOpen();
        checkList.addRemoteCandidate(candidate);
    }

    public void endOfRemoteCandidates(long now) {
        advance(now);
        requireOpen();
        if (!endOfCandidates.isRunning()) {
            endOfCandidates.start(this.now, checkTimeoutNanos());
        }
        updateState();
        drive();
    }

    public void setRole(IceRole newRole) {
        requireOpen();
        if (newRole == null) {
            throw new IllegalArgumentException("role is required");
        }
        if (newRole != role) {
            role = newRole;
            checkList.reprioritise();
            events.add(new IceEvent.RoleChanged(role));
        }
    }

    public void restart(long now, IceCredentials newLocal) {
        advance(now);
        requireOpen();
        if (newLocal == null || newLocal.equals(gen.local)) {
            throw new IllegalArgumentException("a restart needs new local credentials");
        }
        CandidatePair keep = phase == AgentPhase.CONSENT_LOST ? null : nomination.dataPair();
        nomination.restart(keep);
        oldGen = keep == null ? null : keep.generation;
        gen = new Generation(gen.number + 1, newLocal, stagedRemote);
        stagedRemote = null;
        transactions.restart(keep);
        checkList.restart();
        endOfCandidates.stop();
        failAt = null;
        if (phase == AgentPhase.CONSENT_LOST) {
            phase = AgentPhase.RUNNING;
        }
        if (keep == null) {
            consent.stop();
        }
        LOG.debug("ICE restart: generation {}, ufrag {}", gen.number, newLocal.ufrag());
        gathering.restart();
        updateState();
        drive();
    }

    /** Inside {@link #handleInputLent}: application data may be a view of the caller's buffer. */
    boolean lentInput;

    public void handleInputLent(long now, SocketId via, InetSocketAddress from, ByteBuffer data) {
        lentInput = true;
        try {
            handleInput(now, via, from, data);
        } finally {
            lentInput = false;
        }
    }

    public void handleInput(long now, SocketId via, InetSocketAddress from, ByteBuffer data) {
        advance(now);
        if (phase == AgentPhase.CLOSED) {
            counters.drop(IceDropReason.CLOSED);
            return;
        }
        gathering.handleInput(via, from, data);
    }

    public void handleTimeout(long now) {
        advance(now);
        if (phase == AgentPhase.CLOSED) {
            return;
        }
        if (phase == AgentPhase.CLOSING) {
            gathering.timeoutTurns(false);
            if (phase != AgentPhase.CLOSED && closeTimer.expired(this.now)) {
                LOG.debug("close: {} TURN deallocation(s) unanswered after {}", gathering.pendingDeallocations,
                        config.closeTimeout());
                gathering.abandonTurns();
                finishClose();
            }
            return;
        }
        transactions.expire();
        gathering.timeoutTurns(true);
        nomination.handleTimeout();
        consent.run();
        consent.runKeepalive();
        updateState();
        drive();
    }

    public Optional<IceTransmit> pollTransmit() {
        return Optional.ofNullable(transmits.poll());
    }

    public Optional<IceEvent> pollEvent() {
        return Optional.ofNullable(events.poll());
    }

    public long pollTimeout() {
        if (phase == AgentPhase.CLOSED) {
            return NONE;
        }
        long next = gathering.turnDeadline();
        if (phase == AgentPhase.CLOSING) {
            return Math.min(next, closeTimer.deadline());
        }
        next = Math.min(next, checkList.pacingDeadline());
        next = Math.min(next, transactions.deadline());
        next = Math.min(next, nomination.deadline());
        next = Math.min(next, consent.deadline(state));
        if (failAt != null && state != IceConnectionState.FAILED) {
            next = Math.min(next, failAt.deadline());
        }
        return next;
    }

    public boolean send(long now, ByteBuffer data, boolean owned) {
        advance(now);
        requireOpen();
        if (phase == AgentPhase.CONSENT_LOST) {
            counters.drop(IceDropReason.CONSENT_EXPIRED);
            return false;
        }
        CandidatePair p = nomination.dataPair();
        if (p == null) {
            p = checkList.bestUsablePair();
        }
        if (p == null) {
            counters.drop(IceDropReason.NO_PAIR);
            return false;
        }
        int n = data.remaining();
        ByteBuffer bytes;
        if (owned) {
            bytes = data.slice();
        } else {
            bytes = ByteBuffer.allocate(n);
            bytes.put(data.duplicate()).flip();
        }
        p.packetsSent++;
        p.bytesSent += n;
        return sendOnPath(p, bytes);
    }

    public void close(long now) {
        advance(now);
        if (phase.closing()) {
            return;
        }
        phase = AgentPhase.CLOSING;
        closeTimer = new Timer(CLOSE_TIMER);
        closeTimer.start(this.now, config.closeTimeout().toNanos());
        transactions.clear();
        checkList.close();
        nomination.close();
        consent.stop();
        setState(IceConnectionState.CLOSED);
        gathering.close();
    }

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
        List<IceStats.PairStats> pairStats = new ArrayList<>(checkList.pairs.size() + 1);
        if (nomination.oldSelected != null) {
            pairStats.add(nomination.oldSelected.stats());
        }
        for (CandidatePair p : checkList.pairs) {
            pairStats.add(p.stats());
        }
        CandidatePair dp = nomination.dataPair();
        return new IceStats(state, role, dp == null ? null : dp.toPublic(), dp == null ? -1 : dp.rttNanos,
                Map.copyOf(traffic), List.copyOf(pairStats), counters.checksSent, counters.checksReceived,
                counters.consentChecksSent, counters.keepalivesSent, counters.roleConflicts, Map.copyOf(drops),
                counters.redundantCandidates, counters.turnStats());
    }

    // ------------------------------------------------------------------------------------------------ shared

    /** Sends the next check when the pacing timer allows. */
    void drive() {
        checkList.drive();
    }

    void finishClose() {
        gathering.closeStreams();
        phase = AgentPhase.CLOSED;
    }

    boolean sendOnPath(CandidatePair p, ByteBuffer bytes) {
        p.lastSentAt = now;
        return sendFrom(p.local, p.remote.address, bytes);
    }

    boolean sendFrom(LocalCand local, InetSocketAddress to, ByteBuffer bytes) {
        if (local.relay != null) {
            return local.relay.sendToPeer(now, to, bytes);
        }
        counters.sent(IceStats.Wire.UDP, bytes.remaining());
        transmits.add(new IceTransmit(local.via, to, bytes));
        return true;
    }

    void error(ErrorKind kind, String message) {
        events.add(new IceEvent.Error(kind, message));
    }

    boolean relayPolicy() {
        return config.policy() == IceTransportPolicy.RELAY;
    }

    // ------------------------------------------------------------------------------------------------ state

    void updateState() {
        if (phase.closing()) {
            return;
        }
        IceConnectionState s;
        CandidatePair dp = nomination.dataPair();
        boolean consentLost = phase == AgentPhase.CONSENT_LOST;
        if (dp != null || consentLost) {
            failAt = null; // only meaningful while nothing is selected
        }
        if (consentLost) {
            s = IceConnectionState.FAILED;
        } else if (dp != null) {
            if (config.consentFreshness() && consent.disconnected()) {
                s = IceConnectionState.DISCONNECTED;
            } else if (dp == nomination.selected && completed()) {
                s = IceConnectionState.COMPLETED;
            } else {
                s = IceConnectionState.CONNECTED;
            }
        } else if (failedNow()) {
            s = IceConnectionState.FAILED;
        } else if (checkList.checksStarted) {
            s = IceConnectionState.CHECKING;
        } else {
            s = IceConnectionState.NEW;
        }
        setState(s);
    }

    private boolean completed() {
        if (gathering.state != IceGatheringState.COMPLETE || !endOfCandidates.isRunning()
                || !checkList.triggered.isEmpty()) {
            return false;
        }
        for (CandidatePair p : checkList.pairs) {
            if (p.pending()) {
                return false;
            }
        }
        return true;
    }

    /** Every pair failed, both sides finished gathering, and no unresolved mDNS candidate may still check in. */
    private boolean failedNow() {
        if (gen.remote == null || !endOfCandidates.isRunning() || gathering.state != IceGatheringState.COMPLETE
                || !checkList.triggered.isEmpty()) {
            failAt = null;
            return false;
        }
        for (CandidatePair p : checkList.pairs) {
            if (p.pending() || p.state == CandidatePair.State.SUCCEEDED) {
                failAt = null;
                return false;
            }
        }
        boolean unresolved = false;
        for (RemoteCand r : checkList.remotes) {
            if (r.address == null) {
                unresolved = true;
                break;
            }
        }
        if (!unresolved) {
            return true;
        }
        // The peer's checks from an mDNS-named candidate may still arrive: wait one full check timeout.
        long grace = endOfCandidates.deadline();
        if (now >= grace) {
            return true;
        }
        if (failAt == null) {
            failAt = new Timer(FAIL_TIMER);
        }
        startUntil(failAt, grace);
        return false;
    }

    long checkTimeoutNanos() {
        long total = 0;
        long rto = config.checkRtoMin().toNanos();
        for (int i = 0; i < config.maxCheckTransmissions(); i++) {
            total += rto;
            rto = Math.min(config.checkRtoMax().toNanos(), rto * 2);
        }
        return total;
    }

    void setState(IceConnectionState s) {
        if (state != s) {
            LOG.debug("ICE state {} -> {}", state, s);
            state = s;
            events.add(new IceEvent.ConnectionStateChanged(s));
        }
    }

    IceConnectionState state() {
        return state;
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private void advance(long t) {
        if (t > now) {
            now = t;
        }
    }

    private void requireOpen() {
        if (phase.closing()) {
            throw new IllegalStateException("the ICE agent is closed");
        }
    }

    static byte[] toArray(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.duplicate().get(a);
        return a;
    }

    static void setTid(Message m, byte[] tid) {
        try {
            m.setTransactionID(tid);
        } catch (StunException e) {
            throw new IllegalStateException("12-byte transaction id refused", e);
        }
    }

    @Override
    public String toString() {
        return "IceAgent[" + gen.local.ufrag() + ", " + role + ", " + state + ", " + checkList.pairs.size() + " pairs]";
    }
}
