package io.jrtc.dtls;

import io.jrtc.common.DtlsRole;
import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.common.ErrorKind;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A wrong fingerprint on either side aborts the handshake inside bctls (when the peer's Certificate arrives) with a
 * fatal alert: both ends report {@code Failed(AUTHENTICATION)}, neither ever connects, and no record of content type
 * 23 (application_data) crosses the wire in either direction.
 */
class FingerprintMismatchFailsBothSidesWithoutData {

    /** Which side holds the wrong expectation. */
    enum Wrong { CLIENT_EXPECTS_WRONG, SERVER_EXPECTS_WRONG }

    @ParameterizedTest
    @EnumSource(Wrong.class)
    void mismatchFailsBothWithAuthentication(Wrong wrong) throws Exception {
        DtlsConfig cfg = DtlsConfig.defaults();
        List<Fingerprint> clientExpects = wrong == Wrong.CLIENT_EXPECTS_WRONG
                ? List.of(Pump.CERT_3.fingerprint()) : List.of(Pump.CERT_2.fingerprint());
        List<Fingerprint> serverExpects = wrong == Wrong.SERVER_EXPECTS_WRONG
                ? List.of(Pump.CERT_3.fingerprint()) : List.of(Pump.CERT_1.fingerprint());
        Pump p = new Pump(w -> new DtlsEndpoint(cfg, DtlsRole.CLIENT, Pump.CERT_1, clientExpects, w),
                w -> new DtlsEndpoint(cfg, DtlsRole.SERVER, Pump.CERT_2, serverExpects, w));
        p.start();
        assertThat(p.runUntil(() -> Pump.failed(p.eventsA) != null && Pump.failed(p.eventsB) != null,
                Duration.ofSeconds(20))).as("both sides fail").isTrue();

        DtlsEvent.Failed client = Pump.failed(p.eventsA);
        DtlsEvent.Failed server = Pump.failed(p.eventsB);
        assertThat(client.kind()).isEqualTo(ErrorKind.AUTHENTICATION);
        assertThat(server.kind()).isEqualTo(ErrorKind.AUTHENTICATION);
        DtlsEvent.Failed detector = wrong == Wrong.CLIENT_EXPECTS_WRONG ? client : server;
        assertThat(detector.reason()).contains("fingerprint").contains(Pump.CERT_3.fingerprint().toSdpValue());
        DtlsEvent.Failed other = wrong == Wrong.CLIENT_EXPECTS_WRONG ? server : client;
        assertThat(other.reason()).contains("bad_certificate");

        assertThat(p.eventsA).noneMatch(e -> e instanceof DtlsEvent.Connected || e instanceof DtlsEvent.ApplicationData);
        assertThat(p.eventsB).noneMatch(e -> e instanceof DtlsEvent.Connected || e instanceof DtlsEvent.ApplicationData);
        assertThat(p.a.state()).isEqualTo(DtlsState.FAILED);
        assertThat(p.b.state()).isEqualTo(DtlsState.FAILED);
        // Drain whatever is left, then prove nothing of content type 23 was ever emitted and an alert (21) was.
        p.step();
        p.step();
        assertThat(p.wire).isNotEmpty().noneMatch(w -> w.contentType() == 23);
        assertThat(p.wire).anyMatch(w -> w.contentType() == 21);
    }

    @ParameterizedTest
    @EnumSource(HashFunction.class)
    void strongerHashesAuthenticateToo(HashFunction hash) throws Exception {
        DtlsConfig cfg = DtlsConfig.defaults();
        Pump p = new Pump(
                w -> new DtlsEndpoint(cfg, DtlsRole.CLIENT, Pump.CERT_1, List.of(Pump.CERT_2.fingerprint(hash)), w),
                w -> new DtlsEndpoint(cfg, DtlsRole.SERVER, Pump.CERT_2, List.of(Pump.CERT_1.fingerprint(hash)), w));
        p.start();
        assertThat(p.runUntil(p::bothConnected, Duration.ofSeconds(20))).isTrue();
        assertThat(Pump.connected(p.eventsA).remoteFingerprint().algorithm()).isEqualTo(hash);
    }
}
