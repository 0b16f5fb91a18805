package io.jrtc.probe;

/** jrtc's role in the offer/answer exchange with the target. */
public enum Role {
    /** jrtc makes the offer, the target answers. */
    OFFERER,
    /** the target makes the offer, jrtc answers. */
    ANSWERER;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
