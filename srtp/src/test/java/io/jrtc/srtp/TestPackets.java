package io.jrtc.srtp;

import java.util.Arrays;
import java.util.Random;

/** Raw RTP/RTCP packets for the SRTP tests, written byte by byte (independent of the rtp package's writers). */
final class TestPackets {

    private TestPackets() {
    }

    /** A minimal RTP packet (no CSRC, no extension) with {@code tail} spare bytes after it. */
    static byte[] rtp(int pt, int seq, long ts, long ssrc, byte[] payload, int tail) {
        byte[] b = new byte[12 + payload.length + tail];
        b[0] = (byte) 0x80;
        b[1] = (byte) (pt & 0x7F);
        b[2] = (byte) (seq >>> 8);
        b[3] = (byte) seq;
        putInt(b, 4, ts);
        putInt(b, 8, ssrc);
        System.arraycopy(payload, 0, b, 12, payload.length);
        return b;
    }

    /** A receiver report with no report blocks (8 bytes) followed by {@code extra} payload-like bytes. */
    static byte[] rtcpRr(long ssrc, int extraWords, int tail) {
        int len = 8 + 4 * extraWords;
        byte[] b = new byte[len + tail];
        b[0] = (byte) 0x80;
        b[1] = (byte) 201;
        int words = len / 4 - 1;
        b[2] = (byte) (words >>> 8);
        b[3] = (byte) words;
        putInt(b, 4, ssrc);
        for (int i = 8; i < len; i++) {
            b[i] = (byte) (i * 7);
        }
        return b;
    }

    static byte[] randomPayload(Random random, int n) {
        byte[] p = new byte[n];
        random.nextBytes(p);
        return p;
    }

    static void putInt(byte[] b, int i, long v) {
        b[i] = (byte) (v >>> 24);
        b[i + 1] = (byte) (v >>> 16);
        b[i + 2] = (byte) (v >>> 8);
        b[i + 3] = (byte) v;
    }

    static byte[] copy(byte[] b, int len) {
        return Arrays.copyOf(b, len);
    }
}
