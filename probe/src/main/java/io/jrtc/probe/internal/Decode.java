package io.jrtc.probe.internal;

import io.jrtc.datachannel.dcep.DataChannelAck;
import io.jrtc.datachannel.dcep.DataChannelOpen;
import io.jrtc.datachannel.dcep.DcepMessage;
import io.jrtc.sctp.packet.AbortChunk;
import io.jrtc.sctp.packet.Chunk;
import io.jrtc.sctp.packet.DataChunk;
import io.jrtc.sctp.packet.ErrorChunk;
import io.jrtc.sctp.packet.InitAckChunk;
import io.jrtc.sctp.packet.InitChunk;
import io.jrtc.sctp.packet.Parameter;
import io.jrtc.sctp.packet.ReConfigChunk;
import io.jrtc.sctp.packet.SackChunk;
import io.jrtc.sctp.packet.SctpPacket;
import io.jrtc.sctp.packet.UnknownChunk;
import io.jrtc.sctp.packet.UnknownParameter;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** One-line decodings of SCTP packets and DCEP messages, for evidence. */
public final class Decode {

    private Decode() {
    }

    public static String packet(SctpPacket p) {
        return packet(p, false);
    }

    /** With {@code zeroChecksum}, the decoding says the checksum field was zero (RFC 9653). */
    public static String packet(SctpPacket p, boolean zeroChecksum) {
        List<String> parts = new ArrayList<>();
        for (Chunk c : p.chunks()) {
            parts.add(chunk(c));
        }
        return "SCTP vtag=0x" + Long.toHexString(p.verificationTag()) + (zeroChecksum ? " checksum=0" : "") + " ["
                + String.join("; ", parts) + "]";
    }

    public static String chunk(Chunk c) {
        return switch (c) {
            case DataChunk d -> data(d);
            case InitChunk i -> "INIT tag=0x" + Long.toHexString(i.initiateTag()) + " a_rwnd=" + i.advertisedReceiverWindowCredit()
                    + " os=" + i.outboundStreams() + " mis=" + i.inboundStreams() + " tsn=" + i.initialTsn() + " params=" + params(i.parameters());
            case InitAckChunk i -> "INIT_ACK tag=0x" + Long.toHexString(i.initiateTag()) + " a_rwnd=" + i.advertisedReceiverWindowCredit()
                    + " os=" + i.outboundStreams() + " mis=" + i.inboundStreams() + " tsn=" + i.initialTsn() + " params=" + params(i.parameters());
            case SackChunk s -> "SACK cum_tsn=" + s.cumulativeTsnAck() + " a_rwnd=" + s.advertisedReceiverWindowCredit()
                    + " gaps=" + s.gapAckBlocks().stream().map(g -> g.start() + "-" + g.end()).toList()
                    + " dups=" + s.duplicateTsns().size();
            case ReConfigChunk r -> "RE_CONFIG " + r.parameters();
            case AbortChunk a -> "ABORT T=" + (a.tagReflected() ? 1 : 0) + " causes=" + a.causes();
            case ErrorChunk e -> "ERROR causes=" + e.causes();
            case io.jrtc.sctp.packet.ForwardTsnChunk f -> "FORWARD_TSN new_cum_tsn=" + f.newCumulativeTsn() + " streams="
                    + f.skippedStreams().stream().map(x -> x.streamId() + ":" + x.ssn()).toList();
            case UnknownChunk u -> String.format("UNKNOWN type=0x%02X (high bits %d%d) flags=0x%02x len=%d", u.type(),
                    u.type() >> 7, (u.type() >> 6) & 1, u.flags(), u.length());
            default -> Fault.chunkName(c.type());
        };
    }

    static String params(List<Parameter> ps) {
        List<String> out = new ArrayList<>();
        for (Parameter p : ps) {
            out.add(p instanceof io.jrtc.sctp.packet.ZeroChecksumAcceptableParameter z
                    ? "ZeroChecksumAcceptable(0x8001, EDMID=" + z.errorDetectionMethod() + ")"
                    : p instanceof UnknownParameter u ? "Unknown(type=0x" + Integer.toHexString(u.type()) + ", " + u.value().length + " B)"
                    : p instanceof io.jrtc.sctp.packet.UnrecognizedParameter r && r.parameter().length >= 2
                    ? "Unrecognized(reports type 0x" + Integer.toHexString(ByteBuffer.wrap(r.parameter()).getShort() & 0xFFFF) + ")"
                    : p.getClass().getSimpleName().replace("Parameter", "") + "(0x" + Integer.toHexString(p.type()) + ")");
        }
        return out.toString();
    }

    public static String data(DataChunk d) {
        StringBuilder s = new StringBuilder("DATA tsn=").append(d.tsn()).append(" sid=").append(d.streamId())
                .append(" ssn=").append(d.ssn()).append(" ppid=").append(d.ppid()).append(" flags=")
                .append(d.unordered() ? "U" : "").append(d.beginning() ? "B" : "").append(d.ending() ? "E" : "")
                .append(d.immediate() ? "I" : "").append(" len=").append(d.payload().length);
        if (d.ppid() == 50) {
            Optional<DcepMessage> m = dcep(d);
            if (m.isPresent()) {
                s.append(" ").append(dcep(m.get()));
            } else if (d.payload().length > 0) {
                int type = d.payload()[0] & 0xFF;
                s.append(" DCEP type=0x").append(String.format("%02x", type))
                        .append(type == 0x02 ? " (DATA_CHANNEL_ACK)" : type == 0x03 ? " (DATA_CHANNEL_OPEN)" : "")
                        .append(" malformed: ").append(d.payload().length).append(" bytes");
            }
        } else if ((d.ppid() == 56 || d.ppid() == 57) && d.payload().length > 0) {
            s.append(" payload=0x").append(String.format("%02x", d.payload()[0]));
        }
        return s.toString();
    }

    /** The DCEP message a DATA chunk with PPID 50 carries, if it parses. */
    public static Optional<DcepMessage> dcep(DataChunk d) {
        try {
            return Optional.of(DcepMessage.parse(ByteBuffer.wrap(d.payload())));
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    public static String dcep(DcepMessage m) {
        return switch (m) {
            case DataChannelOpen o -> "DATA_CHANNEL_OPEN type=0x" + String.format("%02x", o.channelType().code()) + " ("
                    + o.channelType() + ") priority=" + o.priority() + " reliability=" + o.reliabilityParameter()
                    + " label='" + o.label() + "' protocol='" + o.protocol() + "'";
            case DataChannelAck a -> "DATA_CHANNEL_ACK";
        };
    }
}
