package io.jrtc.sdp;

/**
 * The media direction attributes of RFC 8866 section 6.7 ({@code a=sendrecv}, {@code a=sendonly},
 * {@code a=recvonly}, {@code a=inactive}), always from the point of view of the side that wrote them.
 *
 * <pre>
 * a=recvonly / a=sendrecv / a=sendonly / a=inactive       (property attributes, no value)
 * </pre>
 *
 * <p>With none present, an m-section is {@link #SENDRECV} (RFC 8866 section 6.7).
 */
public enum Direction implements TypedAttribute {
    /** Sends and receives. */
    SENDRECV("sendrecv", true, true),
    /** Only sends. */
    SENDONLY("sendonly", true, false),
    /** Only receives. */
    RECVONLY("recvonly", false, true),
    /** Neither. */
    INACTIVE("inactive", false, false);

    private final String sdpName;
    private final boolean sends;
    private final boolean receives;

    Direction(String sdpName, boolean sends, boolean receives) {
        this.sdpName = sdpName;
        this.sends = sends;
        this.receives = receives;
    }

    /** The attribute name, which is the whole attribute: {@code sendrecv}, ... */
    public String sdpName() {
        return sdpName;
    }

    /** True if the writer sends media. */
    public boolean sends() {
        return sends;
    }

    /** True if the writer receives media. */
    public boolean receives() {
        return receives;
    }

    /** The direction with these two flags. */
    public static Direction of(boolean sends, boolean receives) {
        if (sends) {
            return receives ? SENDRECV : SENDONLY;
        }
        return receives ? RECVONLY : INACTIVE;
    }

    /** The direction for an attribute name, or {@code null} if it is not one of the four. */
    public static Direction fromAttributeName(String name) {
        return switch (name) {
            case "sendrecv" -> SENDRECV;
            case "sendonly" -> SENDONLY;
            case "recvonly" -> RECVONLY;
            case "inactive" -> INACTIVE;
            default -> null;
        };
    }

    /** The same direction seen from the other side: sendonly and recvonly swap (RFC 3264 section 6.1). */
    public Direction reverse() {
        return of(receives, sends);
    }

    /**
     * The direction an answerer writes when it would like {@code this} and the offer says {@code offered}
     * (RFC 3264 section 6.1, RFC 9429 section 5.3.1): it may send only if the offerer receives, and
     * receive only if the offerer sends.
     */
    public Direction answerTo(Direction offered) {
        return of(sends && offered.receives, receives && offered.sends);
    }

    @Override
    public String attributeName() {
        return sdpName;
    }

    /** Always {@code null}: direction attributes are flags. */
    @Override
    public String toAttributeValue() {
        return null;
    }
}
