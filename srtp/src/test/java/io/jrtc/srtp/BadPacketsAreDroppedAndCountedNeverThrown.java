package io.jrtc.srtp;

import io.jrtc.common.SrtpProfile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Replayed, too-old, forged, truncated and random packets: dropped, counted per reason, never delivered or thrown. */
class BadPacketsAreDroppedAndCountedNeverThrown {

    private static SrtpKeys keys(SrtpProfile p) {
        return SrtpRoundTripsAcrossProfilesAndSsrcs.keys(p, 99);
    }

    private static byte[][] protectedStream(SrtpSession sender, int count, int payloadLen) {
        int trailer = sender.profile().rtpTrailerLength();
        byte[][] wire = new byte[count][];
        for (int i = 0; i < count; i++) {
            byte[] buf = TestPackets.rtp(96, 1000 + i, i * 90L, 0xABCDEF01L, new byte[payloadLen], trailer);
            int n = sender.protectRtp(buf, 0, 12 + payloadLen);
            wire[i] = Arrays.copyOf(buf, n);
        }
        return wire;
    }

    @ParameterizedTest
    @EnumSource(value = SrtpProfile.class, names = {"AEAD_AES_128_GCM", "AES_CM_128_HMAC_SHA1_80"})
    void sameSrtpPacketTwiceIsDroppedAsReplay(SrtpProfile profile) {
        try (SrtpSession a = SrtpSession.create(keys(profile)); SrtpSession b = SrtpSession.create(keys(profile).reversed())) {
            byte[][] wire = protectedStream(a, 3, 100);
            byte[] first = wire[1].clone();
            assertThat(b.unprotectRtp(first, 0, first.length)).isEqualTo(112);
            byte[] again = wire[1].clone();
            assertThat(SrtpDropReason.ofResult(b.unprotectRtp(again, 0, again.length))).isEqualTo(SrtpDropReason.REPLAYED);
            // An earlier packet not yet seen, inside the window, is still fine.
            byte[] older = wire[0].clone();
            assertThat(b.unprotectRtp(older, 0, older.length)).isEqualTo(112);
            assertThat(b.stats().inboundDropped(SrtpDropReason.REPLAYED)).isEqualTo(1);
            assertThat(b.stats().rtpUnprotected()).isEqualTo(2);
        }
    }

