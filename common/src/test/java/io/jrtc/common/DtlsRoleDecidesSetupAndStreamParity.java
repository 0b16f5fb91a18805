package io.jrtc.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DtlsRoleDecidesSetupAndStreamParity {

    @Test
    void remoteSetupGivesTheOppositeRoleAndOurAnswerSaysIt() {
        assertThat(DtlsRole.fromRemoteSetup("active")).isEqualTo(DtlsRole.SERVER);
        assertThat(DtlsRole.fromRemoteSetup(" passive ")).isEqualTo(DtlsRole.CLIENT);
        assertThat(DtlsRole.CLIENT.localSetup()).isEqualTo("active");
        assertThat(DtlsRole.SERVER.localSetup()).isEqualTo("passive");
        assertThatThrownBy(() -> DtlsRole.fromRemoteSetup("actpass")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DtlsRole.fromRemoteSetup("holdconn")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void clientOwnsEvenStreamIdsAndServerOdd() {
        assertThat(DtlsRole.CLIENT.firstStreamId()).isZero();
        assertThat(DtlsRole.SERVER.firstStreamId()).isEqualTo(1);
        assertThat(DtlsRole.CLIENT.ownsStreamId(0)).isTrue();
        assertThat(DtlsRole.CLIENT.ownsStreamId(65534)).isTrue();
        assertThat(DtlsRole.CLIENT.ownsStreamId(3)).isFalse();
        assertThat(DtlsRole.SERVER.ownsStreamId(3)).isTrue();
        assertThat(DtlsRole.SERVER.ownsStreamId(2)).isFalse();
    }

    @Test
    void srtpProfilesKeepTheirWireIdsAndExporterLengths() {
        assertThat(SrtpProfile.fromId(0x0001)).contains(SrtpProfile.AES_CM_128_HMAC_SHA1_80);
        assertThat(SrtpProfile.fromId(0x0007)).contains(SrtpProfile.AEAD_AES_128_GCM);
        assertThat(SrtpProfile.fromId(0x0005)).isEmpty();
        assertThat(SrtpProfile.AES_CM_128_HMAC_SHA1_80.keyingMaterialLength()).isEqualTo(60);
        assertThat(SrtpProfile.AEAD_AES_128_GCM.keyingMaterialLength()).isEqualTo(56);
        assertThat(SrtpProfile.AEAD_AES_256_GCM.keyingMaterialLength()).isEqualTo(88);
    }
}
