package io.jrtc.probe.internal;

import io.jrtc.peer.PacketTap.Direction;
import io.jrtc.sctp.packet.Chunk;
import io.jrtc.sctp.packet.SctpPacket;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * One fault the injector applies to the SCTP packets of one direction: "drop the first COOKIE ECHO" is
 * {@code Fault.drop(OUTBOUND, ChunkTypes.COOKIE_ECHO, 1, 1)}, "drop every 10th DATA" is
 * {@code Fault.drop(INBOUND, ChunkTypes.DATA, 10, 10)}. A fault counts the packets that carry a chunk of its type
 * (the first is number 1) and acts on number {@code first}, then every {@code every}-th after it (0: only the first).
 *
 * @param name      how it appears in the evidence
 * @param direction which packets it sees
 * @param chunkType the chunk type a packet must carry to be counted ({@code -1}: every packet)
 * @param first     the first packet acted on (1-based)
 * @param every     act again every this many packets after {@code first}; 0 for once
 * @param action    what is done to a packet acted on
 * @param delayMs   for {@link Action#DELAY}: how long
 * @param rewrite   for {@link Action#REWRITE}: the new packet (the checksum is recomputed unless the original had a
 *                  zero checksum)
 * @param match     when not null, only the packets it accepts are counted (besides carrying {@code chunkType})
 * @param wire      when not null, the fault acts on the connection's UDP datagrams, not on SCTP packets: it counts
 *                  the datagrams that carry this {@link Wire.Kind} (a DTLS handshake message, a STUN message) and
 *                  drops, duplicates or delays them ({@code chunkType}, {@code rewrite} and {@code match} are unused)
 * @param wireMatch with {@code wire}: when not null, only the datagrams it accepts are counted
 */
public record Fault(String name, Direction direction, int chunkType, int first, int every, Action action, long delayMs,
        UnaryOperator<SctpPacket> rewrite, Predicate<SctpPacket> match, Wire.Kind wire, Predicate<Wire.Datagram> wireMatch) {

    public enum Action { DROP, DUPLICATE, DELAY, REWRITE, FLIP_CHECKSUM }

    /** A fault on SCTP packets. */
    public Fault(String name, Direction direction, int chunkType, int first, int every, Action action, long delayMs,
            UnaryOperator<SctpPacket> rewrite, Predicate<SctpPacket> match) {
        this(name, direction, chunkType, first, every, action, delayMs, rewrite, match, null, null);
    }

    /**
     * A fault on the datagrams that carry {@code kind}: {@code Fault.onWire(DROP, OUTBOUND, Wire.Kind.DTLS_FINISHED, 1,
     * 0, 0)} drops jrtc's first datagram with a Finished; {@code DELAY} holds it {@code ms}.
     */
    public static Fault onWire(Action action, Direction d, Wire.Kind kind, int first, int every, long ms) {
        return onWire(action, d, kind, first, every, ms, null, null);
    }

    /** The same, counting only the datagrams {@code match} accepts; {@code label} (when not null) names them. */
    public static Fault onWire(Action action, Direction d, Wire.Kind kind, int first, int every, long ms,
            Predicate<Wire.Datagram> match, String label) {
        if (action != Action.DROP && action != Action.DUPLICATE && action != Action.DELAY) {
            throw new IllegalArgumentException("a datagram fault drops, duplicates or delays");
        }
        String which = every == 0 ? "#" + first : "every " + every + "th from #" + first;
        String what = which + " " + (d == Direction.OUTBOUND ? "outbound" : "inbound") + " " + (label != null ? label : kind.name());
        String name = switch (action) {
            case DROP -> "drop " + what;
            case DUPLICATE -> "duplicate " + what;
            default -> "delay " + ms + " ms " + what;
        };
        return new Fault(name, d, -1, first, every, action, ms, null, null, kind, match);
    }

    /** Whether the datagram counts for this (datagram) fault. */
    boolean countsDatagram(Direction d, Wire.Datagram g) {
        return wire != null && d == direction && g.has(wire) && (wireMatch == null || wireMatch.test(g));
    }

    public static Fault drop(Direction d, int chunkType, int first, int every) {
        return new Fault("drop " + label(d, chunkType, first, every), d, chunkType, first, every, Action.DROP, 0, null, null);
    }

    public static Fault duplicate(Direction d, int chunkType, int first, int every) {
        return new Fault("duplicate " + label(d, chunkType, first, every), d, chunkType, first, every, Action.DUPLICATE, 0, null, null);
    }

    /** Delays the chosen packets; those after them overtake them (a reorder). */
    public static Fault delay(Direction d, int chunkType, int first, int every, long ms) {
        return new Fault("delay " + ms + " ms " + label(d, chunkType, first, every), d, chunkType, first, every, Action.DELAY, ms, null, null);
    }

    /** Delays every packet of the direction that carries a chunk of the type and that {@code match} accepts. */
    public static Fault delayMatching(String name, Direction d, int chunkType, Predicate<SctpPacket> match, long ms) {
        return new Fault("delay " + ms + " ms " + name, d, chunkType, 1, 1, Action.DELAY, ms, null, match);
    }

    /** Rewrites every packet of the direction that carries a chunk of the type. */
    public static Fault rewrite(String name, Direction d, int chunkType, UnaryOperator<SctpPacket> rewrite) {
        return new Fault(name, d, chunkType, 1, 1, Action.REWRITE, 0, rewrite, null);
    }

    /**
     * Sends the chosen packets with the other kind of checksum: a correct CRC32c becomes zero, a zero (RFC 9653) becomes
     * a correct CRC32c.
     */
    public static Fault flipChecksum(Direction d, int chunkType, int first, int every) {
        return new Fault("flip the checksum of " + label(d, chunkType, first, every), d, chunkType, first, every,
                Action.FLIP_CHECKSUM, 0, null, null);
    }

    private static String label(Direction d, int chunkType, int first, int every) {
        String what = chunkType < 0 ? "packet" : chunkName(chunkType);
        String which = every == 0 ? "#" + first : "every " + every + "th from #" + first;
        return which + " " + (d == Direction.OUTBOUND ? "outbound" : "inbound") + " " + what;
    }

    static String chunkName(int type) {
        return switch (type) {
            case 0 -> "DATA"; case 1 -> "INIT"; case 2 -> "INIT_ACK"; case 3 -> "SACK"; case 4 -> "HEARTBEAT";
            case 5 -> "HEARTBEAT_ACK"; case 6 -> "ABORT"; case 7 -> "SHUTDOWN"; case 8 -> "SHUTDOWN_ACK"; case 9 -> "ERROR";
            case 10 -> "COOKIE_ECHO"; case 11 -> "COOKIE_ACK"; case 14 -> "SHUTDOWN_COMPLETE"; case 130 -> "RE_CONFIG";
            case 192 -> "FORWARD_TSN";
            default -> "chunk " + type;
        };
    }

    /** Whether the packet counts for this fault. */
    boolean counts(Direction d, SctpPacket p) {
        if (d != direction || wire != null) {
            return false;
        }
        if (match != null && !match.test(p)) {
            return false;
        }
        if (chunkType < 0) {
            return true;
        }
        for (Chunk c : p.chunks()) {
            if (c.type() == chunkType) {
                return true;
            }
        }
        return false;
    }

    /** Whether the {@code n}-th counted packet (1-based) is acted on. */
    boolean selects(long n) {
        return n == first || (every > 0 && n > first && (n - first) % every == 0);
    }
}
