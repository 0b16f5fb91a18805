package io.jrtc.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.testkit.interop.RemotePeer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What werift, Pion, Chromium and Firefox ESR do when jrtc's description does not match its certificate
 * ({@code dtls-fingerprint-mismatch}), announces it by SHA-1 only ({@code dtls-fingerprint-sha1}) or by SHA-512 only
 * ({@code dtls-fingerprint-sha512}), in both roles, two runs each, inside a private network namespace
 * ({@link ForeignPeers}). Skips without the peer, fails under {@code JRTC_REQUIRE_INTEROP=1}. Found here: every stack
 * refuses the mismatch without sending application data, the browsers with a plaintext fatal alert before their
 * Finished, Pion after completing the handshake with an encrypted alert, werift in silence; every one accepts SHA-1
 * (jrtc refuses it) and SHA-512.
 */
class DtlsFingerprintChecksOfForeignStacks {

    private static final List<String> IDS = List.of("dtls-fingerprint-mismatch", "dtls-fingerprint-sha1",
            "dtls-fingerprint-sha512");

    @ParameterizedTest
    @EnumSource(Role.class)
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void werift(Role role) throws Exception {
        ForeignPeers.Run r = ForeignPeers.probe(RemotePeer.Kind.WERIFT, role, IDS, false);
        ScenarioResult mismatch = mismatch(r, role);
        // werift stops in silence: no alert; as DTLS server it never sends its ChangeCipherSpec and Finished (jrtc
        // retransmits its last flight), as client it completes the handshake and never answers jrtc's SCTP INIT
        assertThat(mismatch.verdict()).as(mismatch.detail()).isEqualTo(Verdict.DEVIATION);
        assertThat(mismatch.detail()).contains("without an alert");
        assertThat(mismatch.evidence()).noneMatch(e -> e.direction().equals("in") && e.decoded().contains("Alert"));
        if (role == Role.ANSWERER) {
            assertThat(mismatch.evidence()).noneMatch(e -> e.direction().equals("in") && e.decoded().contains("Finished"))
                    .filteredOn(e -> e.direction().equals("out") && e.decoded().contains("Handshake Certificate seq=2"))
                    .hasSizeGreaterThan(1);
        }
        acceptsSha1AndSha512(r);
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void pion(Role role) throws Exception {
        ForeignPeers.Run r = ForeignPeers.probe(RemotePeer.Kind.PION, role, IDS, false);
        ScenarioResult mismatch = mismatch(r, role);
        // Pion checks the fingerprint once its handshake is over: its Finished goes out first (as DTLS server, jrtc may
        // then complete its side and send its INIT before the alert arrives, or not: both were seen), then an
        // encrypted alert (the tap cannot read which), and nothing more from it
        assertThat(mismatch.verdict()).as(mismatch.detail()).isEqualTo(Verdict.PASS);
        assertThat(mismatch.detail()).contains("an encrypted alert", "0 DTLS datagram(s) of its after the alert");
        Evidence finished = mismatch.evidence().stream()
                .filter(e -> e.direction().equals("in") && e.decoded().contains("(encrypted: Finished)")).findFirst().orElseThrow();
        Evidence alert = mismatch.evidence().stream()
                .filter(e -> e.direction().equals("in") && e.decoded().contains("Alert e1 (encrypted)")).findFirst().orElseThrow();
        assertThat(finished.atMillis()).isLessThanOrEqualTo(alert.atMillis());
        acceptsSha1AndSha512(r);
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void chromium(Role role) throws Exception {
        ForeignPeers.Run r = ForeignPeers.probe(RemotePeer.Kind.CHROMIUM, role, IDS, false);
        refusesInPlaintext(mismatch(r, role), "certificate_unknown (46), fatal, plaintext", "Alert level=2 desc=46");
        acceptsSha1AndSha512(r);
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void firefox(Role role) throws Exception {
        ForeignPeers.Run r = ForeignPeers.probe(RemotePeer.Kind.FIREFOX, role, IDS, false);
        refusesInPlaintext(mismatch(r, role), "bad_certificate (42), fatal, plaintext", "Alert level=2 desc=42");
        acceptsSha1AndSha512(r);
    }

    /** The mismatch result: deterministic, no application data from the target, the rewritten line in evidence. */
    private static ScenarioResult mismatch(ForeignPeers.Run r, Role role) {
        ScenarioResult m = r.result("dtls-fingerprint-mismatch");
        assertThat(m.nonDeterministic()).as(m.detail()).isFalse();
        // the browsers, Pion and werift answer jrtc's offer with a=setup:active, and offer actpass (jrtc answers active)
        assertThat(m.detail()).contains("jrtc was the DTLS " + (role == Role.OFFERER ? "server" : "client"));
        assertThat(m.evidence()).anyMatch(e -> e.decoded().contains("the target was told a=fingerprint:sha-256 "))
                .noneMatch(e -> e.direction().equals("in") && e.decoded().contains("ApplicationData"));
        assertThat(m.millis()).as("the scenario does not wait the probe's 20 s connect timeout").isLessThan(10_000);
        return m;
    }

    /** The browsers refuse before their Finished, with a fatal alert in epoch 0, and send nothing after it. */
    private static void refusesInPlaintext(ScenarioResult m, String alert, String decoded) {
        assertThat(m.verdict()).as(m.detail()).isEqualTo(Verdict.PASS);
        assertThat(m.detail()).contains(alert, "0 DTLS datagram(s) of its after the alert")
                .doesNotContain("jrtc had completed its side");
        assertThat(m.evidence()).anyMatch(e -> e.direction().equals("in") && e.decoded().contains(decoded))
                .noneMatch(e -> e.direction().equals("in") && e.decoded().contains("Finished"));
    }

    /** Every stack tried accepts a correct SHA-1 fingerprint (DEVIATION) and a correct SHA-512 one (PASS). */
    private static void acceptsSha1AndSha512(ForeignPeers.Run r) {
        ScenarioResult sha1 = r.result("dtls-fingerprint-sha1");
        assertThat(sha1.verdict()).as(sha1.detail()).isEqualTo(Verdict.DEVIATION);
        assertThat(sha1.nonDeterministic()).isFalse();
        assertThat(sha1.detail()).contains("the target accepted a=fingerprint:sha-1: the first channel opened");
        assertThat(sha1.evidence()).anyMatch(e -> e.decoded().matches("the target was told a=fingerprint:sha-1 ([0-9A-F]{2}:){19}[0-9A-F]{2} .*"))
                .anyMatch(e -> e.direction().equals("in") && e.decoded().contains("ApplicationData"));
        ScenarioResult sha512 = r.result("dtls-fingerprint-sha512");
        assertThat(sha512.verdict()).as(sha512.detail()).isEqualTo(Verdict.PASS);
        assertThat(sha512.nonDeterministic()).isFalse();
        assertThat(sha512.evidence()).anyMatch(e -> e.decoded().matches("the target was told a=fingerprint:sha-512 ([0-9A-F]{2}:){63}[0-9A-F]{2} .*"));
    }
}
