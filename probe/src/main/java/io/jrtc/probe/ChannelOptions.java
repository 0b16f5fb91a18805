package io.jrtc.probe;

/**
 * A data channel's options as the W3C API has them (what a scenario asks the target to open).
 *
 * @param ordered           ordered delivery
 * @param maxRetransmits    partial reliability by retransmissions, or null
 * @param maxPacketLifeTime partial reliability by time (ms), or null
 * @param protocol          the sub-protocol string
 * @param negotiatedId      the stream id of a channel negotiated out of band (no DATA_CHANNEL_OPEN), or null for an
 *                          in-band one
 */
public record ChannelOptions(boolean ordered, Integer maxRetransmits, Integer maxPacketLifeTime, String protocol,
        Integer negotiatedId) {

    public ChannelOptions {
        protocol = protocol == null ? "" : protocol;
    }

    /** An in-band (DCEP) channel. */
    public ChannelOptions(boolean ordered, Integer maxRetransmits, Integer maxPacketLifeTime, String protocol) {
        this(ordered, maxRetransmits, maxPacketLifeTime, protocol, null);
    }

    /** The DCEP channel type these options must produce (RFC 8832 §5.1). */
    public int expectedChannelType() {
        int low = maxRetransmits != null ? 0x01 : maxPacketLifeTime != null ? 0x02 : 0x00;
        return (ordered ? 0 : 0x80) | low;
    }

    /** The DCEP reliability parameter these options must produce. */
    public long expectedReliabilityParameter() {
        return maxRetransmits != null ? maxRetransmits : maxPacketLifeTime != null ? maxPacketLifeTime : 0;
    }

    @Override
    public String toString() {
        return (ordered ? "ordered" : "unordered") + (maxRetransmits != null ? ", maxRetransmits=" + maxRetransmits
                : maxPacketLifeTime != null ? ", maxPacketLifeTime=" + maxPacketLifeTime : ", reliable")
                + (protocol.isEmpty() ? "" : ", protocol='" + protocol + "'")
                + (negotiatedId == null ? "" : ", negotiated id=" + negotiatedId);
    }
}
