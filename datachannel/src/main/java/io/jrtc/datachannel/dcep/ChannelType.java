package io.jrtc.datachannel.dcep;

/** The Channel Type of a DATA_CHANNEL_OPEN (RFC 8832 §5.1, §8.2.2). */
public enum ChannelType {
    RELIABLE(0x00, true, Reliability.RELIABLE),
    RELIABLE_UNORDERED(0x80, false, Reliability.RELIABLE),
    PARTIAL_RELIABLE_REXMIT(0x01, true, Reliability.REXMIT),
    PARTIAL_RELIABLE_REXMIT_UNORDERED(0x81, false, Reliability.REXMIT),
    PARTIAL_RELIABLE_TIMED(0x02, true, Reliability.TIMED),
    PARTIAL_RELIABLE_TIMED_UNORDERED(0x82, false, Reliability.TIMED);

    /** What the Reliability Parameter means for a channel type. */
    public enum Reliability {
        /** Fully reliable; the parameter is ignored. */
        RELIABLE,
        /** The parameter is a number of retransmissions. */
        REXMIT,
        /** The parameter is a lifetime in milliseconds. */
        TIMED
    }

    private final int code;
    private final boolean ordered;
    private final Reliability reliability;

    ChannelType(int code, boolean ordered, Reliability reliability) {
        this.code = code;
        this.ordered = ordered;
        this.reliability = reliability;
    }

    public int code() {
        return code;
    }

    public boolean ordered() {
        return ordered;
    }

    public Reliability reliability() {
        return reliability;
    }

    /** The type with {@code code}, or null. */
    public static ChannelType of(int code) {
        for (ChannelType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        return null;
    }

    /** The type for an ordering and a reliability kind. */
    public static ChannelType of(boolean ordered, Reliability reliability) {
        for (ChannelType t : values()) {
            if (t.ordered == ordered && t.reliability == reliability) {
                return t;
            }
        }
        throw new IllegalArgumentException();
    }
}
