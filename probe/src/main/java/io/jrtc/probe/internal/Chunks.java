package io.jrtc.probe.internal;

import io.jrtc.peer.PacketTap.Direction;
import io.jrtc.sctp.packet.Chunk;
import io.jrtc.sctp.packet.DataChunk;
import io.jrtc.sctp.packet.SctpPacket;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/** Small queries and rewrites over seen packets and their chunks. */
public final class Chunks {

    private Chunks() {
    }

    /** Whether the packet passed in {@code d} and carries a chunk matching {@code c}. */
    public static Predicate<ProbeTap.Seen> has(Direction d, Predicate<Chunk> c) {
        return s -> s.packet() != null && s.direction() == d && s.packet().chunks().stream().anyMatch(c);
    }

    public static Predicate<Chunk> type(int t) {
        return c -> c.type() == t;
    }

    /** DATA chunks on stream {@code sid}. */
    public static Predicate<Chunk> dataOn(int sid) {
        return c -> c instanceof DataChunk d && d.streamId() == sid;
    }

    /** Every chunk of type {@code T} in the packets seen in {@code d} (passed ones only, in order). */
    public static <T extends Chunk> List<T> all(List<ProbeTap.Seen> seen, Direction d, Class<T> type) {
        List<T> out = new ArrayList<>();
        for (ProbeTap.Seen s : seen) {
            if (s.packet() != null && s.direction() == d && s.passed()) {
                for (Chunk c : s.packet().chunks()) {
                    if (type.isInstance(c)) {
                        out.add(type.cast(c));
                    }
                }
            }
        }
        return out;
    }

    /** The packet with each chunk replaced by {@code f}'s answer (the same packet when nothing changed). */
    public static SctpPacket mapChunks(SctpPacket p, UnaryOperator<Chunk> f) {
        List<Chunk> out = new ArrayList<>(p.chunks().size());
        boolean changed = false;
        for (Chunk c : p.chunks()) {
            Chunk n = f.apply(c);
            changed |= n != c;
            out.add(n);
        }
        return changed ? new SctpPacket(p.sourcePort(), p.destinationPort(), p.verificationTag(), out) : p;
    }
}