    @ParameterizedTest
    @EnumSource(value = SrtpProfile.class, names = {"AEAD_AES_128_GCM", "AES_CM_128_HMAC_SHA1_80"})
    void packetOlderThanTheReplayWindowIsDropped(SrtpProfile profile) {
        try (SrtpSession a = SrtpSession.create(keys(profile)); SrtpSession b = SrtpSession.create(keys(profile).reversed())) {
            byte[][] wire = protectedStream(a, 100, 20);
            assertThat(b.unprotectRtp(wire[99].clone(), 0, wire[99].length)).isEqualTo(32);
            // 64 behind the highest is outside the window; 63 behind is inside.
            assertThat(SrtpDropReason.ofResult(b.unprotectRtp(wire[35].clone(), 0, wire[35].length)))
                    .isEqualTo(SrtpDropReason.REPLAY_TOO_OLD);
            assertThat(b.unprotectRtp(wire[36].clone(), 0, wire[36].length)).isEqualTo(32);
            assertThat(b.stats().inboundDropped(SrtpDropReason.REPLAY_TOO_OLD)).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @EnumSource(value = SrtpProfile.class, names = {"AEAD_AES_128_GCM", "AES_CM_128_HMAC_SHA1_80"})
    void everySingleBitFlipFailsAuthentication(SrtpProfile profile) {
        try (SrtpSession a = SrtpSession.create(keys(profile)); SrtpSession b = SrtpSession.create(keys(profile).reversed())) {
            byte[] good = protectedStream(a, 1, 24)[0];
            int flips = 0;
            // Bits of the header after the version (flipping the version is MALFORMED), payload and tag.
            for (int i = 0; i < good.length; i++) {
                for (int bit = 0; bit < 8; bit++) {
                    if (i == 0 && bit >= 6) {
                        continue;
                    }
                    byte[] forged = good.clone();
                    forged[i] ^= (byte) (1 << bit);
                    int r = b.unprotectRtp(forged, 0, forged.length);
                    assertThat(r).as("byte %d bit %d", i, bit).isNegative();
                    flips++;
                }
            }
            assertThat(b.stats().rtpUnprotected()).isZero();
            assertThat(b.stats().inboundDroppedTotal()).isEqualTo(flips);
            assertThat(b.stats().inboundDropped(SrtpDropReason.AUTH_FAILED)).isGreaterThan(flips * 9L / 10);
            // Forged SSRCs never got a context.
            assertThat(b.stats().remoteSsrcs()).isZero();
            // The genuine packet still goes through afterwards.
            assertThat(b.unprotectRtp(good.clone(), 0, good.length)).isEqualTo(36);
            assertThat(b.stats().remoteSsrcs()).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @EnumSource(value = SrtpProfile.class, names = {"AEAD_AES_128_GCM", "AES_CM_128_HMAC_SHA1_80"})
    void everyTruncationIsDropped(SrtpProfile profile) {
        try (SrtpSession a = SrtpSession.create(keys(profile)); SrtpSession b = SrtpSession.create(keys(profile).reversed())) {
            byte[] good = protectedStream(a, 1, 40)[0];
            for (int len = 0; len < good.length; len++) {
                byte[] cut = Arrays.copyOf(good, len);
                assertThat(b.unprotectRtp(cut, 0, len)).as("length %d", len).isNegative();
            }
            assertThat(b.stats().inboundDropped(SrtpDropReason.TOO_SHORT)).isEqualTo(12 + profile.rtpAuthTagLength());
            assertThat(b.stats().rtpUnprotected()).isZero();

            byte[] rtcp = TestPackets.rtcpRr(5, 6, profile.rtcpTrailerLength());
            int p = a.protectRtcp(rtcp, 0, rtcp.length - profile.rtcpTrailerLength());
            for (int len = 0; len < p; len++) {
                assertThat(b.unprotectRtcp(Arrays.copyOf(rtcp, len), 0, len)).as("rtcp length %d", len).isNegative();
            }
            assertThat(b.unprotectRtcp(rtcp, 0, p)).isEqualTo(32);
            assertThat(b.unprotectRtcp(Arrays.copyOf(rtcp, p), 0, p)).isNegative();
        }
    }

    @ParameterizedTest
    @EnumSource(value = SrtpProfile.class, names = {"AEAD_AES_128_GCM", "AES_CM_128_HMAC_SHA1_80"})
    void tenThousandRandomAndMutatedPacketsNeverThrowNorPass(SrtpProfile profile) {
        try (SrtpSession a = SrtpSession.create(keys(profile)); SrtpSession b = SrtpSession.create(keys(profile).reversed())) {
            byte[][] wire = protectedStream(a, 50, 60);
            Random random = new Random(1234);
            int accepted = 0;
            for (int i = 0; i < 10_000; i++) {
                byte[] pkt;
                if (i % 2 == 0) {
                    pkt = new byte[random.nextInt(200)];
                    random.nextBytes(pkt);
                    if (pkt.length > 0 && random.nextBoolean()) {
                        pkt[0] = (byte) (0x80 | (pkt[0] & 0x3F));
                    }
                } else {
                    pkt = wire[random.nextInt(wire.length)].clone();
                    int mutations = 1 + random.nextInt(4);
                    for (int m = 0; m < mutations; m++) {
                        pkt[random.nextInt(pkt.length)] ^= (byte) (1 + random.nextInt(255));
                    }
                }
                int r = i % 3 == 0 ? b.unprotectRtcp(pkt, 0, pkt.length) : b.unprotectRtp(pkt, 0, pkt.length);
                if (r >= 0) {
                    accepted++;
                }
            }
            assertThat(accepted).isZero();
            assertThat(b.stats().inboundDroppedTotal()).isEqualTo(10_000);
            assertThat(b.stats().remoteSsrcs()).isZero();
            // Genuine traffic is unaffected by the storm.
            for (byte[] w : wire) {
                assertThat(b.unprotectRtp(w.clone(), 0, w.length)).isEqualTo(72);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = SrtpProfile.class, names = {"AEAD_AES_128_GCM", "AES_CM_128_HMAC_SHA1_80"})
    void remoteSsrcTableIsCappedAndSlotsFreeOnRemoval(SrtpProfile profile) {
        SrtpKeys k = keys(profile);
        try (SrtpSession a = SrtpSession.create(k);
             SrtpSession b = SrtpSession.create(k.reversed(), new SrtpSessionConfig(8, 3))) {
            int trailer = profile.rtpTrailerLength();
            for (long ssrc = 1; ssrc <= 4; ssrc++) {
                byte[] buf = TestPackets.rtp(96, 1, 1, ssrc, new byte[10], trailer);
                int p = a.protectRtp(buf, 0, 22);
                int r = b.unprotectRtp(buf, 0, p);
                if (ssrc <= 3) {
                    assertThat(r).isEqualTo(22);
                } else {
                    assertThat(SrtpDropReason.ofResult(r)).isEqualTo(SrtpDropReason.SSRC_LIMIT);
                }
            }
            assertThat(b.stats().remoteSsrcs()).isEqualTo(3);
            assertThat(b.removeRemoteSsrc(2)).isTrue();
            byte[] buf = TestPackets.rtp(96, 2, 2, 4, new byte[10], trailer);
            int p = a.protectRtp(buf, 0, 22);
            assertThat(b.unprotectRtp(buf, 0, p)).isEqualTo(22);
            assertThat(b.stats().inboundDropped(SrtpDropReason.SSRC_LIMIT)).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @EnumSource(value = SrtpProfile.class, names = {"AEAD_AES_128_GCM", "AES_CM_128_HMAC_SHA1_80"})
    void misuseThrowsAtOnceButReusedIndexIsRefused(SrtpProfile profile) {
        SrtpSession a = SrtpSession.create(keys(profile));
        byte[] noRoom = TestPackets.rtp(96, 1, 1, 1, new byte[10], profile.rtpTrailerLength() - 1);
        assertThatThrownBy(() -> a.protectRtp(noRoom, 0, 22)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tail room");
        assertThatThrownBy(() -> a.protectRtp(noRoom, 5, 100)).isInstanceOf(IndexOutOfBoundsException.class);

        byte[] buf = TestPackets.rtp(96, 7, 1, 1, new byte[10], profile.rtpTrailerLength());
        assertThat(a.protectRtp(buf.clone(), 0, 22)).isEqualTo(22 + profile.rtpTrailerLength());
        // Protecting the same sequence number again would reuse the keystream / GCM nonce.
        assertThat(SrtpDropReason.ofResult(a.protectRtp(buf.clone(), 0, 22))).isEqualTo(SrtpDropReason.REPLAYED);
        assertThat(a.stats().outboundFailed(SrtpDropReason.REPLAYED)).isEqualTo(1);

        a.close();
        assertThatThrownBy(() -> a.protectRtp(buf.clone(), 0, 22)).isInstanceOf(IllegalStateException.class);
        assertThat(SrtpDropReason.ofResult(a.unprotectRtp(buf.clone(), 0, 32))).isEqualTo(SrtpDropReason.CLOSED);
    }
}
