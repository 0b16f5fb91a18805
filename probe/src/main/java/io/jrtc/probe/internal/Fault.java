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
 */
public record Fault(String name, Direction direction, int chunkType, int first, int every, Action action, long delayMs,
        UnaryOperator<SctpPacket> rewrite, Predicate<SctpPacket> match) {

    public enum Action { DROP, DUPLICATE, DELAY, REWRITE, FLIP_CHECKSUM }

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
        if (d != direction) {
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
