package io.jrtc.srtp;

import io.jrtc.common.SrtpProfile;
import static io.jrtc.common.Hex.decode;
import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.common.Hex;
import io.jrtc.srtp.internal.JitsiCrypto;
import io.jrtc.srtp.internal.PacketBuffer;
import io.jrtc.srtp.internal.Slf4jJitsiLogger;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.jitsi.srtp.SrtcpCryptoContext;
import org.jitsi.srtp.SrtpCryptoContext;
import org.jitsi.srtp.SrtpErrorStatus;
import org.jitsi.srtp.SrtpPolicy;
import org.junit.jupiter.api.Test;

/**
 * Known-answer tests. Where a vector gives master keys (libsrtp's {@code srtp_driver} reference packets) it goes
 * through {@link SrtpSession} end to end: key derivation, cipher, tag, index. RFC 3711 B.2 and RFC 7714 sections
 * 16/17 give <em>session</em> keys, which no master key maps to, so those drive jitsi-srtp's own contexts with the
 * session key and salt written into them (test subclasses), through our in-place buffer; RFC 3711 B.3 then checks
 * the master-to-session derivation those contexts perform. Together they cover the session path piece by piece.
 */
class SrtpMatchesPublishedVectors {

    // libsrtp test/srtp_driver.c, AES_CM_128_HMAC_SHA1_80 (default policy): master key and salt.
    static final byte[] CM_KEY = decode("e1f97a0d3e018be0d64fa32c06de4139");
    static final byte[] CM_SALT = decode("0ec675ad498afeebb6960b3aabe6");
    static final byte[] RTP_PLAIN = decode("800f1234decafbadcafebabe" + "ab".repeat(16));
    static final byte[] CM_SRTP = decode(
            "800f1234decafbadcafebabe4e55dc4ce79978d88ca4d215949d2402b78d6acc99ea179b8dbb");
    static final byte[] RTCP_PLAIN = decode("81c8000bcafebabe" + "ab".repeat(16));
    static final byte[] CM_SRTCP = decode(
            "81c8000bcafebabe7128035be487b9bdbef89041f977a5a880000001993e08cd54d6c1230798");

    // libsrtp test/srtp_driver.c, AEAD_AES_128_GCM: master key and 12-byte salt.
    static final byte[] GCM_KEY = decode("000102030405060708090a0b0c0d0e0f");
    static final byte[] GCM_SALT = decode("a0a1a2a3a4a5a6a7a8a9aaab");
    static final byte[] GCM_SRTP = decode(
            "800f1234decafbadcafebabec5002ede04cfdd2eb91159e0880aa06ed2976826f796b201df3131a127e8a392");
    static final byte[] GCM_SRTCP = decode(
            "81c8000bcafebabec98b8b5df0392a55852b6c21ac8e7025c52c6fbea2b3b446ea31123ba88ce61e80000001");

    private static SrtpSession loopback(SrtpProfile profile, byte[] key, byte[] salt) {
        return SrtpSession.create(profile, key, salt, key, salt);
    }

    private static byte[] withTail(byte[] packet, int tail) {
        return Arrays.copyOf(packet, packet.length + tail);
    }

    @Test
    void libsrtpAesCm128HmacSha1_80RtpPacket() {
        try (SrtpSession sender = loopback(SrtpProfile.AES_CM_128_HMAC_SHA1_80, CM_KEY, CM_SALT);
             SrtpSession receiver = loopback(SrtpProfile.AES_CM_128_HMAC_SHA1_80, CM_KEY, CM_SALT)) {
            byte[] buf = withTail(RTP_PLAIN, 10);
            int n = sender.protectRtp(buf, 0, RTP_PLAIN.length);
            assertThat(n).isEqualTo(CM_SRTP.length);
            assertThat(Hex.encode(Arrays.copyOf(buf, n))).isEqualTo(Hex.encode(CM_SRTP));

            byte[] in = CM_SRTP.clone();
            int m = receiver.unprotectRtp(in, 0, in.length);
            assertThat(m).isEqualTo(RTP_PLAIN.length);
            assertThat(Arrays.copyOf(in, m)).isEqualTo(RTP_PLAIN);
        }
    }

