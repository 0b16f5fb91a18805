package io.jrtc.dtls;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DtlsWarmUpCompletesHandshakesAndStopsWhenAsked {

    @Test
    void everyHandshakeCompletesInBothRoles() {
        DtlsCertificate ours = DtlsCertificate.generate("warm-up-test");
        assertThat(DtlsWarmUp.run(ours, 6, () -> false)).isEqualTo(6);
        DtlsCertificate rsa = DtlsCertificate.generateRsa("warm-up-test-rsa");
        assertThat(DtlsWarmUp.run(rsa, 2, () -> false)).as("an RSA certificate on our side, as client and server").isEqualTo(2);
    }

    @Test
    void itAsksBeforeEachHandshakeAndStopsWhenTold() {
        DtlsCertificate ours = DtlsCertificate.generate("warm-up-test");
        AtomicInteger asked = new AtomicInteger();
        assertThat(DtlsWarmUp.run(ours, 6, () -> asked.incrementAndGet() > 2)).isEqualTo(2);
        assertThat(asked.get()).isEqualTo(3);
    }
}
