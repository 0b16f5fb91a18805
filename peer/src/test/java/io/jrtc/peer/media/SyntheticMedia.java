package io.jrtc.peer.media;

import java.util.ArrayList;
import java.util.List;

/**
 * Codec-shaped payloads without a codec: VP8 frames split into RTP payloads with a real RFC 7741 payload descriptor
 * (S bit and PID 0 on the first packet) and a VP8 payload header whose P bit marks key frames; Opus packets with a
 * valid TOC byte (config 11, SILK wideband 20 ms, one frame). Contents are a function of (frame, packet) so that what
 * arrives can be checked byte for byte.
 */
final class SyntheticMedia {

    private SyntheticMedia() {
    }

    /** The RTP payloads of VP8 frame {@code frame}: {@code packets} of {@code size} bytes each. */
    static List<byte[]> vp8Frame(int frame, boolean keyFrame, int packets, int size) {
        List<byte[]> out = new ArrayList<>();
        for (int p = 0; p < packets; p++) {
            byte[] b = new byte[size];
            b[0] = (byte) (p == 0 ? 0x10 : 0x00);
            if (p == 0) {
                b[1] = (byte) (keyFrame ? 0x50 : 0x51);
                if (keyFrame && size >= 10) {
                    b[2] = 0x00;
                    b[3] = 0x00;
                    b[4] = (byte) 0x9D;
                    b[5] = 0x01;
                    b[6] = 0x2A;
                    b[7] = (byte) 0x80;
                    b[8] = 0x02;
                    b[9] = (byte) 0xE0;
                }
            }
            for (int i = p == 0 ? 10 : 1; i < size; i++) {
                b[i] = (byte) (frame * 31 + p * 7 + i);
            }
            out.add(b);
        }
        return out;
    }

    /** One Opus packet: TOC 0x58 (config 11, mono, one frame) then deterministic bytes. */
    static byte[] opus(int n, int size) {
        byte[] b = new byte[size];
        b[0] = 0x58;
        for (int i = 1; i < size; i++) {
            b[i] = (byte) (n * 13 + i);
        }
        return b;
    }
}
