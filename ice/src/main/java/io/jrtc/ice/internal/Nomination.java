package io.jrtc.ice.internal;

import static io.jrtc.ice.internal.AgentCore.LOG;

import io.jrtc.common.Timer;
import io.jrtc.ice.IceEvent;
import io.jrtc.ice.IceRole;
import io.jrtc.ice.NominationMode;

/**
 * Nomination and the selected pair (RFC 8445 §8): regular nomination by the controlling agent (§8.1.1, after
 * waiting {@code nominationDelay} for a better pair), aggressive nomination by a peer (RFC 5245 §8.1.1.2), the
 * selected pair, and across an ICE restart the previous generation's pair that keeps carrying data.
 */
final class Nomination {

    // Deadline-only timers (never backed off); the specs are shared, each timer holds its own state.
    private static final Timer.Spec NOMINATION_DELAY_TIMER = Timer.Spec.fixed("nomination-delay");
    private static final Timer.Spec NOMINATION_TIMER = Timer.Spec.fixed("nomination");

    private final AgentCore a;

    CandidatePair selected;
    /** After a restart: the previous generation's selected pair, still carrying data until a new one is selected. */
    CandidatePair oldSelected;
    /** The pair the controlling agent is nominating (a check with USE-CANDIDATE outstanding). */
    CandidatePair nominatingPair;

    /** Started at the generation's first valid pair: nomination waits at most until it expires for a better one. */
    private final Timer firstValid = new Timer(NOMINATION_DELAY_TIMER);
    /** Armed while a better pair is pending: nomination is looked at again when it expires. Null when stopped. */
    private Timer nominateAt;

    Nomination(AgentCore a) {
        this.a = a;
    }

    /** The pair currently carrying data (during a restart: the previous generation's), or null. */
    CandidatePair dataPair() {
        return selected != null ? selected : oldSelected;
    }

    /** The generation's first pair succeeded. */
    void firstValid() {
        if (!firstValid.isRunning()) {
            firstValid.start(a.now, a.config.nominationDelay().toNanos());
        }
    }

    long deadline() {
        return nominateAt == null ? AgentCore.NONE : nominateAt.deadline();
    }

    void handleTimeout() {
        if (nominateAt != null && nominateAt.expired(a.now)) {
            nominateAt = null;
            maybeNominate();
        }
    }

    /** Regular nomination by the controlling agent (RFC 8445 §8.1.1). */
    void maybeNominate() {
        if (a.role != IceRole.CONTROLLING || a.config.nomination() != NominationMode.REGULAR || nominatingPair != null) {
            return;
        }
        if (selected != null && selected.generation == a.gen && selected.nominated) {
            return;
        }
        CandidatePair best = null;
        boolean higherPending = false;
        for (CandidatePair p : a.checkList.pairs) {
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
        // (No first valid pair recorded cannot happen with a Succeeded pair; if it did, nominate at once.)
        long deadline = firstValid.isRunning() ? firstValid.deadline() : Long.MIN_VALUE;
        if (higherPending && a.now < deadline) {
            if (nominateAt == null) {
                nominateAt = new Timer(NOMINATION_TIMER);
            }
            a.startUntil(nominateAt, deadline);
            return;
        }
        nominateAt = null;
        nominatingPair = best;
        best.nominating = true;
        LOG.debug("nominating {}", best);
        a.checkList.trigger(best);
    }

    void nominate(CandidatePair p) {
        p.nominated = true;
        if (p == nominatingPair) {
            nominatingPair = null;
            p.nominating = false;
        }
        if (selected == null || selected.generation != a.gen || p.priority > selected.priority) {
            select(p);
        }
    }

    private void select(CandidatePair p) {
        if (selected == p) {
            return;
        }
        long now = a.now;
        selected = p;
        oldSelected = null;
        a.oldGen = null;
        if (a.phase == AgentPhase.CONSENT_LOST) {
            a.phase = AgentPhase.RUNNING;
        }
        p.consentAt = now;
        a.consent.selected();
        if (p.lastSentAt == Long.MIN_VALUE) {
            p.lastSentAt = now;
        }
        if (p.local.relay != null) {
            p.local.relay.bindChannel(now, p.remote.address);
        }
        LOG.debug("selected pair {}", p);
        a.events.add(new IceEvent.SelectedPairChanged(p.toPublic()));
        a.checkList.pruneBelow(p);
        a.updateState();
    }

    /** A relay candidate is gone: a pair through it is no longer selected. */
    void relayLost(LocalCand l, String why) {
        if (selected != null && selected.local == l) {
            LOG.warn("selected pair lost its relay: {}", why);
            selected = null;
        }
        if (oldSelected != null && oldSelected.local == l) {
            oldSelected = null;
            a.oldGen = null;
        }
        maybeNominate();
    }

    /** ICE restart: {@code keep} (or null) carries data until the new generation selects a pair. */
    void restart(CandidatePair keep) {
        oldSelected = keep;
        selected = null;
        nominatingPair = null;
        firstValid.stop();
        nominateAt = null;
    }

    void close() {
        selected = null;
        oldSelected = null;
    }
}
