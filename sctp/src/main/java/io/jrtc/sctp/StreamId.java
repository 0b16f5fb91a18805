package io.jrtc.sctp;

/**
 * An SCTP stream identifier (RFC 9260 §3.3.1): 16 bits, 0 to 65535. Not a sequence number, so it has no serial order;
 * the type only checks the range and names the value. The public API ({@link SctpAssociation#send}, the events) keeps
 * plain {@code int} stream ids, as data channels use them; {@link #check(int)} validates one.
 *
 * @param value the stream identifier
 */
public record StreamId(int value) implements Comparable<StreamId> {

    /** The largest stream identifier. */
    public static final int MAX = 0xFFFF;

    public StreamId {
        check(value);
    }

    public static StreamId of(int value) {
        return new StreamId(value);
    }

    /** Returns {@code value} if it is a valid stream identifier, or throws {@link IllegalArgumentException}. */
    public static int check(int value) {
        if (value < 0 || value > MAX) {
            throw new IllegalArgumentException("stream id out of 16-bit range: " + value);
        }
        return value;
    }

    @Override
    public int compareTo(StreamId other) {
        return Integer.compare(value, other.value);
    }

    @Override
    public String toString() {
        return "stream " + value;
    }
}
