package io.jrtc.dtls;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/** Test helper: splits datagrams into DTLS records (RFC 6347 section 4.1) and crafts plaintext records. */
final class DtlsRecords {

    static final int CHANGE_CIPHER_SPEC = 20;
    static final int ALERT = 21;
    static final int HANDSHAKE = 22;
    static final int APPLICATION_DATA = 23;

    static final int HELLO_REQUEST = 0;
    static final int CLIENT_HELLO = 1;
    static final int SERVER_HELLO = 2;
    static final int CERTIFICATE = 11;
    static final int SERVER_KEY_EXCHANGE = 12;
    static final int CERTIFICATE_VERIFY = 15;
    static final int FINISHED = 20;

    private DtlsRecords() {
    }

    /** One record of a datagram, header included. */
    record Rec(byte[] bytes) {
        int type() {
            return bytes[0] & 0xFF;
        }

        int epoch() {
            return ((bytes[3] & 0xFF) << 8) | (bytes[4] & 0xFF);
        }

        /** The handshake message type of an epoch-0 handshake record, else -1 (later epochs are encrypted). */
        int handshakeType() {
            return type() == HANDSHAKE && epoch() == 0 && bytes.length > 13 ? bytes[13] & 0xFF : -1;
        }

        /** The handshake message (12-byte DTLS handshake header and body) of an epoch-0 handshake record. */
        byte[] handshakeMessage() {
            return java.util.Arrays.copyOfRange(bytes, 13, bytes.length);
        }
    }

    static List<Rec> split(byte[] datagram) {
        List<Rec> out = new ArrayList<>();
        int off = 0;
        while (off + 13 <= datagram.length) {
            int end = Math.min(datagram.length, off + 13 + (((datagram[off + 11] & 0xFF) << 8) | (datagram[off + 12] & 0xFF)));
            out.add(new Rec(java.util.Arrays.copyOfRange(datagram, off, end)));
            off = end;
        }
        return out;
    }

    static byte[] join(List<Rec> records) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        records.forEach(r -> out.writeBytes(r.bytes()));
        return out.toByteArray();
    }

    /** A DTLS 1.2 plaintext record. */
    static byte[] record(int type, int epoch, long seq, byte[] fragment) {
        byte[] r = new byte[13 + fragment.length];
        r[0] = (byte) type;
        r[1] = (byte) 0xFE;
        r[2] = (byte) 0xFD;
        r[3] = (byte) (epoch >>> 8);
        r[4] = (byte) epoch;
        for (int i = 0; i < 6; i++) {
            r[5 + i] = (byte) (seq >>> (40 - 8 * i));
        }
        r[11] = (byte) (fragment.length >>> 8);
        r[12] = (byte) fragment.length;
        System.arraycopy(fragment, 0, r, 13, fragment.length);
        return r;
    }

    /** A complete (unfragmented) DTLS handshake message: 12-byte header (RFC 6347 section 4.2.2) and body. */
    static byte[] handshake(int msgType, int messageSeq, byte[] body) {
        byte[] m = new byte[12 + body.length];
        m[0] = (byte) msgType;
        put24(m, 1, body.length);
        m[4] = (byte) (messageSeq >>> 8);
        m[5] = (byte) messageSeq;
        put24(m, 6, 0);
        put24(m, 9, body.length);
        System.arraycopy(body, 0, m, 12, body.length);
        return m;
    }

    /** The same handshake message with another message_seq. */
    static byte[] withMessageSeq(byte[] message, int messageSeq) {
        byte[] m = message.clone();
        m[4] = (byte) (messageSeq >>> 8);
        m[5] = (byte) messageSeq;
        return m;
    }

    private static void put24(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 16);
        b[off + 1] = (byte) (v >>> 8);
        b[off + 2] = (byte) v;
    }
}
