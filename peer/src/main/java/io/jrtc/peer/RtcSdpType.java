package io.jrtc.peer;

/** W3C {@code RTCSdpType}. */
public enum RtcSdpType {
    OFFER, PRANSWER, ANSWER, ROLLBACK;

    /** The lower-case W3C/JSON name ({@code "offer"}, {@code "answer"}, ...). */
    public String w3cName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static RtcSdpType fromW3cName(String name) {
        return switch (name) {
            case "offer" -> OFFER;
            case "pranswer" -> PRANSWER;
            case "answer" -> ANSWER;
            case "rollback" -> ROLLBACK;
            default -> throw new IllegalArgumentException("unknown SDP type: " + name);
        };
    }
}
