package io.jrtc.dtls;

import io.jrtc.common.SrtpProfile;
import io.jrtc.common.DtlsRole;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** RFC 5763 section 5 role selection, RFC 5764 section 4.2 key layout, and configuration validation. */
class SetupAttributeAndSrtpKeyLayout {

    @Test
    void remoteSetupSelectsOurRole() {
        assertThat(DtlsRole.fromRemoteSetup("active")).isEqualTo(DtlsRole.SERVER);
        assertThat(DtlsRole.fromRemoteSetup("passive")).isEqualTo(DtlsRole.CLIENT);
        assertThat(DtlsRole.fromRemoteSetup(" passive ")).isEqualTo(DtlsRole.CLIENT);
        assertThatThrownBy(() -> DtlsRole.fromRemoteSetup("actpass")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("only valid in an offer");
        assertThatThrownBy(() -> DtlsRole.fromRemoteSetup("holdconn")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DtlsRole.fromRemoteSetup("bogus")).isInstanceOf(IllegalArgumentException.class);
        assertThat(DtlsRole.CLIENT.localSetup()).isEqualTo("active");
        assertThat(DtlsRole.SERVER.localSetup()).isEqualTo("passive");
    }

    @Test
    void exporterOutputSplitsClientKeyServerKeyClientSaltServerSalt() {
        byte[] m = new byte[SrtpProfile.AEAD_AES_128_GCM.keyingMaterialLength()];
        for (int i = 0; i < m.length; i++) {
            m[i] = (byte) i;
        }
        assertThat(m).hasSize(56);
        SrtpKeyingMaterial k = SrtpKeyingMaterial.fromExporterOutput(SrtpProfile.AEAD_AES_128_GCM, m);
        assertThat(k.clientWriteKey()).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
        assertThat(k.serverWriteKey()[0]).isEqualTo((byte) 16);
        assertThat(k.clientWriteSalt()).hasSize(12).startsWith((byte) 32);
        assertThat(k.serverWriteSalt()).hasSize(12).startsWith((byte) 44).endsWith((byte) 55);
        assertThat(k.localKey(DtlsRole.CLIENT)).isEqualTo(k.clientWriteKey()).isEqualTo(k.remoteKey(DtlsRole.SERVER));
        assertThat(k.localSalt(DtlsRole.SERVER)).isEqualTo(k.serverWriteSalt()).isEqualTo(k.remoteSalt(DtlsRole.CLIENT));
        assertThat(k.toString()).doesNotContain("0, 1").contains("redacted");
        assertThat(SrtpProfile.AES_CM_128_HMAC_SHA1_80.keyingMaterialLength()).isEqualTo(60);
        assertThat(SrtpProfile.AEAD_AES_256_GCM.keyingMaterialLength()).isEqualTo(88);
        assertThat(SrtpProfile.fromId(0x0007)).contains(SrtpProfile.AEAD_AES_128_GCM);
        assertThat(SrtpProfile.fromId(0x0005)).isEmpty();
        assertThatThrownBy(() -> SrtpKeyingMaterial.fromExporterOutput(SrtpProfile.AES_CM_128_HMAC_SHA1_80, m))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void configDefaultsAndValidation() {
        DtlsConfig d = DtlsConfig.defaults();
        assertThat(d.initialRetransmit()).isEqualTo(Duration.ofMillis(100));
        assertThat(d.handshakeTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(d.mtu()).isEqualTo(1200);
        assertThat(d.srtpProfiles()).containsExactly(SrtpProfile.AEAD_AES_128_GCM, SrtpProfile.AES_CM_128_HMAC_SHA1_80);
        assertThat(d.toBuilder().mtu(1400).build().mtu()).isEqualTo(1400);
        assertThatThrownBy(() -> DtlsConfig.builder().mtu(100).build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DtlsConfig.builder().initialRetransmit(Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DtlsConfig.builder().srtpProfiles(SrtpProfile.AEAD_AES_128_GCM,
                SrtpProfile.AEAD_AES_128_GCM).build()).isInstanceOf(IllegalArgumentException.class);
    }
}