    @Test
    void libsrtpAesCm128HmacSha1_80RtcpPacketWithIndexOne() {
        try (SrtpSession sender = loopback(SrtpProfile.AES_CM_128_HMAC_SHA1_80, CM_KEY, CM_SALT);
             SrtpSession receiver = loopback(SrtpProfile.AES_CM_128_HMAC_SHA1_80, CM_KEY, CM_SALT)) {
            // The reference packet carries SRTCP index 1; the first packet a context sends has index 0.
            byte[] first = withTail(RTCP_PLAIN, 14);
            assertThat(sender.protectRtcp(first, 0, RTCP_PLAIN.length)).isEqualTo(RTCP_PLAIN.length + 14);
            byte[] buf = withTail(RTCP_PLAIN, 14);
            int n = sender.protectRtcp(buf, 0, RTCP_PLAIN.length);
            assertThat(Hex.encode(Arrays.copyOf(buf, n))).isEqualTo(Hex.encode(CM_SRTCP));

            byte[] in = CM_SRTCP.clone();
            int m = receiver.unprotectRtcp(in, 0, in.length);
            assertThat(Arrays.copyOf(in, m)).isEqualTo(RTCP_PLAIN);
        }
    }

    @Test
    void libsrtpAeadAes128GcmRtpAndRtcpPackets() {
        try (SrtpSession sender = loopback(SrtpProfile.AEAD_AES_128_GCM, GCM_KEY, GCM_SALT);
             SrtpSession receiver = loopback(SrtpProfile.AEAD_AES_128_GCM, GCM_KEY, GCM_SALT)) {
            byte[] buf = withTail(RTP_PLAIN, 16);
            int n = sender.protectRtp(buf, 0, RTP_PLAIN.length);
            assertThat(Hex.encode(Arrays.copyOf(buf, n))).isEqualTo(Hex.encode(GCM_SRTP));

            byte[] first = withTail(RTCP_PLAIN, 20);
            sender.protectRtcp(first, 0, RTCP_PLAIN.length);
            byte[] rtcp = withTail(RTCP_PLAIN, 20);
            int r = sender.protectRtcp(rtcp, 0, RTCP_PLAIN.length);
            assertThat(Hex.encode(Arrays.copyOf(rtcp, r))).isEqualTo(Hex.encode(GCM_SRTCP));

            byte[] in = GCM_SRTP.clone();
            assertThat(receiver.unprotectRtp(in, 0, in.length)).isEqualTo(RTP_PLAIN.length);
            assertThat(Arrays.copyOf(in, RTP_PLAIN.length)).isEqualTo(RTP_PLAIN);
            byte[] inRtcp = GCM_SRTCP.clone();
            assertThat(receiver.unprotectRtcp(inRtcp, 0, inRtcp.length)).isEqualTo(RTCP_PLAIN.length);
            assertThat(Arrays.copyOf(inRtcp, RTCP_PLAIN.length)).isEqualTo(RTCP_PLAIN);
        }
    }

    // ------------------------------------------------------------------------------ RFC 7714, session keys

    private static final byte[] RFC7714_KEY = decode("000102030405060708090a0b0c0d0e0f");
    private static final byte[] RFC7714_SALT = decode("517569642070726f2071756f"); // "Quid pro quo"
    private static final byte[] RFC7714_RTP = decode("8040f17b8041f8d35501a0b2"
            + "47616c6c696120657374206f6d6e69732064697669736120696e207061727465732074726573");
    private static final byte[] RFC7714_SRTP = decode("8040f17b8041f8d35501a0b2"
            + "f24de3a3fb34de6cacba861c9d7e4bcabe633bd50d294e6f42a5f47a51c7d19b36de3adf8833"
            + "899d7f27beb16a9152cf765ee4390cce");
    private static final byte[] RFC7714_RTCP = decode("81c8000d4d617273"
            + "4e5450314e545032525450200000042a0000e9304c756e61deadbeefdeadbeefdeadbeefdeadbeefdeadbeef");
    private static final byte[] RFC7714_SRTCP = decode("81c8000d4d617273"
            + "63e94885dcdab67ca727d7662f6b7e997ff5c0f76c06f32dc676a5f1730d6fda4ce09b4686303ded0bb9275b"
            + "c84aa45896cf4d2fc5abf87245d9eade" + "800005d4");

