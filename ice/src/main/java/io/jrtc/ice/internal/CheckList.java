package io.jrtc.ice.internal;

import static io.jrtc.ice.internal.AgentCore.COMPONENT;
import static io.jrtc.ice.internal.AgentCore.LOG;

import io.jrtc.common.LogThrottle;
import io.jrtc.common.Timer;
import io.jrtc.ice.IceCandidate;
import io.jrtc.ice.IceCandidateType;
import io.jrtc.ice.IceEvent;
import io.jrtc.ice.IceProtocol;
import io.jrtc.ice.IceRole;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The check list (RFC 8445 §6.1.2): remote candidates, candidate pairs sorted by priority (§6.1.2.3), their states
 * (§6.1.2.6: one Waiting pair per foundation, the others Frozen), the limit (§6.1.2.5), the triggered-check queue
 * (§7.3.1.4) and pacing (§6.1.4.2: one check per Ta), with the controlled side's hold on ordinary checks.
 */
final class CheckList {

    // Deadline-only timers (never backed off); the specs are shared, each timer holds its own state.
    private static final Timer.Spec TA_TIMER = Timer.Spec.fixed("Ta");
    private static final Timer.Spec PACING_TIMER = Timer.Spec.fixed("pacing");
    private static final Timer.Spec CONTROLLED_CHECK_DELAY_TIMER = Timer.Spec.fixed("controlled-check-delay");

    private final AgentCore a;
    /** Created at the first dropped remote candidate. */
    private LogThrottle droppedCandidates;

    final List<RemoteCand> remotes = new ArrayList<>(4);
    /** The check list, sorted by descending pair priority. */
    final List<CandidatePair> pairs = new ArrayList<>(4);
    final ArrayDeque<CandidatePair> triggered = new ArrayDeque<>(4);
    /** A check was sent or received in this generation, or a pair formed with the remote credentials known. */
    boolean checksStarted;

    // The three timers are null when not running: an idle agent keeps only the timers it uses.
    /** When the next check may go (RFC 8445 §6.1.4.2); null when there is no check to send. */
    private Timer pacing;
    /** Started with Ta at every check sent: its deadline is the earliest time of the next one; null once passed. */
    private Timer ta;
    /** Controlled side: no ordinary checks before its deadline, unless the peer checks first (see IceConfig). */
    private Timer controlledHold;

    CheckList(AgentCore a) {
        this.a = a;
    }

    // ------------------------------------------------------------------------------------------------ candidates

