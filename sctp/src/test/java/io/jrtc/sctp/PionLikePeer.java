package io.jrtc.sctp;

import io.jrtc.common.ParseException;
import io.jrtc.sctp.packet.AbortChunk;
import io.jrtc.sctp.packet.Chunk;
import io.jrtc.sctp.packet.InitAckChunk;
import io.jrtc.sctp.packet.InitChunk;
import io.jrtc.sctp.packet.Parameter;
import io.jrtc.sctp.packet.ProtocolViolationCause;
import io.jrtc.sctp.packet.SctpPacket;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Set;

/**
 * A peer whose SCTP parser behaves like pion/sctp 1.8.6 (Pion 3.1): an INIT or INIT ACK carrying a parameter type
 * outside the set that version knows fails to parse, and the packet is dropped (or, in {@link Mode#ABORT}, answered
 * with an ABORT, as a stricter stack might). Everything else goes to a real {@link SctpAssociation} that, like Pion,
 * does not announce zero checksums.
 */
final class PionLikePeer extends InjectingCore {

    enum Mode { DROP, ABORT }

    /** The parameter types pion/sctp 1.8.6's {@code buildParam} parses (param.go); any other fails the whole chunk. */
    static final Set<Integer> KNOWN = Set.of(1, 7, 13, 16, 0x8000, 0x8002, 0x8003, 0x8004, 0x8008, 0xC000);

    final SctpAssociation inner;
    private final Mode mode;
    int rejected;

    PionLikePeer(SctpConfig.Builder config, Mode mode) {
        this(new SctpAssociation(config.zeroChecksum(false).build(), "pion-like"), mode);
    }

    private PionLikePeer(SctpAssociation inner, Mode mode) {
        super(inner);
        this.inner = inner;
        this.mode = mode;
    }

    /** Whether {@code packet} carries an INIT or INIT ACK with a parameter type this parser does not know. */
    static boolean hasUnknownInitParameter(ByteBuffer packet) {
        SctpPacket p;
        try {
            p = SctpPacket.parse(packet.duplicate());
        } catch (ParseException e) {
            return false;
        }
        for (Chunk c : p.chunks()) {
            List<Parameter> params = c instanceof InitChunk i ? i.parameters() : c instanceof InitAckChunk a ? a.parameters() : List.of();
            for (Parameter param : params) {
                if (!KNOWN.contains(param.type())) {
                    return true;
                }
            }
        }
        return false;
    }

    @Override
    public void handleInput(long nowNanos, ByteBuffer datagram) {
        if (hasUnknownInitParameter(datagram)) {
            rejected++;
            if (mode == Mode.ABORT) {
                try {
                    SctpPacket p = SctpPacket.parse(datagram.duplicate());
                    if (p.chunks().get(0) instanceof InitChunk init) {
                        inject(new SctpPacket(p.destinationPort(), p.sourcePort(), init.initiateTag(),
                                List.of(new AbortChunk(false, List.of(ProtocolViolationCause.of("unhandled ParamType")))))
                                .encode(false));
                    }
                } catch (ParseException e) {
                    throw new AssertionError(e);
                }
            }
            return;
        }
        passOn(nowNanos, datagram);
    }
}
