package io.jrtc.ice.internal;

import static io.jrtc.ice.internal.AgentCore.COMPONENT;
import static io.jrtc.ice.internal.AgentCore.LOG;
import static io.jrtc.ice.internal.AgentCore.setTid;

import io.jrtc.common.ErrorKind;
import io.jrtc.common.Timer;
import io.jrtc.ice.IceCandidate;
import io.jrtc.ice.IceCandidateType;
import io.jrtc.ice.IceDropReason;
import io.jrtc.ice.IceRole;
import io.jrtc.ice.IceStats;
import io.jrtc.ice.IceTransmit;
import io.jrtc.ice.NominationMode;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.ice4j.attribute.Attribute;
import org.ice4j.attribute.AttributeFactory;
import org.ice4j.attribute.UnknownAttributesAttribute;
import org.ice4j.message.Message;
import org.ice4j.message.MessageFactory;
import org.ice4j.message.Request;
import org.ice4j.message.Response;

/**
 * The agent's own STUN Binding transactions (RFC 8489 §6): connectivity checks (RFC 8445 §7.2), consent checks
 * (RFC 7675) and gathering requests to STUN servers, with their retransmission schedule (RTO doubling, Rc, Rm) and
 * the answers to ignore after a retransmission; plus the Binding answers the agent sends. TURN transactions live
 * in {@link TurnClient}.
 */
final class StunTransactions {

    enum Kind { CHECK, CONSENT, GATHER }

    /**
     * The spec every transaction's retransmission timer shares. FIXED: the schedule's arithmetic (RTO doubling,
     * the check cap, the gathering request's final 16 * RTO wait) stays in {@link #transmit}, which restarts the
     * timer with each wait, because {@link Timer}'s backoff doubles before the wait it restarts and has no
     * different last wait.
     */
    static final Timer.Spec RETRANSMIT = Timer.Spec.fixed("stun-retransmit");

    /** An outstanding transaction. */
    static final class Check {
        final Kind kind;
        final CandidatePair pair;
        final Gathering.UdpSocket socket;
        final InetSocketAddress server;
        final ByteBuffer bytes;
        final byte[] responseKey;
        final boolean useCandidate;
        final IceRole role;
        final int maxTransmissions;
        long firstSentAt;
        long lastSentAt;
        /** When the next retransmission is due, or when the transaction times out after its last one. */
        final Timer retransmit = new Timer(RETRANSMIT);
        /** The wait after the next transmission (already doubled after each transmission but the last). */
        long rto;
        int transmissions;
        /** RFC 8445 §7.3.1.4: superseded by a triggered check; no more retransmissions, no failure on timeout. */
        boolean cancelled;

