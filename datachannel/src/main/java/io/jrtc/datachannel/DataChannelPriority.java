package io.jrtc.datachannel;

/**
 * W3C {@code RTCPriorityType} and the DCEP priority values it maps to (RFC 8832 §6.4, W3C webrtc-priority §4.2).
 * The priority is announced in DATA_CHANNEL_OPEN; the SCTP scheduler serves streams round-robin regardless.
 */
public enum DataChannelPriority {
    VERY_LOW(128),
    LOW(256),
    MEDIUM(512),
    HIGH(1024);

    private final int dcepValue;

    DataChannelPriority(int dcepValue) {
        this.dcepValue = dcepValue;
    }

    /** The 16-bit value carried in DATA_CHANNEL_OPEN. */
    public int dcepValue() {
        return dcepValue;
    }

    /** The nearest priority for a received DCEP value (RFC 8832 allows any 16-bit value). */
    public static DataChannelPriority fromDcep(int value) {
        if (value <= 128) {
            return VERY_LOW;
        }
        if (value <= 256) {
            return LOW;
        }
        if (value <= 512) {
            return MEDIUM;
        }
        return HIGH;
    }
}
