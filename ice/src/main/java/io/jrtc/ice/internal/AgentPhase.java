package io.jrtc.ice.internal;

/**
 * Where an ICE agent stands in its life, in place of the former {@code consentLost}, {@code closing} and
 * {@code closed} flags. Whether gathering started is read from the gathering state (anything but NEW), and whether
 * the peer signalled end-of-candidates from the running end-of-candidates timer.
 *
 * <pre>
 *   RUNNING ⇄ CONSENT_LOST      consent expired (RFC 7675); a new selected pair or a restart brings it back
 *   RUNNING, CONSENT_LOST → CLOSING → CLOSED      close(): TURN deallocations answered or timed out
 * </pre>
 */
public enum AgentPhase {
    /** Open; consent (if any) is fresh. */
    RUNNING,
    /** Open, but consent on the data pair expired: nothing is sent until a new pair is selected or a restart. */
    CONSENT_LOST,
    /** {@code close} was called: TURN deallocations are outstanding. */
    CLOSING,
    /** Closed for good. */
    CLOSED;

    /** True once {@code close} was called (CLOSING or CLOSED). */
    public boolean closing() {
        return this == CLOSING || this == CLOSED;
    }
}
