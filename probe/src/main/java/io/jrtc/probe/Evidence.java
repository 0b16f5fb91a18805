package io.jrtc.probe;

/**
 * One piece of evidence: a packet, decoded (SCTP chunk types, flags and fields; DCEP fields), or a note.
 *
 * @param atMillis  milliseconds since the scenario's connection was created
 * @param direction {@code "out"} (jrtc to the target), {@code "in"} (target to jrtc), {@code "dropped-in"},
 *                  {@code "dropped-out"}, {@code "rewritten-out"} and the like for what the fault injector did, or
 *                  {@code "note"}
 * @param decoded   the packet decoded, one line
 */
public record Evidence(long atMillis, String direction, String decoded) {

    public static Evidence note(String text) {
        return new Evidence(0, "note", text);
    }

    @Override
    public String toString() {
        return direction.equals("note") ? "note: " + decoded : "+" + atMillis + "ms " + direction + " " + decoded;
    }
}