    void addRemoteCandidate(IceCandidate candidate) {
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
                    CandidatePair dp = a.nomination.dataPair();
                    if (dp != null && dp.remote == r) {
                        // Same addresses, new description of the remote: whoever keeps the selected pair updates it.
                        a.events.add(new IceEvent.SelectedPairChanged(dp.toPublic()));
                    }
                }
                return;
            }
            if (address == null && r.address == null && r.candidate.address().equalsIgnoreCase(candidate.address())
                    && r.candidate.port() == candidate.port()) {
                return;
            }
        }
        if (remotes.size() >= a.config.maxRemoteCandidates()) {
            if (droppedCandidates == null) {
                droppedCandidates = new LogThrottle();
            }
            if (droppedCandidates.next()) {
                LOG.warn("remote candidate {} dropped: {} remote candidates already ({} dropped so far; logged at 1-3,"
                        + " 10, 100, ...)", candidate, remotes.size(), droppedCandidates.count());
            }
            return;
        }
        RemoteCand rc = new RemoteCand(candidate, address);
        remotes.add(rc);
        if (address != null) {
            for (LocalCand l : a.gathering.locals) {
                if (l.pairable()) {
                    addPair(l, rc);
                }
            }
        }
        a.updateState();
        a.drive();
    }

    /** A new local candidate: paired with every resolved remote one. */
    void pairWithRemotes(LocalCand l) {
        for (RemoteCand r : remotes) {
            if (r.address != null) {
                addPair(l, r);
            }
        }
    }

    RemoteCand findRemote(InetSocketAddress address) {
        for (RemoteCand r : remotes) {
            if (address.equals(r.address)) {
                return r;
            }
        }
        return null;
    }

    // ------------------------------------------------------------------------------------------------ pairs

    CandidatePair addPair(LocalCand l, RemoteCand r) {
        if (r.address == null || !IpLiteral.sameFamily(l.base, r.address)) {
            return null;
        }
        for (CandidatePair q : pairs) {
            if (q.local == l && r.address.equals(q.remote.address)) {
                return q;
            }
        }
        CandidatePair p = new CandidatePair(l, r, a.gen);
        p.computePriority(a.role);
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
        if (pairs.size() > a.config.maxCheckListSize()) {
            // RFC 8445 §6.1.2.5: drop the lowest-priority pairs, sparing ones in progress or validated.
            for (int i = pairs.size() - 1; i >= 0 && pairs.size() > a.config.maxCheckListSize(); i--) {
                CandidatePair q = pairs.get(i);
                if (q.state != CandidatePair.State.IN_PROGRESS && q.state != CandidatePair.State.SUCCEEDED
                        && q != a.nomination.selected) {
                    pairs.remove(i);
                    triggered.remove(q);
                }
            }
            if (!pairs.contains(p)) {
                return null;
            }
        }
        checksStarted = checksStarted || a.gen.remote != null;
        return p;
    }

    private void insertSorted(CandidatePair p) {
        int i = 0;
        while (i < pairs.size() && pairs.get(i).priority >= p.priority) {
            i++;
        }
        pairs.add(i, p);
    }

    void reprioritise() {
        for (CandidatePair p : pairs) {
            p.computePriority(a.role);
        }
        pairs.sort((x, y) -> Long.compare(y.priority, x.priority));
    }

    /** Role conflict (RFC 8445 §7.3.1.1): the agent takes the other role. */
    void switchRole(IceRole newRole) {
        LOG.debug("role conflict: switching to {}", newRole);
        a.role = newRole;
        reprioritise();
        if (newRole == IceRole.CONTROLLED) {
            a.nomination.nominatingPair = null;
            for (CandidatePair p : pairs) {
                p.nominating = false;
            }
        }
        a.events.add(new IceEvent.RoleChanged(newRole));
    }

    CandidatePair findPair(LocalCand l, InetSocketAddress remote) {
        for (CandidatePair p : pairs) {
            if (p.local == l && remote.equals(p.remote.address)) {
                return p;
            }
        }
        return null;
    }

    CandidatePair bestUsablePair() {
        for (CandidatePair p : pairs) {
            if (p.usable()) {
                return p;
            }
        }
        return null;
    }

    /** Pairs Waiting or In-Progress (RFC 8445 §14.3's N). */
    long activePairs() {
        long active = 0;
        for (CandidatePair q : pairs) {
            if (q.state == CandidatePair.State.WAITING || q.state == CandidatePair.State.IN_PROGRESS) {
                active++;
            }
        }
        return active;
    }

    /** The first success on {@code p}: the Frozen pairs of its foundation become Waiting (RFC 8445 §7.2.5.3.3). */
    void unfreezeFoundation(CandidatePair p) {
        String f = p.foundation();
        for (CandidatePair q : pairs) {
            if (q.state == CandidatePair.State.FROZEN && q.foundation().equals(f)) {
                q.state = CandidatePair.State.WAITING;
            }
        }
    }

    void pairFailed(CandidatePair p) {
        p.state = CandidatePair.State.FAILED;
        p.nominating = false;
        if (p == a.nomination.nominatingPair) {
            a.nomination.nominatingPair = null;
        }
        a.nomination.maybeNominate();
        a.updateState();
    }

    /** A relay candidate is gone: its pairs leave the list. */
    void removeLocal(LocalCand l) {
        for (Iterator<CandidatePair> it = pairs.iterator(); it.hasNext(); ) {
            CandidatePair p = it.next();
            if (p.local == l) {
                it.remove();
                triggered.remove(p);
                if (p == a.nomination.nominatingPair) {
                    a.nomination.nominatingPair = null;
                }
            }
        }
    }

    /** RFC 8445 §8.1.2: once {@code p} is selected, lower-priority Waiting and Frozen pairs are not checked. */
    void pruneBelow(CandidatePair p) {
        for (Iterator<CandidatePair> it = pairs.iterator(); it.hasNext(); ) {
            CandidatePair q = it.next();
            if (q != p && q.priority < p.priority
                    && (q.state == CandidatePair.State.WAITING || q.state == CandidatePair.State.FROZEN)
                    && !q.inTriggeredQueue) {
                it.remove();
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ checks

    void trigger(CandidatePair p) {
        pacing = null; // re-paced by drive(): a triggered check does not wait for held ordinary checks
        if (!p.inTriggeredQueue) {
            p.inTriggeredQueue = true;
            if (p.nominating) {
                triggered.addFirst(p);
            } else {
                triggered.add(p);
            }
        }
    }

    /** Sends the next check when the pacing timer allows (RFC 8445 §6.1.4.2: one check per Ta). */
    void drive() {
        if (a.phase.closing()) {
            return;
        }
        scheduleCheck();
        if (pacing != null && pacing.expired(a.now)) {
            pacing = null;
            if (sendNextCheck()) {
                if (ta == null) {
                    ta = new Timer(TA_TIMER);
                }
                ta.start(a.now, a.taNanos);
            }
            scheduleCheck();
        }
    }

    long pacingDeadline() {
        return pacing == null ? AgentCore.NONE : pacing.deadline();
    }

    private void scheduleCheck() {
        if (pacing == null && hasCheckWork()) {
            if (ta != null && ta.expired(a.now)) {
                ta = null; // max(now, a deadline passed) is now
            }
            long at = ta != null ? Math.max(a.now, ta.deadline()) : a.now;
            if (triggered.isEmpty() && ordinaryChecksHeld()) {
                at = Math.max(at, controlledHold.deadline());
            }
            pacing = new Timer(PACING_TIMER);
            a.startUntil(pacing, at);
        }
    }

    private boolean hasCheckWork() {
        if (a.gen.remote == null) {
            return false;
        }
        if (!triggered.isEmpty()) {
            return true;
        }
        return nextOrdinaryPair(false) != null;
    }

    /** Highest-priority Waiting pair (else Frozen one) worth an ordinary check; with a selected pair only better ones. */
    private CandidatePair nextOrdinaryPair(boolean unfreeze) {
        CandidatePair selected = a.nomination.selected;
        CandidatePair nominating = a.nomination.nominatingPair;
        long floor = selected != null && selected.generation == a.gen ? selected.priority : Long.MIN_VALUE;
        if (a.role == IceRole.CONTROLLING && nominating != null) {
            floor = Math.max(floor, nominating.priority);
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
        if (a.gen.remote == null) {
            return false;
        }
        CandidatePair p;
        while ((p = triggered.poll()) != null) {
            p.inTriggeredQueue = false;
            if (p.generation == a.gen && pairs.contains(p) && p.state != CandidatePair.State.SUCCEEDED) {
                a.transactions.sendCheck(p, StunTransactions.Kind.CHECK);
                return true;
            }
            if (p.generation == a.gen && p.nominating && pairs.contains(p)) {
                a.transactions.sendCheck(p, StunTransactions.Kind.CHECK);
                return true;
            }
        }
        if (ordinaryChecksHeld()) {
            return false;
        }
        p = nextOrdinaryPair(true);
        if (p != null) {
            a.transactions.sendCheck(p, StunTransactions.Kind.CHECK);
            return true;
        }
        return false;
    }

    void holdOrdinaryChecks() {
        long d = a.config.controlledCheckDelay().toNanos();
        if (a.role == IceRole.CONTROLLED && d > 0) {
            if (controlledHold == null) {
                controlledHold = new Timer(CONTROLLED_CHECK_DELAY_TIMER);
            }
            controlledHold.start(a.now, d);
        } else {
            controlledHold = null;
        }
    }

    /** The peer checked first: the controlled side's hold ends. */
    void releaseOrdinaryChecks() {
        controlledHold = null;
    }

    private boolean ordinaryChecksHeld() {
        if (controlledHold != null && a.now >= controlledHold.deadline()) {
            controlledHold = null; // the hold is over for good: only a new generation starts another
        }
        return controlledHold != null && a.role == IceRole.CONTROLLED;
    }

    // ------------------------------------------------------------------------------------------------ clearing

    /** ICE restart: a new, empty check list for the new generation. */
    void restart() {
        controlledHold = null;
        if (a.gen.remote != null) {
            holdOrdinaryChecks();
        }
        remotes.clear();
        pairs.clear();
        triggered.clear();
        pacing = null;
        checksStarted = false;
    }

    void close() {
        triggered.clear();
        pairs.clear();
        pacing = null;
    }
}
