package io.jrtc.probe.internal;

import io.jrtc.sctp.packet.Chunk;
import io.jrtc.sctp.packet.InitAckChunk;
import io.jrtc.sctp.packet.InitChunk;
import io.jrtc.sctp.packet.SackChunk;
import io.jrtc.sctp.packet.SctpPacket;
import java.util.function.UnaryOperator;

/** Rewrites of the advertised receive window (a_rwnd) in INIT, INIT ACK and SACK. */
public final class Windows {

    private Windows() {
    }

    /** Every a_rwnd in the packet replaced by {@code f(a_rwnd)}. */
    public static UnaryOperator<SctpPacket> rewrite(java.util.function.LongUnaryOperator f) {
        return p -> Chunks.mapChunks(p, c -> rewrite(c, f));
    }

    private static Chunk rewrite(Chunk c, java.util.function.LongUnaryOperator f) {
        return switch (c) {
            case InitChunk i when f.applyAsLong(i.advertisedReceiverWindowCredit()) != i.advertisedReceiverWindowCredit() ->
                    new InitChunk(i.initiateTag(), f.applyAsLong(i.advertisedReceiverWindowCredit()), i.outboundStreams(),
                            i.inboundStreams(), i.initialTsn(), i.parameters());
            case InitAckChunk i when f.applyAsLong(i.advertisedReceiverWindowCredit()) != i.advertisedReceiverWindowCredit() ->
                    new InitAckChunk(i.initiateTag(), f.applyAsLong(i.advertisedReceiverWindowCredit()), i.outboundStreams(),
                            i.inboundStreams(), i.initialTsn(), i.parameters());
            case SackChunk s when f.applyAsLong(s.advertisedReceiverWindowCredit()) != s.advertisedReceiverWindowCredit() ->
                    new SackChunk(s.cumulativeTsnAck(), f.applyAsLong(s.advertisedReceiverWindowCredit()), s.gapAckBlocks(),
                            s.duplicateTsns());
            default -> c;
        };
    }
}