    /** jitsi-srtp's RTP context with the session key and salt written over the derived ones. */
    static final class SessionKeyedRtpContext extends SrtpCryptoContext {
        SessionKeyedRtpContext(boolean sender, SrtpPolicy policy, byte[] sessionKey, byte[] sessionSalt)
                throws GeneralSecurityException {
            super(sender, 0, 0, new byte[policy.getEncKeyLength()], new byte[policy.getSaltKeyLength()], policy,
                    new Slf4jJitsiLogger("test"));
            System.arraycopy(sessionSalt, 0, saltKey, 0, saltKey.length);
            cipher.init(sessionKey, saltKey);
        }

        byte[] sessionSalt() {
            return saltKey.clone();
        }
    }

    /** jitsi-srtp's RTCP context with the session key and salt written over the derived ones. */
    static final class SessionKeyedRtcpContext extends SrtcpCryptoContext {
        SessionKeyedRtcpContext(SrtpPolicy policy, byte[] sessionKey, byte[] sessionSalt)
                throws GeneralSecurityException {
            super(0, new byte[policy.getEncKeyLength()], new byte[policy.getSaltKeyLength()], policy,
                    new Slf4jJitsiLogger("test"));
            System.arraycopy(sessionSalt, 0, saltKey, 0, saltKey.length);
            cipher.init(sessionKey, saltKey);
        }
    }

    @Test
    void rfc7714Section16RtpAeadAes128GcmEncryptAndDecrypt() throws Exception {
        JitsiCrypto.ensureInitialized();
        SrtpPolicy policy = JitsiCrypto.rtpPolicy(SrtpProfile.AEAD_AES_128_GCM);
        SessionKeyedRtpContext tx = new SessionKeyedRtpContext(true, policy, RFC7714_KEY, RFC7714_SALT);
        byte[] buf = withTail(RFC7714_RTP, 16);
        PacketBuffer pb = new PacketBuffer().wrap(buf, 0, RFC7714_RTP.length, buf.length);
        assertThat(tx.transformPacket(pb)).isEqualTo(SrtpErrorStatus.OK);
        assertThat(Hex.encode(Arrays.copyOf(buf, pb.getLength()))).isEqualTo(Hex.encode(RFC7714_SRTP));

        SessionKeyedRtpContext rx = new SessionKeyedRtpContext(false, policy, RFC7714_KEY, RFC7714_SALT);
        byte[] in = RFC7714_SRTP.clone();
        PacketBuffer pin = new PacketBuffer().wrap(in, 0, in.length, in.length);
        assertThat(rx.reverseTransformPacket(pin, false)).isEqualTo(SrtpErrorStatus.OK);
        assertThat(Arrays.copyOf(in, pin.getLength())).isEqualTo(RFC7714_RTP);
    }

    @Test
    void rfc7714Section17RtcpAeadAes128GcmEncryptAndDecrypt() throws Exception {
        JitsiCrypto.ensureInitialized();
        SrtpPolicy policy = JitsiCrypto.rtcpPolicy(SrtpProfile.AEAD_AES_128_GCM);
        SessionKeyedRtcpContext tx = new SessionKeyedRtcpContext(policy, RFC7714_KEY, RFC7714_SALT);
        // The vector uses SRTCP index 0x5d4; a context numbers its packets from 0.
        byte[] buf = withTail(RFC7714_RTCP, 20);
        for (int i = 0; i < 0x5d4; i++) {
            System.arraycopy(RFC7714_RTCP, 0, buf, 0, RFC7714_RTCP.length);
            tx.transformPacket(new PacketBuffer().wrap(buf, 0, RFC7714_RTCP.length, buf.length));
        }
        System.arraycopy(RFC7714_RTCP, 0, buf, 0, RFC7714_RTCP.length);
        PacketBuffer pb = new PacketBuffer().wrap(buf, 0, RFC7714_RTCP.length, buf.length);
        assertThat(tx.transformPacket(pb)).isEqualTo(SrtpErrorStatus.OK);
        assertThat(Hex.encode(Arrays.copyOf(buf, pb.getLength()))).isEqualTo(Hex.encode(RFC7714_SRTCP));

        SessionKeyedRtcpContext rx = new SessionKeyedRtcpContext(policy, RFC7714_KEY, RFC7714_SALT);
        byte[] in = RFC7714_SRTCP.clone();
        PacketBuffer pin = new PacketBuffer().wrap(in, 0, in.length, in.length);
        assertThat(rx.reverseTransformPacket(pin)).isEqualTo(SrtpErrorStatus.OK);
        assertThat(Arrays.copyOf(in, pin.getLength())).isEqualTo(RFC7714_RTCP);
    }

