package io.jrtc.datachannel;

/**
 * W3C {@code RTCDataChannelInit}: the options of {@link DataChannelEndpoint#createDataChannel}. Build with
 * {@link #builder()}; {@link #DEFAULT} is a reliable, ordered, in-band negotiated channel.
 *
 * @param ordered           deliver in order
 * @param maxPacketLifeTime milliseconds a message may be retransmitted for, or null (at most one of the two limits)
 * @param maxRetransmits    retransmissions allowed, or null
 * @param protocol          sub-protocol name, announced in DATA_CHANNEL_OPEN
 * @param negotiated        agreed out of band: no DCEP handshake, both sides create the channel with the same id
 * @param id                stream id; required when negotiated, otherwise null (chosen by DTLS role)
 * @param priority          announced priority
 */
public record DataChannelInit(boolean ordered, Integer maxPacketLifeTime, Integer maxRetransmits, String protocol,
        boolean negotiated, Integer id, DataChannelPriority priority) {

    public static final DataChannelInit DEFAULT = builder().build();

    public DataChannelInit {
        if (maxPacketLifeTime != null && maxRetransmits != null) {
            throw new IllegalArgumentException("maxPacketLifeTime and maxRetransmits are mutually exclusive (W3C TypeError)");
        }
        if ((maxPacketLifeTime != null && (maxPacketLifeTime < 0 || maxPacketLifeTime > 65535))
                || (maxRetransmits != null && (maxRetransmits < 0 || maxRetransmits > 65535))) {
            throw new IllegalArgumentException("maxPacketLifeTime and maxRetransmits are unsigned 16-bit values");
        }
        if (protocol == null) {
            protocol = "";
        }
        if (priority == null) {
            priority = DataChannelPriority.LOW;
        }
        if (negotiated && id == null) {
            throw new IllegalArgumentException("a negotiated channel needs an id (W3C TypeError)");
        }
        if (id != null && (id < 0 || id > 65534)) {
            throw new IllegalArgumentException("id must be within [0, 65534]");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builder with W3C defaults: ordered, reliable, protocol "", not negotiated, priority low. */
    public static final class Builder {
        private boolean ordered = true;
        private Integer maxPacketLifeTime;
        private Integer maxRetransmits;
        private String protocol = "";
        private boolean negotiated;
        private Integer id;
        private DataChannelPriority priority = DataChannelPriority.LOW;

        private Builder() {
        }

        public Builder ordered(boolean v) {
            ordered = v;
            return this;
        }

        public Builder maxPacketLifeTime(Integer ms) {
            maxPacketLifeTime = ms;
            return this;
        }

        public Builder maxRetransmits(Integer n) {
            maxRetransmits = n;
            return this;
        }

        public Builder protocol(String v) {
            protocol = v;
            return this;
        }

        /** An out-of-band negotiated channel with the given stream id. */
        public Builder negotiated(int streamId) {
            negotiated = true;
            id = streamId;
            return this;
        }

        public Builder priority(DataChannelPriority v) {
            priority = v;
            return this;
        }

        public DataChannelInit build() {
            return new DataChannelInit(ordered, maxPacketLifeTime, maxRetransmits, protocol, negotiated, id, priority);
        }
    }
}
