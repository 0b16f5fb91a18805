package io.jrtc.probe.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.zip.CRC32;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Builds STUN messages for the ICE scenarios (RFC 8489): the attributes given, then MESSAGE-INTEGRITY (HMAC-SHA1 with
 * the short-term password, §14.5) and FINGERPRINT (CRC-32 XOR 0x5354554E, §14.7).
 */
final class StunForge {

    private StunForge() {
    }

    static byte[] message(int type, byte[] txid, List<Wire.Attr> attrs, String password) {
        int body = 0;
        for (Wire.Attr a : attrs) {
            body += 4 + pad(a.value().length);
        }
        ByteBuffer b = ByteBuffer.allocate(20 + body + 24 + 8);
        b.putShort((short) type).putShort((short) 0).putInt(Wire.MAGIC_COOKIE).put(txid);
        for (Wire.Attr a : attrs) {
            b.putShort((short) a.type()).putShort((short) a.value().length).put(a.value());
            b.position(b.position() + pad(a.value().length) - a.value().length);
        }
        int miAt = b.position();
        b.putShort(2, (short) (miAt - 20 + 24));
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(password.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            mac.update(b.array(), 0, miAt);
            b.putShort((short) Wire.MESSAGE_INTEGRITY).putShort((short) 20).put(mac.doFinal());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        int fpAt = b.position();
        b.putShort(2, (short) (fpAt - 20 + 8));
        CRC32 crc = new CRC32();
        crc.update(b.array(), 0, fpAt);
        b.putShort((short) Wire.FINGERPRINT).putShort((short) 4).putInt((int) (crc.getValue() ^ 0x5354554EL));
        return b.array();
    }

    private static int pad(int n) {
        return (n + 3) & ~3;
    }

    static byte[] u64(long v) {
        return ByteBuffer.allocate(8).putLong(v).array();
    }
}