    // ------------------------------------------------------------------------------------ RFC 3711 appendix B

    @Test
    void rfc3711AppendixB2AesCmKeystream() throws Exception {
        JitsiCrypto.ensureInitialized();
        SrtpPolicy policy = JitsiCrypto.rtpPolicy(SrtpProfile.AES_CM_128_HMAC_SHA1_80);
        SessionKeyedRtpContext tx = new SessionKeyedRtpContext(true, policy,
                decode("2B7E151628AED2A6ABF7158809CF4F3C"), decode("F0F1F2F3F4F5F6F7F8F9FAFBFCFD"));
        // SSRC 0, sequence number 0, ROC 0: index 0, so a zero payload encrypts to the keystream itself.
        byte[] buf = new byte[12 + 48 + 10];
        buf[0] = (byte) 0x80;
        PacketBuffer pb = new PacketBuffer().wrap(buf, 0, 60, buf.length);
        assertThat(tx.transformPacket(pb)).isEqualTo(SrtpErrorStatus.OK);
        assertThat(Hex.encode(Arrays.copyOfRange(buf, 12, 60))).isEqualToIgnoringCase(
                "E03EAD0935C95E80E166B16DD92B4EB4D23513162B02D0F72A43A2FE4A5F97AB41E95B3BB0A2E8DD477901E4FCA894C0");
    }

    /** Exposes the session keys a context derived from master keys, RFC 3711 section 4.3. */
    static final class DerivedKeysProbe extends SrtpCryptoContext {
        DerivedKeysProbe(SrtpPolicy policy, byte[] masterKey, byte[] masterSalt) throws GeneralSecurityException {
            super(true, 0, 0, masterKey, masterSalt, policy, new Slf4jJitsiLogger("test"));
        }

        byte[] sessionSalt() {
            return saltKey.clone();
        }

        byte[] keystream(byte[] iv, int n) throws GeneralSecurityException {
            byte[] out = new byte[n];
            cipher.setIV(iv, Cipher.ENCRYPT_MODE);
            cipher.process(out, 0, n);
            return out;
        }

        byte[] hmac(byte[] data) {
            mac.update(data, 0, data.length);
            return mac.doFinal();
        }
    }

    @Test
    void rfc3711AppendixB3KeyDerivation() throws Exception {
        JitsiCrypto.ensureInitialized();
        DerivedKeysProbe probe = new DerivedKeysProbe(JitsiCrypto.rtpPolicy(SrtpProfile.AES_CM_128_HMAC_SHA1_80),
                decode("E1F97A0D3E018BE0D64FA32C06DE4139"), decode("0EC675AD498AFEEBB6960B3AABE6"));

        assertThat(Hex.encode(probe.sessionSalt())).isEqualToIgnoringCase("30CBBC08863D8C85D49DB34A9AE1");

        byte[] iv = decode("000102030405060708090a0b0c0d0000");
        Cipher expected = Cipher.getInstance("AES/CTR/NoPadding");
        expected.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(decode("C61E7A93744F39EE10734AFE3FF7A087"), "AES"),
                new IvParameterSpec(iv));
        assertThat(probe.keystream(iv, 48)).isEqualTo(expected.doFinal(new byte[48]));

        byte[] data = "authenticated portion".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(decode("CEBE321F6FF7716B6FD4AB49AF256A156D38BAA4"), "HmacSHA1"));
        assertThat(probe.hmac(data)).isEqualTo(mac.doFinal(data));
    }
}
