package io.jrtc.ice;

/**
 * Names a local socket of the edge: a UDP socket the edge bound and announced with
 * {@link IceAgent#addLocalSocket}, or a stream (TCP or TLS) to a TURN server that the agent asked the edge to open
 * with an {@link IceEvent.OpenStream} event.
 *
 * @param kind  which namespace the index belongs to: the edge numbers UDP sockets, the agent numbers streams
 * @param index the number within that namespace
 */
public record SocketId(Kind kind, int index) {

    /** The two namespaces of socket ids. */
    public enum Kind { UDP, STREAM }

    public SocketId {
        if (kind == null) {
            throw new IllegalArgumentException("kind must not be null");
        }
    }

    /** A UDP socket id, chosen by the edge. */
    public static SocketId udp(int index) {
        return new SocketId(Kind.UDP, index);
    }

    /** A stream id, chosen by the agent. */
    public static SocketId stream(int index) {
        return new SocketId(Kind.STREAM, index);
    }

    public boolean isStream() {
        return kind == Kind.STREAM;
    }

    @Override
    public String toString() {
        return (kind == Kind.UDP ? "udp#" : "stream#") + index;
    }
}
