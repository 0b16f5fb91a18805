package io.jrtc.sctp;

import java.time.Duration;

/**
 * How one message is delivered: ordered or not, and whether it is reliable or partially reliable (RFC 3758) by
 * a retransmission limit or a lifetime. At most one of the two limits may be set, as in the W3C
 * {@code RTCDataChannelInit}. Partial reliability needs the peer's Forward-TSN support; without it messages are
 * sent reliably.
 *
 * @param unordered       deliver as soon as complete rather than in stream order
 * @param maxRetransmits  retransmissions allowed before the message is abandoned, or {@link #UNLIMITED}
 * @param lifetimeNanos   time from {@code send} after which the message is abandoned, or {@link #UNLIMITED}
 */
public record SendOptions(boolean unordered, int maxRetransmits, long lifetimeNanos) {

    /** No limit. */
    public static final int UNLIMITED = -1;

    /** Reliable, ordered. */
    public static final SendOptions RELIABLE = new SendOptions(false, UNLIMITED, UNLIMITED);
    /** Reliable, unordered. */
    public static final SendOptions RELIABLE_UNORDERED = new SendOptions(true, UNLIMITED, UNLIMITED);

    public SendOptions {
        if (maxRetransmits < UNLIMITED || lifetimeNanos < UNLIMITED) {
            throw new IllegalArgumentException("limits must be >= 0 or UNLIMITED");
        }
        if (maxRetransmits != UNLIMITED && lifetimeNanos != UNLIMITED) {
            throw new IllegalArgumentException("maxRetransmits and lifetime are mutually exclusive");
        }
    }

    /** Partially reliable: abandoned after {@code maxRetransmits} retransmissions. */
    public static SendOptions maxRetransmits(boolean unordered, int maxRetransmits) {
        return new SendOptions(unordered, maxRetransmits, UNLIMITED);
    }

    /** Partially reliable: abandoned once {@code lifetime} has passed since {@code send}. */
    public static SendOptions lifetime(boolean unordered, Duration lifetime) {
        return new SendOptions(unordered, UNLIMITED, lifetime.toNanos());
    }

    public boolean isReliable() {
        return maxRetransmits == UNLIMITED && lifetimeNanos == UNLIMITED;
    }
}
