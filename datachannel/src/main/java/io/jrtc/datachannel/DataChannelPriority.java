package io.jrtc.datachannel;

/**
 * W3C {@code RTCPriorityType} and the DCEP priority values it maps to (RFC 8832 §6.4, W3C webrtc-priority §4.2).
 * The priority is announced in DATA_CHANNEL_OPEN (a channel opened by the peer takes the peer's value) and is the
 * weight of the channel's stream in SCTP's send scheduler, weighted fair queueing at message boundaries (RFC 8831
 * §6.4, RFC 8260 §3.6): while several channels have data waiting, each gets a share of the sending in proportion to
 * its value, so a HIGH channel's messages get 8 times the bytes of a VERY_LOW one's and go ahead of a LOW backlog.
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
