package io.jrtc.ice.internal;

import static io.jrtc.ice.internal.AgentCore.COMPONENT;
import static io.jrtc.ice.internal.AgentCore.LOG;

import io.jrtc.ice.IceCandidate;
import io.jrtc.ice.IceCandidateType;
import io.jrtc.ice.IceDropReason;
import io.jrtc.ice.IceEvent;
import io.jrtc.ice.IceProtocol;
import io.jrtc.ice.IceRole;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.ice4j.attribute.Attribute;
import org.ice4j.attribute.IceControlAttribute;
import org.ice4j.attribute.PriorityAttribute;
import org.ice4j.attribute.UsernameAttribute;
import org.ice4j.message.Message;

/**
 * What arrives on a path ending at a local candidate (a host socket, or a relay through its TURN server): RFC 7983
 * demultiplexing, application data on a valid pair, Binding requests (RFC 8445 §7.3: authentication, role
 * conflicts §7.3.1.1, peer-reflexive candidates §7.3.1.3, triggered checks §7.3.1.4) and Binding answers to the
 * agent's checks (§7.2.5: success, error 487).
 */
final class Binding {

    private final AgentCore a;

    Binding(AgentCore a) {
        this.a = a;
    }

    /** Handles bytes that arrived on a path ending at local candidate {@code local} (host socket or relay). */
    void handleFromPath(LocalCand local, InetSocketAddress from, ByteBuffer data) {
        // RFC 7983: a first byte of 0..3 is STUN; anything else goes to the application.
        if (data.remaining() == 0) {
            a.counters.drop(IceDropReason.TRUNCATED);
            return;
        }
        if ((data.get(data.position()) & 0xFF) > 3) {
            handleApplicationData(local, from, data);
            return;
        }
        byte[] msg = AgentCore.toArray(data);
        StunScan scan = StunScan.scan(msg, msg.length);
        if (!scan.ok()) {
            a.counters.drop(scan.status());
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
                    a.counters.drop(IceDropReason.UNEXPECTED_MESSAGE);
                }
            }
            case Stun.CLASS_INDICATION -> {
                if (scan.method() == Stun.METHOD_BINDING) {
                    CandidatePair p = a.checkList.findPair(local, from);
                    if (p != null) {
                        p.lastReceivedAt = a.now;
                    }
                } else {
                    a.counters.drop(IceDropReason.UNEXPECTED_MESSAGE);
                }
            }
            default -> handleResponse(local, from, msg, scan);
        }
    }

    private void handleApplicationData(LocalCand local, InetSocketAddress from, ByteBuffer data) {
        CandidatePair p = a.nomination.dataPair();
        if (p == null || p.local != local || !from.equals(p.remote.address)) {
            p = null;
            CandidatePair old = a.nomination.oldSelected;
            if (old != null && old.local == local && from.equals(old.remote.address)) {
                p = old;
            } else {
                for (CandidatePair c : a.checkList.pairs) {
                    if (c.local == local && from.equals(c.remote.address) && c.usable()) {
                        p = c;
                        break;
                    }
                }
            }
        }
        if (p == null) {
            a.counters.drop(IceDropReason.UNKNOWN_SOURCE);
            return;
        }
        int n = data.remaining();
        p.packetsReceived++;
        p.bytesReceived += n;
        p.lastReceivedAt = a.now;
        if (a.lentInput) {
            a.events.add(new IceEvent.ApplicationData(data.slice())); // the caller consumes it before data is gone
            return;
        }
        ByteBuffer copy = ByteBuffer.allocate(n);
        copy.put(data.duplicate()).flip();
        a.events.add(new IceEvent.ApplicationData(copy));
    }

    private void handleBindingRequest(LocalCand local, InetSocketAddress from, byte[] msg, StunScan scan) {
        StunTransactions tx = a.transactions;
        Message m = Stun.decode(msg, msg.length);
        if (m == null) {
            a.counters.drop(IceDropReason.MALFORMED);
            return;
        }
        UsernameAttribute ua = m.getAttribute(Attribute.USERNAME) instanceof UsernameAttribute u ? u : null;
        if (ua == null || scan.miOffset() < 0) {
            // RFC 8489 §9.1.3: no USERNAME or no MESSAGE-INTEGRITY: 400.
            a.counters.drop(ua == null ? IceDropReason.BAD_USERNAME : IceDropReason.BAD_INTEGRITY);
            tx.respondError(local, from, m, 400, "Bad Request", null, null);
            return;
        }
        String username = new String(ua.getUsername(), StandardCharsets.UTF_8);
        Generation g = null;
        if (username.startsWith(a.gen.local.ufrag() + ":")) {
            g = a.gen;
        } else if (a.oldGen != null && username.startsWith(a.oldGen.local.ufrag() + ":")) {
            g = a.oldGen;
        }
        if (g == null) {
            a.counters.drop(IceDropReason.BAD_USERNAME);
            tx.respondError(local, from, m, 401, "Unauthorized", null, null);
            return;
        }
        byte[] key = Stun.shortTermKey(g.local.pwd());
        if (!Stun.verifyIntegrity(msg, scan.miOffset(), key)) {
            a.counters.drop(IceDropReason.BAD_INTEGRITY);
            tx.respondError(local, from, m, 401, "Unauthorized", null, null);
            return;
        }
        if (scan.unknownRequired().length > 0) {
            a.counters.drop(IceDropReason.UNKNOWN_COMPREHENSION_REQUIRED_ATTRIBUTE);
            tx.respondError(local, from, m, 420, "Unknown Attribute", scan.unknownRequired(), key);
            return;
        }
        a.counters.checksReceived++;
        // Role conflict (RFC 8445 §7.3.1.1).
        Attribute controlling = m.getAttribute(Attribute.ICE_CONTROLLING);
        Attribute controlled = m.getAttribute(Attribute.ICE_CONTROLLED);
        if (a.role == IceRole.CONTROLLING && controlling instanceof IceControlAttribute c) {
            a.counters.roleConflicts++;
            if (Long.compareUnsigned(a.tieBreaker, c.getTieBreaker()) >= 0) {
                tx.respondError(local, from, m, 487, "Role Conflict", null, key);
                return;
            }
            a.checkList.switchRole(IceRole.CONTROLLED);
        } else if (a.role == IceRole.CONTROLLED && controlled instanceof IceControlAttribute c) {
            a.counters.roleConflicts++;
            if (Long.compareUnsigned(a.tieBreaker, c.getTieBreaker()) >= 0) {
                a.checkList.switchRole(IceRole.CONTROLLING);
            } else {
                tx.respondError(local, from, m, 487, "Role Conflict", null, key);
                return;
            }
        }
        tx.respondSuccess(local, from, m, key);
        if (g != a.gen) {
            CandidatePair old = a.nomination.oldSelected;
            if (old != null && old.local == local && from.equals(old.remote.address)) {
                old.lastReceivedAt = a.now;
                old.requestsReceived++;
            }
            return;
        }
        CheckList list = a.checkList;
        RemoteCand rc = list.findRemote(from);
        if (rc == null) {
            long prio = m.getAttribute(Attribute.PRIORITY) instanceof PriorityAttribute pa
                    ? pa.getPriority() : IceCandidate.computePriority(IceCandidateType.PRFLX, 0, COMPONENT);
            if (prio < 1 || prio > 0xFFFF_FFFFL) {
                prio = IceCandidate.computePriority(IceCandidateType.PRFLX, 0, COMPONENT);
            }
            String ip = IpLiteral.text(from.getAddress());
            IceCandidate c = IceCandidate.of(IceCandidate.computeFoundation(IceCandidateType.PRFLX, ip, null, IceProtocol.UDP),
                    COMPONENT, IceProtocol.UDP, prio, ip, from.getPort(), IceCandidateType.PRFLX);
            if (list.remotes.size() >= a.config.maxRemoteCandidates()) {
                LOG.debug("peer-reflexive candidate {} not kept: remote candidate limit reached", c);
                return;
            }
            rc = new RemoteCand(c, from);
            list.remotes.add(rc);
            LOG.debug("learnt peer-reflexive remote candidate {}", c);
        }
        CandidatePair p = list.findPair(local, from);
        if (p == null) {
            p = list.addPair(local, rc);
            if (p == null) {
                return;
            }
        }
        p.requestReceived = true;
        p.requestsReceived++;
        p.lastReceivedAt = a.now;
        list.releaseOrdinaryChecks();
        boolean useCandidate = m.getAttribute(Attribute.USE_CANDIDATE) != null;
        Nomination nom = a.nomination;
        if (p.state == CandidatePair.State.SUCCEEDED) {
            if (useCandidate && a.role == IceRole.CONTROLLED) {
                nom.nominate(p);
            } else if (a.role == IceRole.CONTROLLED && !p.nominated && !p.checkedBack
                    && (nom.selected == null || nom.selected.generation != a.gen)) {
                // RFC 8445 §7.3.1.4 asks nothing more here. But a controlling agent that nominates a pair as soon as
                // the peer checks a pair it has itself validated (Pion does; otherwise it waits for its next 200 ms
                // tick) needs a check from us after its own succeeded: our first check reached it before that. One
                // check, answered or not, with no effect on the pair's state.
                p.checkedBack = true;
                tx.sendCheck(p, StunTransactions.Kind.CONSENT);
            }
        } else {
            if (useCandidate && a.role == IceRole.CONTROLLED) {
                p.nominateOnSuccess = true;
            }
            if (p.state == CandidatePair.State.IN_PROGRESS) {
                // RFC 8445 §7.3.1.4: cancel the in-progress transaction, then a triggered check.
                tx.cancelChecksOn(p, a.checkTimeoutNanos());
            }
            p.state = CandidatePair.State.WAITING;
            list.trigger(p);
        }
        list.checksStarted = true;
    }

    private void handleResponse(LocalCand local, InetSocketAddress from, byte[] msg, StunScan scan) {
        if (scan.method() != Stun.METHOD_BINDING) {
            // Every transaction kept here (checks, consent, gathering) is a Binding request; TURN answers went to
            // their TurnClient. A response of another method answers none of them, whatever its transaction id.
            a.counters.drop(IceDropReason.UNEXPECTED_MESSAGE);
            return;
        }
        StunTransactions tx = a.transactions;
        Stun.TxKey k = Stun.TxKey.ofMessage(msg);
        StunTransactions.Check c = tx.find(k);
        if (c == null) {
            if (tx.answeredBefore(k)) {
                return; // a second answer to a retransmitted request
            }
            a.counters.drop(IceDropReason.UNKNOWN_TRANSACTION);
            if (LOG.isDebugEnabled()) {
                LOG.debug("response (class {}, method {}) from {} matches no transaction", scan.messageClass(), scan.method(), from);
            }
            return;
        }
        if (c.kind == StunTransactions.Kind.GATHER) {
            Gathering.UdpSocket s = local.relay == null ? a.gathering.findSocket(local.via) : null;
            if (s == null) {
                a.counters.drop(IceDropReason.NON_SYMMETRIC_RESPONSE);
                return;
            }
            tx.handleGatherResponse(c, s, from, msg);
            return;
        }
        CandidatePair p = c.pair;
        if (p.local != local || !from.equals(p.remote.address)) {
            a.counters.drop(IceDropReason.NON_SYMMETRIC_RESPONSE);
            return;
        }
        if (scan.unknownRequired().length > 0) {
            a.counters.drop(IceDropReason.UNKNOWN_COMPREHENSION_REQUIRED_ATTRIBUTE);
            return;
        }
        if (scan.miOffset() < 0 || !Stun.verifyIntegrity(msg, scan.miOffset(), c.responseKey)) {
            a.counters.drop(IceDropReason.BAD_INTEGRITY);
            return;
        }
        Message m = Stun.decode(msg, msg.length);
        if (m == null) {
            a.counters.drop(IceDropReason.MALFORMED);
            return;
        }
        tx.complete(k, c);
        if (scan.messageClass() == Stun.CLASS_SUCCESS) {
            onCheckSuccess(c, p);
        } else {
            onCheckError(c, p, Stun.errorCode(m));
        }
    }

    private void onCheckSuccess(StunTransactions.Check c, CandidatePair p) {
        long now = a.now;
        Nomination nom = a.nomination;
        p.responsesReceived++;
        p.lastReceivedAt = now;
        p.rttNanos = c.transmissions == 1 ? now - c.firstSentAt : now - c.lastSentAt;
        if (p == nom.selected || p == nom.oldSelected) {
            p.consentAt = now;
            if (p == nom.dataPair()) {
                a.consent.answered();
            }
        }
        if (p.generation != a.gen || !a.checkList.pairs.contains(p)) {
            a.updateState();
            return;
        }
        boolean first = p.state != CandidatePair.State.SUCCEEDED;
        p.state = CandidatePair.State.SUCCEEDED;
        if (first) {
            a.checkList.unfreezeFoundation(p);
            nom.firstValid();
        }
        if (a.role == IceRole.CONTROLLING) {
            if (c.useCandidate) {
                nom.nominate(p);
            } else {
                nom.maybeNominate();
            }
        } else if (p.nominateOnSuccess) {
            nom.nominate(p);
        }
        a.updateState();
    }

    private void onCheckError(StunTransactions.Check c, CandidatePair p, int code) {
        if (code == 487 && p.generation == a.gen) {
            a.counters.roleConflicts++;
            if (c.role == a.role) {
                a.checkList.switchRole(a.role == IceRole.CONTROLLING ? IceRole.CONTROLLED : IceRole.CONTROLLING);
            }
            p.state = CandidatePair.State.WAITING;
            a.checkList.trigger(p);
            return;
        }
        LOG.debug("check on {} answered {}", p, code);
        if (c.kind == StunTransactions.Kind.CHECK) {
            a.checkList.pairFailed(p);
        }
    }
}
