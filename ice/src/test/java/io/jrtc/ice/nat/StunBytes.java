package io.jrtc.ice.nat;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * STUN messages written byte by byte for the tests (RFC 8489 §5, §14.1, §14.2, §14.8; RFC 5780 §7), without ice4j or
 * the code under test, and readers for the requests the core sends.
 */
final class StunBytes {

    static final int MAGIC_COOKIE = 0x2112A442;
    static final int BINDING_SUCCESS = 0x0101;
    static final int BINDING_ERROR = 0x0111;

    private StunBytes() {
    }

    /** A message builder: header, then attributes appended in order; {@link #build()} fixes the length. */
    static final class Builder {
        private final ByteBuffer b = ByteBuffer.allocate(1024);

        Builder(int type, byte[] transactionId) {
            b.putShort((short) type).putShort((short) 0).putInt(MAGIC_COOKIE).put(transactionId);
        }

        Builder xorMapped(InetSocketAddress a) {
            byte[] ip = a.getAddress().getAddress();
            byte[] tid = Arrays.copyOfRange(b.array(), 8, 20);
            byte[] xor = new byte[ip.length];
            byte[] key = ByteBuffer.allocate(16).putInt(MAGIC_COOKIE).put(tid).array();
            for (int i = 0; i < ip.length; i++) {
                xor[i] = (byte) (ip[i] ^ key[i]);
            }
            return attribute(0x0020, body(ip.length, a.getPort() ^ (MAGIC_COOKIE >>> 16), xor));
        }

        Builder mapped(InetSocketAddress a) {
            byte[] ip = a.getAddress().getAddress();
            return attribute(0x0001, body(ip.length, a.getPort(), ip));
        }

        Builder responseOrigin(InetSocketAddress a) {
            byte[] ip = a.getAddress().getAddress();
            return attribute(0x802B, body(ip.length, a.getPort(), ip));
        }

        Builder otherAddress(InetSocketAddress a) {
            byte[] ip = a.getAddress().getAddress();
            return attribute(0x802C, body(ip.length, a.getPort(), ip));
        }

        Builder errorCode(int code, String reason) {
            byte[] r = reason.getBytes(StandardCharsets.UTF_8);
            ByteBuffer v = ByteBuffer.allocate(4 + r.length).putShort((short) 0).put((byte) (code / 100))
                    .put((byte) (code % 100)).put(r);
            return attribute(0x0009, v.array());
        }

        Builder attribute(int type, byte[] value) {
            b.putShort((short) type).putShort((short) value.length).put(value);
            for (int i = value.length; (i & 3) != 0; i++) {
                b.put((byte) 0);
            }
            return this;
        }

        ByteBuffer build() {
            b.putShort(2, (short) (b.position() - 20));
            return ByteBuffer.wrap(Arrays.copyOf(b.array(), b.position()));
        }

        private static byte[] body(int ipLength, int port, byte[] ip) {
            return ByteBuffer.allocate(4 + ipLength).put((byte) 0).put((byte) (ipLength == 4 ? 1 : 2))
                    .putShort((short) port).put(ip).array();
        }
    }

    static Builder success(byte[] transactionId) {
        return new Builder(BINDING_SUCCESS, transactionId);
    }

    static Builder error(byte[] transactionId) {
        return new Builder(BINDING_ERROR, transactionId);
    }

    static int type(ByteBuffer msg) {
        return msg.getShort(msg.position()) & 0xFFFF;
    }

    static byte[] transactionId(ByteBuffer msg) {
        byte[] id = new byte[12];
        msg.duplicate().position(msg.position() + 8).get(id);
        return id;
    }

    /** The value of the first attribute of {@code type}, or null. */
    static byte[] attribute(ByteBuffer msg, int type) {
        ByteBuffer m = msg.duplicate();
        int end = m.position() + 20 + (m.getShort(m.position() + 2) & 0xFFFF);
        int off = m.position() + 20;
        while (off + 4 <= end) {
            int t = m.getShort(off) & 0xFFFF;
            int len = m.getShort(off + 2) & 0xFFFF;
            if (t == type) {
                byte[] v = new byte[len];
                m.position(off + 4);
                m.get(v);
                return v;
            }
            off += 4 + ((len + 3) & ~3);
        }
        return null;
    }

    /** CHANGE-REQUEST flags of a request: {change IP, change port}; both false when absent. */
    static boolean[] changeRequest(ByteBuffer msg) {
        byte[] v = attribute(msg, 0x0003);
        if (v == null) {
            return new boolean[] {false, false};
        }
        return new boolean[] {(v[3] & 0x04) != 0, (v[3] & 0x02) != 0};
    }
}