        Check(Kind kind, CandidatePair pair, Gathering.UdpSocket socket, InetSocketAddress server, ByteBuffer bytes,
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

    private final AgentCore a;
    private final Map<Stun.TxKey, Check> checks = new HashMap<>(8);
    /**
     * Transactions answered after a retransmission, until their schedule ends: duplicate answers are ignored.
     * Created at the first such answer (most agents never need it).
     */
    private Map<Stun.TxKey, Long> answered;

    StunTransactions(AgentCore a) {
        this.a = a;
    }

    // ------------------------------------------------------------------------------------------------ starting

    /** A Binding request to a STUN server from socket {@code s} (server-reflexive gathering). */
    void startGather(Gathering.UdpSocket s, InetSocketAddress server) {
        Request r = MessageFactory.createBindingRequest();
        byte[] tid = Stun.newTransactionId(a.config.random());
        setTid(r, tid);
        Check c = new Check(Kind.GATHER, null, s, server, Stun.encode(r, null, true), null, false, a.role,
                a.config.stunMaxTransmissions());
        c.rto = a.config.stunRto().toNanos();
        checks.put(Stun.TxKey.of(tid), c);
        transmit(c);
    }

    /** A connectivity check ({@link Kind#CHECK}) or a consent check ({@link Kind#CONSENT}) on {@code p}. */
    void sendCheck(CandidatePair p, Kind kind) {
        boolean useCandidate = a.role == IceRole.CONTROLLING
                && (kind == Kind.CONSENT ? p.nominated
                : (a.config.nomination() == NominationMode.AGGRESSIVE || p.nominating));
        byte[] tid = Stun.newTransactionId(a.config.random());
        ByteBuffer bytes = buildCheck(p, tid, useCandidate);
        int max = kind == Kind.CONSENT ? Math.min(a.config.maxCheckTransmissions(), 4) : a.config.maxCheckTransmissions();
        Check c = new Check(kind, p, null, null, bytes, Stun.shortTermKey(p.generation.remote.pwd()), useCandidate, a.role, max);
        long active = a.checkList.activePairs();
        // RFC 8445 §14.3: RTO = MAX(500 ms, Ta * (Num-Waiting + Num-In-Progress)); capped by checkRtoMax.
        c.rto = Math.min(a.config.checkRtoMax().toNanos(), Math.max(a.config.checkRtoMin().toNanos(), a.taNanos * active));
        c.firstSentAt = a.now;
        checks.put(Stun.TxKey.of(tid), c);
        if (kind == Kind.CHECK) {
            p.state = CandidatePair.State.IN_PROGRESS;
        }
        transmit(c);
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
        if (a.role == IceRole.CONTROLLING) {
            r.putAttribute(AttributeFactory.createIceControllingAttribute(a.tieBreaker));
            if (useCandidate) {
                r.putAttribute(AttributeFactory.createUseCandidateAttribute());
            }
        } else {
            r.putAttribute(AttributeFactory.createIceControlledAttribute(a.tieBreaker));
        }
        return Stun.encode(r, Stun.shortTermKey(p.generation.remote.pwd()), true);
    }

    private void transmit(Check c) {
        c.transmissions++;
        c.lastSentAt = a.now;
        if (c.transmissions >= c.maxTransmissions) {
            c.retransmit.start(a.now, c.kind == Kind.GATHER ? 16 * a.config.stunRto().toNanos() : c.rto);
        } else {
            c.retransmit.start(a.now, c.rto);
            c.rto = c.kind == Kind.GATHER ? c.rto * 2 : Math.min(a.config.checkRtoMax().toNanos(), c.rto * 2);
        }
        switch (c.kind) {
            case GATHER -> {
                a.counters.sent(IceStats.Wire.UDP, c.bytes.remaining());
                a.transmits.add(new IceTransmit(c.socket.id, c.server, c.bytes.duplicate()));
            }
            case CHECK -> {
                a.counters.checksSent++;
                c.pair.requestsSent++;
                a.sendOnPath(c.pair, c.bytes.duplicate());
            }
            case CONSENT -> {
                a.counters.consentChecksSent++;
                c.pair.requestsSent++;
                a.sendOnPath(c.pair, c.bytes.duplicate());
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ answers

    /** The transaction {@code msg} answers, or null ({@code answeredBefore} tells a late duplicate apart). */
    Check find(Stun.TxKey k) {
        return checks.get(k);
    }

    boolean answeredBefore(Stun.TxKey k) {
        return answered != null && answered.containsKey(k);
    }

    /** The transaction {@code k} is answered: it ends; after a retransmission its late duplicates are ignored. */
    void complete(Stun.TxKey k, Check c) {
        checks.remove(k);
        if (c.transmissions > 1) {
            if (answered == null) {
                answered = new HashMap<>(2);
            }
            answered.put(k, c.retransmit.deadline() + c.rto);
        }
    }

    /** RFC 8445 §7.3.1.4: the in-progress checks on {@code p} are cancelled before a triggered check. */
    void cancelChecksOn(CandidatePair p, long checkTimeoutNanos) {
        for (Check c : checks.values()) {
            if (c.pair == p && c.kind == Kind.CHECK && !c.cancelled) {
                // Still accept its answer until the whole transaction would have timed out.
                c.cancelled = true;
                c.retransmit.start(a.now, c.firstSentAt + checkTimeoutNanos - a.now);
            }
        }
    }

    boolean handleGatherResponseIfAny(Gathering.UdpSocket s, InetSocketAddress from, byte[] msg) {
        Check c = checks.get(Stun.TxKey.ofMessage(msg));
        if (c == null || c.kind != Kind.GATHER) {
            return false;
        }
        handleGatherResponse(c, s, from, msg);
        return true;
    }

    void handleGatherResponse(Check c, Gathering.UdpSocket s, InetSocketAddress from, byte[] msg) {
        if (c.socket != s || !c.server.equals(from)) {
            a.counters.drop(IceDropReason.NON_SYMMETRIC_RESPONSE);
            return;
        }
        StunScan scan = StunScan.scan(msg, msg.length);
        if (!scan.ok()) {
            a.counters.drop(scan.status());
            return;
        }
        if (scan.unknownRequired().length > 0) {
            a.counters.drop(IceDropReason.UNKNOWN_COMPREHENSION_REQUIRED_ATTRIBUTE);
            return;
        }
        Message m = Stun.decode(msg, msg.length);
        if (m == null) {
            a.counters.drop(IceDropReason.MALFORMED);
            return;
        }
        checks.remove(Stun.TxKey.ofMessage(msg));
        a.gathering.pending--;
        if (scan.messageClass() == Stun.CLASS_SUCCESS) {
            InetSocketAddress mapped = Stun.xorAddress(m, Attribute.XOR_MAPPED_ADDRESS);
            if (mapped == null) {
                mapped = Stun.xorAddress(m, Attribute.MAPPED_ADDRESS);
            }
            if (mapped != null) {
                a.gathering.addServerReflexive(s, mapped, c.server);
            } else {
                LOG.warn("STUN server {} answered without a mapped address", c.server);
            }
        } else {
            LOG.warn("STUN server {} refused Binding: {}", c.server, Stun.errorCode(m));
            a.error(ErrorKind.PEER_ABORTED, "STUN server " + c.server + " answered " + Stun.errorCode(m));
        }
        a.gathering.checkComplete();
    }

    void respondSuccess(LocalCand local, InetSocketAddress from, Message request, byte[] key) {
        Response r = MessageFactory.createBindingResponse((Request) request, Stun.ta(from));
        setTid(r, request.getTransactionID());
        a.sendFrom(local, from, Stun.encode(r, key, true));
    }

    void respondError(LocalCand local, InetSocketAddress from, Message request, int code, String reason,
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
        a.sendFrom(local, from, Stun.encode(r, key, true));
    }

    // ------------------------------------------------------------------------------------------------ timers

    long deadline() {
        long next = AgentCore.NONE;
        if (checks.isEmpty()) {
            return next; // the usual case between checks: no iterator for every pollTimeout
        }
        for (Check c : checks.values()) {
            next = Math.min(next, c.retransmit.deadline());
        }
        return next;
    }

    /** Retransmits what is due, and ends the transactions whose schedule is over. */
    void expire() {
        long now = a.now;
        if (answered != null && !answered.isEmpty()) {
            answered.values().removeIf(until -> until <= now);
        }
        if (checks.isEmpty()) {
            return;
        }
        List<Map.Entry<Stun.TxKey, Check>> due = null;
        for (Map.Entry<Stun.TxKey, Check> e : checks.entrySet()) {
            if (e.getValue().retransmit.expired(now)) {
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
                transmit(c);
                continue;
            }
            checks.remove(e.getKey());
            if (c.cancelled) {
                continue;
            }
            switch (c.kind) {
                case GATHER -> {
                    LOG.warn("STUN server {} did not answer from {}", c.server, c.socket.bound);
                    a.error(ErrorKind.TIMEOUT, "STUN server " + c.server + " did not answer");
                    a.gathering.gatherDone();
                }
                case CHECK -> {
                    if (c.pair.generation == a.gen && a.checkList.pairs.contains(c.pair)
                            && c.pair.state == CandidatePair.State.IN_PROGRESS) {
                        LOG.debug("check timed out: {}", c.pair);
                        a.checkList.pairFailed(c.pair);
                    }
                }
                case CONSENT -> {
                    // Consent expiry is judged by time since the last answer, not per transaction (RFC 7675 §5.1).
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ clearing

    /** ICE restart: checks end; consent checks end too, except on the pair kept carrying data. */
    void restart(CandidatePair keep) {
        for (Iterator<Map.Entry<Stun.TxKey, Check>> it = checks.entrySet().iterator(); it.hasNext(); ) {
            Check c = it.next().getValue();
            if (c.kind == Kind.CHECK || (c.kind == Kind.CONSENT && c.pair != keep)) {
                it.remove();
            }
        }
    }

    void removeLocal(LocalCand l) {
        checks.values().removeIf(c -> c.pair != null && c.pair.local == l);
    }

    void clear() {
        checks.clear();
    }
}
