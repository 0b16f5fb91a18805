package io.jrtc.peer;

import java.nio.ByteBuffer;

/**
 * An observation and fault-injection point between the SCTP association and DTLS (the plaintext SCTP packets), and on
 * the connection's UDP datagrams ({@link #onDatagram}), for conformance probes and tests: set it with {@link RtcConfiguration.Builder#packetTap(PacketTap)}. Without one (the
 * default) the production path pays a null check.
 *
 * <p>Every SCTP packet the connection sends or receives is handed to {@link #onSctp}, on the connection's event loop,
 * instead of going on. The tap decides what goes on, by calling {@code forward}:
 * <ul>
 *   <li>once with the packet: it passes unchanged;</li>
 *   <li>never: it is dropped;</li>
 *   <li>twice: it is duplicated;</li>
 *   <li>with other bytes: it is rewritten (the tap recomputes the checksum, if it wants the packet accepted);</li>
 *   <li>later, from any thread: it is delayed or reordered (the connection hands it over to its loop).</li>
 * </ul>
 * The buffer is only valid during the call: a tap that keeps a packet keeps a copy. A tap must not block.
 */
@FunctionalInterface
public interface PacketTap {

    /** Which way a packet goes. */
    enum Direction { OUTBOUND, INBOUND }

    /**
     * One SCTP packet (position to limit) going {@code direction}. Called on the connection's event loop.
     *
     * @param forward where the packet (or what replaces it) goes on: into DTLS when outbound, into the SCTP
     *                association when inbound. May be called any number of times, at once or later, from any thread.
     */
    void onSctp(Direction direction, ByteBuffer packet, Forward forward);

    /**
     * One UDP datagram of the connection (position to limit) going {@code direction}: STUN (ICE checks, consent), DTLS
     * records, SRTP/SRTCP, before the ICE agent sees it (inbound) or as it goes to the socket (outbound). Called on the
     * connection's event loop; the same contract as {@link #onSctp}. By default it passes unchanged.
     *
     * @param forward where the datagram (or what replaces it) goes on: to the socket when outbound, into the ICE agent
     *                when inbound. May be called any number of times, at once or later, from any thread.
     */
    default void onDatagram(Direction direction, ByteBuffer datagram, Forward forward) {
        forward.accept(datagram);
    }

    /** Lets a packet go on. */
    @FunctionalInterface
    interface Forward {
        void accept(ByteBuffer packet);
    }
}
