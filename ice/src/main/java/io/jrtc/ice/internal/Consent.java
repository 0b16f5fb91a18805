package io.jrtc.ice.internal;

import static io.jrtc.ice.internal.AgentCore.LOG;
import static io.jrtc.ice.internal.AgentCore.setTid;

import io.jrtc.common.ErrorKind;
import io.jrtc.common.Timer;
import io.jrtc.ice.IceConnectionState;
import org.ice4j.message.Message;
import org.ice4j.message.MessageFactory;

/**
 * Consent freshness (RFC 7675) and keepalives (RFC 8445 §11) on the pair that carries data: a consent check every
 * randomised {@code consentInterval}, DISCONNECTED after {@code disconnectedTimeout} without an answer, consent lost
 * (FAILED) after {@code consentTimeout}; a Binding indication when nothing was sent for {@code keepaliveInterval}.
 */
final class Consent {

    // Deadline-only timers (never backed off); the specs are shared, each timer holds its own state.
    private static final Timer.Spec CONSENT_TIMER = Timer.Spec.fixed("consent");
    private static final Timer.Spec CONSENT_EXPIRY_TIMER = Timer.Spec.fixed("consent-expiry");

    private final AgentCore a;
    /** When the next consent check goes. */
    private final Timer next = new Timer(CONSENT_TIMER);
    /**
     * Restarted at every answer for {@code consentTimeout}: consent is lost once it expires. The agent is
     * DISCONNECTED {@code consentTimeout - disconnectedTimeout} before that ({@link #disconnectedAt()}).
     */
    private final Timer expiry = new Timer(CONSENT_EXPIRY_TIMER);

    Consent(AgentCore a) {
        this.a = a;
    }

    /** A pair was selected: consent is fresh, the first check goes after one randomised interval. */
    void selected() {
        answered();
        next.start(a.now, jitteredInterval());
    }

    /** The data pair answered a check. */
    void answered() {
        expiry.start(a.now, a.config.consentTimeout().toNanos());
    }

    /** No answer for {@code disconnectedTimeout}. */
    boolean disconnected() {
        return expiry.isRunning() && a.now >= disconnectedAt();
    }

    /** The last answer plus {@code disconnectedTimeout}. */
    private long disconnectedAt() {
        return expiry.deadline() - a.config.consentTimeout().toNanos() + a.config.disconnectedTimeout().toNanos();
    }

    /** No more consent checks (close, or a restart with nothing kept). */
    void stop() {
        next.stop();
    }

    private long jitteredInterval() {
        double f = 0.8 + 0.4 * a.config.random().nextDouble();
        return (long) (a.config.consentInterval().toNanos() * f);
    }

    long deadline(IceConnectionState state) {
        CandidatePair dp = a.nomination.dataPair();
        if (dp == null || a.phase == AgentPhase.CONSENT_LOST) {
            return AgentCore.NONE;
        }
        long t = AgentCore.NONE;
        if (a.config.consentFreshness()) {
            t = Math.min(t, next.deadline());
            if (state != IceConnectionState.DISCONNECTED) {
                t = Math.min(t, expiry.isRunning() ? disconnectedAt() : AgentCore.NONE);
            }
            t = Math.min(t, expiry.deadline());
        }
        return Math.min(t, saturatedAdd(dp.lastSentAt, a.config.keepaliveInterval().toNanos()));
    }

    void run() {
        CandidatePair dp = a.nomination.dataPair();
        if (dp == null || a.phase == AgentPhase.CONSENT_LOST || !a.config.consentFreshness()) {
            return;
        }
        if (expiry.expired(a.now)) {
            a.phase = AgentPhase.CONSENT_LOST;
            next.stop();
            LOG.warn("consent expired on {}: no answer for {}", dp, a.config.consentTimeout());
            a.error(ErrorKind.TIMEOUT, "consent expired: no answer from the peer for " + a.config.consentTimeout());
            return;
        }
        if (next.expired(a.now)) {
            next.start(a.now, jitteredInterval());
            if (dp.generation.remote != null) {
                a.transactions.sendCheck(dp, StunTransactions.Kind.CONSENT);
            }
        }
    }

    void runKeepalive() {
        CandidatePair dp = a.nomination.dataPair();
        if (dp == null || a.phase == AgentPhase.CONSENT_LOST) {
            return;
        }
        if (a.now - dp.lastSentAt >= a.config.keepaliveInterval().toNanos()) {
            // RFC 8445 §11: a Binding indication, with FINGERPRINT, no authentication.
            Message ind = MessageFactory.createBindingIndication();
            setTid(ind, Stun.newTransactionId(a.config.random()));
            a.counters.keepalivesSent++;
            a.sendOnPath(dp, Stun.encode(ind, null, true));
        }
    }

    private static long saturatedAdd(long x, long y) {
        if (x == Long.MIN_VALUE) {
            return AgentCore.NONE;
        }
        long r = x + y;
        return r < x ? AgentCore.NONE : r;
    }
}
