package io.jrtc.srtp;

import io.jrtc.common.SrtpProfile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** RFC 5764 section 4.2 key layout, profile table, and that both DTLS roles end up talking to each other. */
class SrtpKeysSplitDtlsExporterOutputByRole {

    @Test
    void profilesCarryTheirUseSrtpIdsAndLengths() {
        assertThat(SrtpProfile.fromId(0x0007)).contains(SrtpProfile.AEAD_AES_128_GCM);
        assertThat(SrtpProfile.fromId(0x0001)).contains(SrtpProfile.AES_CM_128_HMAC_SHA1_80);
        assertThat(SrtpProfile.fromId(0x0002)).contains(SrtpProfile.AES_CM_128_HMAC_SHA1_32);
        assertThat(SrtpProfile.fromId(0x0008)).contains(SrtpProfile.AEAD_AES_256_GCM);
        assertThat(SrtpProfile.fromId(0x0005)).isEmpty();
        assertThat(SrtpProfile.AES_CM_128_HMAC_SHA1_80.keyingMaterialLength()).isEqualTo(60);
        assertThat(SrtpProfile.AEAD_AES_128_GCM.keyingMaterialLength()).isEqualTo(56);
        assertThat(SrtpProfile.AES_CM_128_HMAC_SHA1_80.rtcpTrailerLength()).isEqualTo(14);
        assertThat(SrtpProfile.AES_CM_128_HMAC_SHA1_32.rtpTrailerLength()).isEqualTo(4);
        assertThat(SrtpProfile.AES_CM_128_HMAC_SHA1_32.rtcpTrailerLength()).isEqualTo(14);
        assertThat(SrtpProfile.AEAD_AES_128_GCM.rtcpTrailerLength()).isEqualTo(SrtpSession.MAX_TRAILER_LENGTH);
        assertThat(SrtpProfile.preferenceOrder()).startsWith(SrtpProfile.AEAD_AES_128_GCM);
    }

    @Test
    void clientAndServerHalvesGoToTheRightDirection() {
        byte[] material = new byte[56];
        for (int i = 0; i < material.length; i++) {
            material[i] = (byte) i;
        }
        SrtpKeys client = SrtpKeys.fromDtlsKeyingMaterial(SrtpProfile.AEAD_AES_128_GCM, material, true);
        SrtpKeys server = SrtpKeys.fromDtlsKeyingMaterial(SrtpProfile.AEAD_AES_128_GCM, material, false);
        assertThat(client.localMasterKey()).isEqualTo(Arrays.copyOfRange(material, 0, 16));
        assertThat(client.remoteMasterKey()).isEqualTo(Arrays.copyOfRange(material, 16, 32));
        assertThat(client.localMasterSalt()).isEqualTo(Arrays.copyOfRange(material, 32, 44));
        assertThat(client.remoteMasterSalt()).isEqualTo(Arrays.copyOfRange(material, 44, 56));
        assertThat(server).isEqualTo(client.reversed());
        assertThat(client.toString()).doesNotContain("0, 1, 2").contains("redacted");

        try (SrtpSession c = SrtpSession.create(client); SrtpSession s = SrtpSession.create(server)) {
            byte[] pkt = TestPackets.rtp(96, 1, 1, 5, new byte[] {9, 8, 7}, 16);
            int n = c.protectRtp(pkt, 0, 15);
            assertThat(s.unprotectRtp(pkt, 0, n)).isEqualTo(15);
            byte[] back = TestPackets.rtp(96, 1, 1, 6, new byte[] {1}, 16);
            int m = s.protectRtp(back, 0, 13);
            assertThat(c.unprotectRtp(back, 0, m)).isEqualTo(13);
            // The same keys in the same direction on both ends cannot talk: the halves really differ.
            try (SrtpSession wrong = SrtpSession.create(client)) {
                byte[] again = TestPackets.rtp(96, 2, 1, 5, new byte[] {9, 8, 7}, 16);
                int k = c.protectRtp(again, 0, 15);
                assertThat(SrtpDropReason.ofResult(wrong.unprotectRtp(again, 0, k)))
                        .isEqualTo(SrtpDropReason.AUTH_FAILED);
            }
        }
    }

    @Test
    void wrongLengthsAreRefused() {
        assertThatThrownBy(() -> SrtpKeys.fromDtlsKeyingMaterial(SrtpProfile.AES_CM_128_HMAC_SHA1_80, new byte[56], true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("60");
        assertThatThrownBy(() -> SrtpSession.create(SrtpProfile.AEAD_AES_128_GCM, new byte[16], new byte[14],
                new byte[16], new byte[12])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("localMasterSalt");
        assertThatThrownBy(() -> SrtpDropReason.ofResult(-100)).isInstanceOf(IllegalArgumentException.class);
        assertThat(SrtpDropReason.ofResult(0)).isNull();
        assertThat(SrtpDropReason.ofResult(SrtpDropReason.CLOSED.code())).isEqualTo(SrtpDropReason.CLOSED);
    }
}
