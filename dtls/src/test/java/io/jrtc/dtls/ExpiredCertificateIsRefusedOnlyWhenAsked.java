package io.jrtc.dtls;

import io.jrtc.common.DtlsRole;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jrtc.common.ErrorKind;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Certificate lifetime: {@link DtlsCertificate#generate(DtlsCertificate.KeyType, Duration)} makes a certificate that
 * expires, and an endpoint with {@link DtlsConfig#checkPeerCertificateValidity()} refuses a peer certificate outside
 * its validity period (whose fingerprint matches) with {@code certificate_expired}, in either role; the refusing side's
 * {@code Failed} carries the certificate's dates, the other side reports the alert. Without the option (the default)
 * the same expired certificate connects: WebRTC peers are authenticated by fingerprint.
 */
class ExpiredCertificateIsRefusedOnlyWhenAsked {

    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private static final DtlsCertificate EXPIRED = DtlsCertificate.generate("jrtc-expired",
            DtlsCertificate.KeyType.ECDSA_P256, NOW.minusSeconds(60), NOW.minusSeconds(5));
    private static final DtlsCertificate NOT_YET = DtlsCertificate.generate("jrtc-not-yet",
            DtlsCertificate.KeyType.ECDSA_P256, NOW.plusSeconds(60), NOW.plusSeconds(120));

    /** Which side presents the expired certificate (the other checks it). */
    enum Presenter { CLIENT, SERVER }

    private static final DtlsConfig CHECKING = DtlsConfig.builder().checkPeerCertificateValidity(true).build();

    @ParameterizedTest
    @EnumSource(Presenter.class)
    void anExpiredCertificateIsRefusedWithCertificateExpired(Presenter presenter) throws Exception {
        DtlsCertificate clientCert = presenter == Presenter.CLIENT ? EXPIRED : Pump.CERT_1;
        DtlsCertificate serverCert = presenter == Presenter.SERVER ? EXPIRED : Pump.CERT_2;
        Pump p = new Pump(w -> new DtlsEndpoint(CHECKING, DtlsRole.CLIENT, clientCert,
                List.of(serverCert.fingerprint()), w),
                w -> new DtlsEndpoint(CHECKING, DtlsRole.SERVER, serverCert, List.of(clientCert.fingerprint()), w));
        p.start();
        assertThat(p.runUntil(() -> Pump.failed(p.eventsA) != null && Pump.failed(p.eventsB) != null,
                Duration.ofSeconds(20))).as("both sides fail").isTrue();

        DtlsEvent.Failed checker = Pump.failed(presenter == Presenter.CLIENT ? p.eventsB : p.eventsA);
        DtlsEvent.Failed presenterSide = Pump.failed(presenter == Presenter.CLIENT ? p.eventsA : p.eventsB);
        assertThat(checker.kind()).isEqualTo(ErrorKind.AUTHENTICATION);
        assertThat(checker.reason()).contains("expired at " + EXPIRED.notAfter());
        assertThat(checker.refused()).isNotNull();
        assertThat(checker.refused().expired()).isTrue();
        assertThat(checker.refused().notAfter()).isEqualTo(EXPIRED.notAfter());
        assertThat(checker.refused().notBefore()).isEqualTo(EXPIRED.notBefore());
        assertThat(checker.refused().fingerprint()).isEqualTo(EXPIRED.fingerprint());
        assertThat(presenterSide.kind()).isEqualTo(ErrorKind.AUTHENTICATION);
        assertThat(presenterSide.reason()).contains("certificate_expired");
        assertThat(presenterSide.refused()).isNull();
        assertThat(p.eventsA).noneMatch(e -> e instanceof DtlsEvent.Connected || e instanceof DtlsEvent.ApplicationData);
        assertThat(p.eventsB).noneMatch(e -> e instanceof DtlsEvent.Connected || e instanceof DtlsEvent.ApplicationData);
        p.step();
        p.step();
        assertThat(p.wire).noneMatch(w -> w.contentType() == 23);
    }

    @Test
    void aCertificateNotValidYetIsRefusedToo() throws Exception {
        Pump p = new Pump(w -> new DtlsEndpoint(CHECKING, DtlsRole.CLIENT, NOT_YET, List.of(Pump.CERT_2.fingerprint()), w),
                w -> new DtlsEndpoint(CHECKING, DtlsRole.SERVER, Pump.CERT_2, List.of(NOT_YET.fingerprint()), w));
        p.start();
        assertThat(p.runUntil(() -> Pump.failed(p.eventsB) != null, Duration.ofSeconds(20))).isTrue();
        DtlsEvent.Failed server = Pump.failed(p.eventsB);
        assertThat(server.reason()).contains("not valid before " + NOT_YET.notBefore());
        assertThat(server.refused().expired()).isFalse();
    }

    @Test
    void withoutTheOptionAnExpiredCertificateConnectsByItsFingerprint() throws Exception {
        DtlsConfig cfg = DtlsConfig.defaults();
        assertThat(cfg.checkPeerCertificateValidity()).isFalse();
        Pump p = new Pump(w -> new DtlsEndpoint(cfg, DtlsRole.CLIENT, EXPIRED, List.of(Pump.CERT_2.fingerprint()), w),
                w -> new DtlsEndpoint(cfg, DtlsRole.SERVER, Pump.CERT_2, List.of(EXPIRED.fingerprint()), w));
        p.start();
        assertThat(p.runUntil(p::bothConnected, Duration.ofSeconds(20))).isTrue();
    }

    @Test
    void theCheckReadsTheConfiguredClockSoAValidCertificateExpiresWithTime() throws Exception {
        DtlsCertificate shortLived = DtlsCertificate.generate(DtlsCertificate.KeyType.ECDSA_P256, Duration.ofSeconds(30));
        assertThat(shortLived.notBefore()).isBefore(Instant.now().minus(DtlsCertificate.CLOCK_SKEW).plusSeconds(2));
        assertThat(Duration.between(Instant.now(), shortLived.notAfter()).toSeconds()).isBetween(27L, 30L);
        assertThat(shortLived.validAt(Instant.now())).isTrue();
        // now: the same certificate is taken
        Pump ok = new Pump(w -> new DtlsEndpoint(CHECKING, DtlsRole.CLIENT, shortLived, List.of(Pump.CERT_2.fingerprint()), w),
                w -> new DtlsEndpoint(CHECKING, DtlsRole.SERVER, Pump.CERT_2, List.of(shortLived.fingerprint()), w));
        ok.start();
        assertThat(ok.runUntil(ok::bothConnected, Duration.ofSeconds(20))).isTrue();
        // a minute later (the checker's clock): refused
        DtlsConfig later = CHECKING.toBuilder()
                .validityClock(Clock.fixed(shortLived.notAfter().plusSeconds(31), ZoneOffset.UTC)).build();
        Pump refused = new Pump(w -> new DtlsEndpoint(CHECKING, DtlsRole.CLIENT, shortLived, List.of(Pump.CERT_2.fingerprint()), w),
                w -> new DtlsEndpoint(later, DtlsRole.SERVER, Pump.CERT_2, List.of(shortLived.fingerprint()), w));
        refused.start();
        assertThat(refused.runUntil(() -> Pump.failed(refused.eventsB) != null, Duration.ofSeconds(20))).isTrue();
        assertThat(Pump.failed(refused.eventsB).refused().notAfter()).isEqualTo(shortLived.notAfter());
    }

    @Test
    void aLifetimeMustBePositiveAndAPeriodMustNotBeEmpty() {
        assertThatThrownBy(() -> DtlsCertificate.generate(DtlsCertificate.KeyType.ECDSA_P256, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DtlsCertificate.generate("x", DtlsCertificate.KeyType.ECDSA_P256, NOW, NOW))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
