package io.jrtc.probe.internal;

import io.jrtc.datachannel.DataChannelMessage;
import io.jrtc.peer.PacketTap.Direction;
import io.jrtc.sctp.packet.DataChunk;
import io.jrtc.datachannel.dcep.DataChannelAck;
import io.jrtc.datachannel.dcep.DataChannelOpen;
import java.nio.ByteBuffer;
import java.util.Arrays;

/** Shared steps of scenarios. */
final class Waits {

    private Waits() {
    }

    /** Deterministic pattern bytes for message {@code i}. */
    static byte[] pattern(int i, int size) {
        byte[] b = new byte[size];
        for (int k = 0; k < size; k++) {
            b[k] = (byte) (i * 31 + k * 7);
        }
        if (size >= 4) {
            ByteBuffer.wrap(b).putInt(i);
        }
        return b;
    }

    static boolean sameBytes(DataChannelMessage m, byte[] want) {
        if (m == null || !m.isBinary()) {
            return false;
        }
        ByteBuffer d = m.data().duplicate();
        byte[] got = new byte[d.remaining()];
        d.get(got);
        return Arrays.equals(got, want);
    }

    /** Whether a DATA chunk carries the DATA_CHANNEL_OPEN of {@code label}. */
    static boolean isOpenOf(DataChunk d, String label) {
        return d.ppid() == 50 && Decode.dcep(d).filter(m -> m instanceof DataChannelOpen o && o.label().equals(label)).isPresent();
    }

    /** A DATA_CHANNEL_ACK by its message type, whatever its length (RFC 8832 §5.2 makes it one byte). */
    static boolean isAck(DataChunk d) {
        return d.ppid() == 50 && d.payload().length >= 1 && d.payload()[0] == DataChannelAck.MESSAGE_TYPE;
    }

    static java.util.function.Predicate<ProbeTap.Seen> openOf(Direction dir, String label) {
        return Chunks.has(dir, c -> c instanceof DataChunk d && isOpenOf(d, label));
    }
}
