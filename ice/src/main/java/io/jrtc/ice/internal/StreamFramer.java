package io.jrtc.ice.internal;

import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * Splits a TCP/TLS byte stream to a TURN server into messages (RFC 8656 §12.5, RFC 8489 §6.2.2): a STUN message is
 * 20 bytes of header plus its length field; a ChannelData message is 4 bytes plus its length, padded to four.
 * Anything else in the stream means it is out of sync, and the stream must be closed.
 */
public final class StreamFramer {

    private final int maxBuffered;
    private byte[] buf = new byte[0];
    private int len;
    private boolean broken;

    public StreamFramer(int maxBuffered) {
        this.maxBuffered = maxBuffered;
    }

    /**
     * Appends bytes and hands every complete message to {@code sink} as an array slice (valid during the call).
     * Returns false once the stream is out of sync or overflows; the caller then closes it.
     */
    public boolean append(ByteBuffer data, Consumer<ByteBuffer> sink) {
        if (broken) {
            return false;
        }
        int n = data.remaining();
        if (len + n > maxBuffered) {
            broken = true;
            return false;
        }
        if (len + n > buf.length) {
            byte[] bigger = new byte[Math.max(len + n, Math.min(maxBuffered, Math.max(256, buf.length * 2)))];
            System.arraycopy(buf, 0, bigger, 0, len);
            buf = bigger;
        }
        data.get(buf, len, n);
        len += n;
        int off = 0;
        while (len - off >= 4) {
            int first = buf[off] & 0xFF;
            int declared = ((buf[off + 2] & 0xFF) << 8) | (buf[off + 3] & 0xFF);
            int frame;
            if ((first & 0xC0) == 0) {
                frame = StunScan.HEADER_LENGTH + declared;
            } else if (ChannelData.looksLikeChannelData(first)) {
                frame = (ChannelData.HEADER_LENGTH + declared + 3) & ~3;
            } else {
                broken = true;
                return false;
            }
            if (len - off < frame) {
                break;
            }
            sink.accept(ByteBuffer.wrap(buf, off, frame).slice());
            off += frame;
        }
        if (off > 0) {
            System.arraycopy(buf, off, buf, 0, len - off);
            len -= off;
        }
        if (len == 0 && buf.length > 4096) {
            buf = new byte[0];
        }
        return true;
    }

    public int buffered() {
        return len;
    }
}
