package io.jrtc.srtp;

import io.jrtc.common.SrtpProfile;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Protect on one end, unprotect on the other: byte-exact for RTP and RTCP, many SSRCs, both directions. */
class SrtpRoundTripsAcrossProfilesAndSsrcs {

    static SrtpKeys keys(SrtpProfile profile, long seed) {
        Random r = new Random(seed);
        byte[] lk = new byte[profile.masterKeyLength()];
        byte[] ls = new byte[profile.masterSaltLength()];
        byte[] rk = new byte[profile.masterKeyLength()];
        byte[] rs = new byte[profile.masterSaltLength()];
        r.nextBytes(lk);
        r.nextBytes(ls);
        r.nextBytes(rk);
        r.nextBytes(rs);
        return new SrtpKeys(profile, lk, ls, rk, rs);
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void rtpFromTwentySsrcsInterleavedRoundTripsByteExact(SrtpProfile profile) {
        SrtpKeys k = keys(profile, 1);
        try (SrtpSession a = SrtpSession.create(k); SrtpSession b = SrtpSession.create(k.reversed())) {
            Random random = new Random(7);
            int[] seq = new int[20];
            for (int i = 0; i < seq.length; i++) {
                seq[i] = random.nextInt(65536);
            }
            int trailer = profile.rtpTrailerLength();
            for (int n = 0; n < 2000; n++) {
                int s = random.nextInt(seq.length);
                long ssrc = 0x10000000L + s * 0x01010101L;
                byte[] payload = TestPackets.randomPayload(random, random.nextInt(1201));
                byte[] buf = TestPackets.rtp(96 + (s % 3), seq[s], n * 3000L, ssrc, payload, trailer);
                int plainLen = 12 + payload.length;
                byte[] original = Arrays.copyOf(buf, plainLen);
                seq[s] = (seq[s] + 1) & 0xFFFF;

                int protectedLen = a.protectRtp(buf, 0, plainLen);
                assertThat(protectedLen).isEqualTo(plainLen + trailer);
                assertThat(Arrays.copyOf(buf, 12)).isEqualTo(Arrays.copyOf(original, 12));
                if (payload.length >= 16) {
                    assertThat(Arrays.copyOfRange(buf, 12, plainLen)).isNotEqualTo(payload);
                }
                int back = b.unprotectRtp(buf, 0, protectedLen);
                assertThat(back).isEqualTo(plainLen);
                assertThat(Arrays.copyOf(buf, back)).isEqualTo(original);
            }
            assertThat(a.stats().rtpProtected()).isEqualTo(2000);
            assertThat(a.stats().localSsrcs()).isEqualTo(20);
            assertThat(b.stats().rtpUnprotected()).isEqualTo(2000);
            assertThat(b.stats().remoteSsrcs()).isEqualTo(20);
            assertThat(b.stats().inboundDroppedTotal()).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void rtcpBothDirectionsRoundTripsByteExact(SrtpProfile profile) {
        SrtpKeys k = keys(profile, 2);
        try (SrtpSession a = SrtpSession.create(k); SrtpSession b = SrtpSession.create(k.reversed())) {
            int trailer = profile.rtcpTrailerLength();
            for (int n = 0; n < 300; n++) {
                SrtpSession from = n % 2 == 0 ? a : b;
                SrtpSession to = n % 2 == 0 ? b : a;
                long ssrc = 0xCAFE0000L + (n % 5);
                byte[] buf = TestPackets.rtcpRr(ssrc, n % 40, trailer);
                int len = buf.length - trailer;
                byte[] original = Arrays.copyOf(buf, len);
                int p = from.protectRtcp(buf, 0, len);
                assertThat(p).isEqualTo(len + trailer);
                int u = to.unprotectRtcp(buf, 0, p);
                assertThat(u).isEqualTo(len);
                assertThat(Arrays.copyOf(buf, u)).isEqualTo(original);
            }
            assertThat(a.stats().rtcpProtected()).isEqualTo(150);
            assertThat(b.stats().rtcpUnprotected()).isEqualTo(150);
        }
    }

    @ParameterizedTest
    @EnumSource(value = SrtpProfile.class, names = {"AEAD_AES_128_GCM", "AES_CM_128_HMAC_SHA1_80"})
    void headerWithCsrcsAndExtensionIsAuthenticatedNotEncrypted(SrtpProfile profile) {
        SrtpKeys k = keys(profile, 3);
        try (SrtpSession a = SrtpSession.create(k); SrtpSession b = SrtpSession.create(k.reversed())) {
            // V=2 X=1 CC=2, one-byte extension block of 2 words, 20-byte payload.
            byte[] plain = io.jrtc.common.Hex.decode("92e0 1234 00000064 11223344 aaaaaaaa bbbbbbbb"
                    + "bede0002 10ff22abcd000000" + "00112233445566778899aabbccddeeff00112233");
            byte[] buf = Arrays.copyOf(plain, plain.length + profile.rtpTrailerLength());
            int p = a.protectRtp(buf, 0, plain.length);
            int header = 12 + 8 + 12;
            assertThat(Arrays.copyOf(buf, header)).isEqualTo(Arrays.copyOf(plain, header));
            assertThat(Arrays.copyOfRange(buf, header, plain.length))
                    .isNotEqualTo(Arrays.copyOfRange(plain, header, plain.length));
            byte[] tampered = buf.clone();
            tampered[13] ^= 0x01; // inside the first CSRC: authenticated
            assertThat(SrtpDropReason.ofResult(b.unprotectRtp(tampered, 0, p))).isEqualTo(SrtpDropReason.AUTH_FAILED);
            int u = b.unprotectRtp(buf, 0, p);
            assertThat(Arrays.copyOf(buf, u)).isEqualTo(plain);
        }
    }

    @ParameterizedTest
    @EnumSource(value = SrtpProfile.class, names = {"AEAD_AES_128_GCM", "AES_CM_128_HMAC_SHA1_80"})
    void sequenceWrapsTwiceAndRolloverCounterFollows(SrtpProfile profile) {
        SrtpKeys k = keys(profile, 4);
        try (SrtpSession a = SrtpSession.create(k); SrtpSession b = SrtpSession.create(k.reversed())) {
            Random random = new Random(11);
            int trailer = profile.rtpTrailerLength();
            int seq = 65_500;
            long ssrc = 0x01020304L;
            byte[] payload = new byte[24];
            // 2 * 65536 + 200 packets: the index crosses two rollovers (ROC 0 -> 1 -> 2).
            int total = 2 * 65_536 + 200;
            for (int n = 0; n < total; n++) {
                random.nextBytes(payload);
                byte[] buf = TestPackets.rtp(111, seq, n * 960L, ssrc, payload, trailer);
                int p = a.protectRtp(buf, 0, 36);
                // Drop a run of packets straddling each wrap: the receiver must still guess the new ROC.
                boolean lost = seq >= 65_530 || seq < 10;
                if (!lost) {
                    int u = b.unprotectRtp(buf, 0, p);
                    assertThat(u).as("seq %d packet %d", seq, n).isEqualTo(36);
                    assertThat(Arrays.copyOfRange(buf, 12, 36)).isEqualTo(payload);
                }
                seq = (seq + 1) & 0xFFFF;
            }
            assertThat(b.stats().inboundDroppedTotal()).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(value = SrtpProfile.class, names = {"AEAD_AES_128_GCM", "AES_CM_128_HMAC_SHA1_80"})
    void packetsReorderedAcrossTheWrapStillDecrypt(SrtpProfile profile) {
        SrtpKeys k = keys(profile, 5);
        try (SrtpSession a = SrtpSession.create(k); SrtpSession b = SrtpSession.create(k.reversed())) {
            int trailer = profile.rtpTrailerLength();
            List<byte[]> wire = new ArrayList<>();
            List<Integer> lengths = new ArrayList<>();
            for (int seq : new int[] {65_533, 65_534, 65_535, 0, 1, 2, 3}) {
                byte[] buf = TestPackets.rtp(96, seq, seq, 77L, new byte[] {(byte) seq, 1, 2, 3}, trailer);
                lengths.add(a.protectRtp(buf, 0, 16));
                wire.add(buf);
            }
            // Deliver 65533, 0 (ROC 1), 65535 (ROC 0, late), 2, 65534, 1, 3.
            for (int i : new int[] {0, 3, 2, 5, 1, 4, 6}) {
                byte[] buf = wire.get(i);
                assertThat(b.unprotectRtp(buf, 0, lengths.get(i))).as("packet %d", i).isEqualTo(16);
                assertThat(buf[12]).isEqualTo(buf[3]);
            }
        }
    }
}
