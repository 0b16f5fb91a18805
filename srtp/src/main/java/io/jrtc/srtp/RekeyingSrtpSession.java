package io.jrtc.srtp;

import io.jrtc.common.DatagramCore;
import io.jrtc.common.Timer;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Swaps SRTP keys without losing packets in flight: what the peer holds for the life of a transport, across DTLS
 * re-handshakes (an ICE restart that renegotiates DTLS).
 *
 * <p>{@link #rekey(long, SrtpSession)} makes the new session current at once: every later protect uses the new keys
 * (the remote side has them as soon as its own handshake completes). The previous session stays for <em>inbound</em>
 * packets only, for a grace period ({@link #DEFAULT_GRACE_NANOS}, 5 s by default), because packets the remote
 * protected with the old keys may still be queued or in the network. During that period each received packet is
 * tried on the session that last accepted a packet first, then on the other one; to make the second try possible
 * the packet is copied into a reusable scratch array first (one copy per packet, only while a grace period runs).
 * A packet counts as a drop only if both sessions refuse it. When the grace period ends the old session is closed
 * (its keys zeroed): call {@link #handleTimeout(long)} at {@link #pollTimeout()}, or let the next
 * {@code unprotect*} call notice.
 *
 * <p>The one window this cannot cover: packets the remote protects with its new keys before our own handshake has
 * produced them (the side that finishes DTLS first may start sending at once). They fail authentication and are
 * counted as drops; call {@link #rekey} as soon as the exporter output is available to keep that window to the last
 * handshake flight.
 *
 * <p>Rollover counters and replay windows are per session, so the new session starts every stream at ROC 0, as the
 * remote's new sending contexts do.
 *
 * <p>Sans-IO and single-threaded by contract, like {@link SrtpSession}: time only enters as {@code nowNanos}; time
 * going backwards is ignored.
 */
public final class RekeyingSrtpSession implements AutoCloseable {

    /** Default time the previous keys stay valid for inbound packets: 5 seconds. */
    public static final long DEFAULT_GRACE_NANOS = 5_000_000_000L;

    private static final Logger LOG = LoggerFactory.getLogger(RekeyingSrtpSession.class);
    private static final Timer.Spec GRACE_TIMER = Timer.Spec.fixed("srtp-previous-keys-grace");

    private final long graceNanos;
    private SrtpSession current;
    private SrtpSession previous;
    /** Runs while {@link #previous} is kept: when its grace period ends. */
    private final Timer previousExpiry = new Timer(GRACE_TIMER);
    private boolean preferPrevious;
    private long lastNow = Long.MIN_VALUE;
    private byte[] scratch = new byte[0];
    private long acceptedWithPreviousKeys;
    private int rekeys;

    public RekeyingSrtpSession(SrtpSession initial) {
        this(initial, DEFAULT_GRACE_NANOS);
    }

    public RekeyingSrtpSession(SrtpSession initial, long graceNanos) {
        this.current = Objects.requireNonNull(initial, "initial");
        if (graceNanos < 0) {
            throw new IllegalArgumentException("grace period must not be negative");
        }
        this.graceNanos = graceNanos;
    }

    /**
     * Installs {@code next} as the current session. The session it replaces keeps accepting inbound packets until
     * {@code nowNanos + grace}; a session still in an earlier grace period is closed now.
     */
    public void rekey(long nowNanos, SrtpSession next) {
        Objects.requireNonNull(next, "next");
        if (next == current) {
            throw new IllegalArgumentException("already the current session");
        }
        advance(nowNanos);
        if (previous != null) {
            previous.close();
        }
        previous = current;
        current = next;
        previousExpiry.start(lastNow, graceNanos);
        preferPrevious = false;
        rekeys++;
        LOG.info("SRTP re-keyed ({} -> {}); previous keys accepted inbound for {} ms", previous.profile(),
                next.profile(), graceNanos / 1_000_000);
    }

    /** The session that protects outgoing packets. */
    public SrtpSession current() {
        return current;
    }

    /** The session kept for inbound packets during a grace period, or null. */
    public SrtpSession previous() {
        return previous;
    }

    /** Protects with the current keys; see {@link SrtpSession#protectRtp}. */
    public int protectRtp(byte[] buf, int off, int len) {
        return current.protectRtp(buf, off, len);
    }

    /** Protects with the current keys; see {@link SrtpSession#protectRtcp}. */
    public int protectRtcp(byte[] buf, int off, int len) {
        return current.protectRtcp(buf, off, len);
    }

    /** Unprotects with whichever keys the packet was protected with; see {@link SrtpSession#unprotectRtp}. */
    public int unprotectRtp(long nowNanos, byte[] buf, int off, int len) {
        advance(nowNanos);
        if (previous == null) {
            return current.unprotectRtp(buf, off, len);
        }
        return tryBoth(buf, off, len, false);
    }

    /** Unprotects with whichever keys the packet was protected with; see {@link SrtpSession#unprotectRtcp}. */
    public int unprotectRtcp(long nowNanos, byte[] buf, int off, int len) {
        advance(nowNanos);
        if (previous == null) {
            return current.unprotectRtcp(buf, off, len);
        }
        return tryBoth(buf, off, len, true);
    }

    private int tryBoth(byte[] buf, int off, int len, boolean rtcp) {
        SrtpSession first = preferPrevious ? previous : current;
        SrtpSession second = preferPrevious ? current : previous;
        if (scratch.length < len) {
            scratch = new byte[Math.max(len, 1500)];
        }
        System.arraycopy(buf, off, scratch, 0, len);
        int r = rtcp ? first.unprotectRtcp(buf, off, len, false) : first.unprotectRtp(buf, off, len, false);
        if (r >= 0) {
            noteAccepted(first);
            return r;
        }
        System.arraycopy(scratch, 0, buf, off, len);
        int r2 = rtcp ? second.unprotectRtcp(buf, off, len, false) : second.unprotectRtp(buf, off, len, false);
        if (r2 >= 0) {
            noteAccepted(second);
            return r2;
        }
        // Both refused: count it once, on the current session, with the current keys' verdict.
        int verdict = first == current ? r : r2;
        current.recordInboundDrop(SrtpDropReason.ofResult(verdict), buf, off, len);
        return verdict;
    }

    private void noteAccepted(SrtpSession s) {
        if (s == previous) {
            acceptedWithPreviousKeys++;
            preferPrevious = true;
        } else {
            preferPrevious = false;
        }
    }

    /** When the grace period ends, or {@link DatagramCore#NO_TIMEOUT}. */
    public long pollTimeout() {
        return previous == null ? DatagramCore.NO_TIMEOUT : previousExpiry.deadline();
    }

    /** Closes the previous session once its grace period has ended. */
    public void handleTimeout(long nowNanos) {
        advance(nowNanos);
    }

    private void advance(long nowNanos) {
        if (nowNanos > lastNow) {
            lastNow = nowNanos;
        }
        if (previous != null && previousExpiry.expired(lastNow)) {
            LOG.info("SRTP grace period over: previous keys retired after accepting {} packets since the re-key",
                    acceptedWithPreviousKeys);
            previous.close();
            previous = null;
            previousExpiry.stop();
            preferPrevious = false;
        }
    }

    /** Packets accepted with the previous keys since construction. */
    public long acceptedWithPreviousKeys() {
        return acceptedWithPreviousKeys;
    }

    /** How many times {@link #rekey} ran. */
    public int rekeyCount() {
        return rekeys;
    }

    /** The current session's counters. */
    public SrtpStats stats() {
        return current.stats();
    }

    @Override
    public void close() {
        if (previous != null) {
            previous.close();
            previous = null;
        }
        current.close();
    }
}
