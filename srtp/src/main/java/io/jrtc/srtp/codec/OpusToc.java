package io.jrtc.srtp.codec;

import io.jrtc.common.ParseError;
import io.jrtc.common.ParseException;
import java.nio.ByteBuffer;

/**
 * The table-of-contents byte that starts every Opus packet (RFC 6716 section 3.1), with the frame count byte of
 * code-3 packets (section 3.2.5).
 *
 * <pre>
 *  0 1 2 3 4 5 6 7
 * +-+-+-+-+-+-+-+-+
 * | config  |s| c |      config: mode, bandwidth and frame size (Table 2); s: stereo;
 * +-+-+-+-+-+-+-+-+      c: 0 = 1 frame, 1 = 2 equal frames, 2 = 2 frames of different sizes, 3 = M frames
 * |v|p|     M     |      (code 3 only) v: VBR, p: padding, M: frame count 1-48
 * +-+-+-+-+-+-+-+-+
 * </pre>
 *
 * @param config 0-31
 * @param stereo s
 * @param frameCountCode c, 0-3
 * @param frameCount frames in the packet (1 or 2 for codes 0-2; M for code 3)
 * @param vbr code 3 only: v
 * @param padded code 3 only: p
 */
public record OpusToc(int config, boolean stereo, int frameCountCode, int frameCount, boolean vbr, boolean padded)
        implements PayloadHeader {

    /** Coding mode of a configuration (RFC 6716 section 3.1, Table 2). */
    public enum Mode { SILK, HYBRID, CELT }

    /** Audio bandwidth of a configuration. */
    public enum Bandwidth { NARROWBAND, MEDIUMBAND, WIDEBAND, SUPER_WIDEBAND, FULLBAND }

    /** RFC 6716 section 3.2.5: a packet holds at most 120 ms of audio. */
    public static final int MAX_PACKET_DURATION_MICROS = 120_000;

    public OpusToc {
        if (config < 0 || config > 31 || frameCountCode < 0 || frameCountCode > 3) {
            throw new IllegalArgumentException("config " + config + " / code " + frameCountCode);
        }
    }

    /** Parses the TOC (and for code 3 the frame count byte) at the start of an Opus packet. */
    public static OpusToc parse(byte[] packet, int off, int len) throws ParseException {
        ParseException.requireLength("Opus TOC", len, 1);
        int toc = packet[off] & 0xFF;
        int config = toc >>> 3;
        boolean stereo = (toc & 0x04) != 0;
        int code = toc & 0x03;
        int frames;
        boolean vbr = false;
        boolean padded = false;
        switch (code) {
            case 0 -> frames = 1;
            case 1 -> {
                frames = 2;
                if ((len - 1) % 2 != 0) {
                    throw new ParseException(ParseError.INVALID_LENGTH, "Opus code 1 packet with an odd "
                            + (len - 1) + "-byte payload cannot hold two equal frames");
                }
            }
            case 2 -> {
                frames = 2;
                ParseException.requireLength("Opus code 2 frame length", len, 2);
            }
            default -> {
                ParseException.requireLength("Opus frame count byte", len, 2);
                int fc = packet[off + 1] & 0xFF;
                vbr = (fc & 0x80) != 0;
                padded = (fc & 0x40) != 0;
                frames = fc & 0x3F;
                if (frames == 0) {
                    throw new ParseException(ParseError.INVALID_VALUE, "Opus code 3 packet with 0 frames");
                }
            }
        }
        OpusToc t = new OpusToc(config, stereo, code, frames, vbr, padded);
        if (t.packetDurationMicros() > MAX_PACKET_DURATION_MICROS) {
            throw new ParseException(ParseError.INVALID_VALUE, "Opus packet of " + frames + " frames lasts "
                    + t.packetDurationMicros() + " us, over 120 ms");
        }
        return t;
    }

    /** Parses the packet in the buffer's remaining bytes (copied once), advancing past the TOC. */
    public static OpusToc parse(ByteBuffer b) throws ParseException {
        byte[] copy = new byte[b.remaining()];
        b.duplicate().get(copy);
        OpusToc t = parse(copy, 0, copy.length);
        b.position(b.position() + t.encodedLength());
        return t;
    }

    public Mode mode() {
        return config < 12 ? Mode.SILK : config < 16 ? Mode.HYBRID : Mode.CELT;
    }

    public Bandwidth bandwidth() {
        if (config < 12) {
            return config < 4 ? Bandwidth.NARROWBAND : config < 8 ? Bandwidth.MEDIUMBAND : Bandwidth.WIDEBAND;
        }
        if (config < 16) {
            return config < 14 ? Bandwidth.SUPER_WIDEBAND : Bandwidth.FULLBAND;
        }
        return switch ((config - 16) / 4) {
            case 0 -> Bandwidth.NARROWBAND;
            case 1 -> Bandwidth.WIDEBAND;
            case 2 -> Bandwidth.SUPER_WIDEBAND;
            default -> Bandwidth.FULLBAND;
        };
    }

    /** Duration of one frame in microseconds (Table 2). */
    public int frameDurationMicros() {
        if (config < 12) {
            return new int[] {10_000, 20_000, 40_000, 60_000}[config % 4];
        }
        if (config < 16) {
            return config % 2 == 0 ? 10_000 : 20_000;
        }
        return new int[] {2_500, 5_000, 10_000, 20_000}[config % 4];
    }

    /** Duration of the whole packet in microseconds. */
    public int packetDurationMicros() {
        return frameCount * frameDurationMicros();
    }

    @Override
    public int encodedLength() {
        return frameCountCode == 3 ? 2 : 1;
    }

    @Override
    public void writeTo(ByteBuffer out) {
        out.put((byte) ((config << 3) | (stereo ? 0x04 : 0) | frameCountCode));
        if (frameCountCode == 3) {
            out.put((byte) ((vbr ? 0x80 : 0) | (padded ? 0x40 : 0) | frameCount));
        }
    }
}
