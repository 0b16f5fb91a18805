package io.jrtc.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jrtc probe}: the report files, the progress lines, and the exit code that --fail-on sets. */
class ProbeCommandWritesReportsAndGatesOnVerdicts {

    @TempDir
    Path dir;

    @Test
    void aPassingRunExitsZeroAndWritesBothFiles() throws Exception {
        Path base = dir.resolve("self");
        Run r = Run.of("probe", "--self", "--role", "offerer", "--only", "dcep-non-ascii-strings,empty-message-ppids",
                "--report", base.toString(), "--fail-on", "fail,deviation");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.err()).contains("[1/2] offerer dcep-non-ascii-strings", "PASS", "[2/2] offerer empty-message-ppids");
        assertThat(Files.readString(Path.of(base + ".json"))).contains("\"verdict\" : \"PASS\"", "\"target\" : \"jrtc\"");
        assertThat(Files.readString(Path.of(base + ".html"))).contains("<table>", "RFC 8831 §6.6");
    }

    @Test
    void aBrokenTargetFailsTheRunOnlyWhenFailIsGated() throws Exception {
        Path base = dir.resolve("broken");
        Run gated = Run.of("probe", "--self", "--break", "DROP_UNORDERED_BIT", "--role", "offerer", "--only",
                "dcep-channel-types-remote", "--report", base.toString());
        assertThat(gated.code()).as(gated.toString()).isEqualTo(1);
        assertThat(gated.err()).contains("dcep-channel-types-remote", "FAIL");
        Run notGated = Run.of("probe", "--self", "--break", "DROP_UNORDERED_BIT", "--role", "offerer", "--only",
                "dcep-channel-types-remote", "--report", base.toString(), "--fail-on", "deviation");
        assertThat(notGated.code()).as(notGated.toString()).isZero();
    }

    @Test
    void aFaultFromTheCommandLineIsInjectedAndRecoveredFrom() throws Exception {
        Path base = dir.resolve("fault");
        Run r = Run.of("probe", "--self", "--role", "offerer", "--only", "dcep-non-ascii-strings", "--fault",
                "drop:COOKIE_ECHO:first", "--fault", "delay:DATA:nth=2:ms=100:in", "--report", base.toString());
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.err()).contains("dcep-non-ascii-strings", "PASS");
        Run bad = Run.of("probe", "--self", "--fault", "drop:NOPE");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("--fault: fault 'drop:NOPE': unknown chunk type 'NOPE'");
        // a DTLS message as the fault's target: the scenario drops jrtc's first Finished, --fault holds the next one
        // (its retransmission, answering the peer's first retransmission ~100 ms later) 150 ms; the handshake still
        // completes on the held one. (With 200 ms it was released at the moment the peer's second retransmission drew an
        // undelayed Finished, and which came first was a race: the test failed once, 2026-12-06. It also showed that
        // the scenario counted a delayed Finished as never delivered; it counts it now.)
        Run dtls = Run.of("probe", "--self", "--role", "offerer", "--only", "dtls-lost-finished", "--fault",
                "delay:DTLS_FINISHED:ms=150", "--fault", "drop:STUN_BINDING_REQUEST:nth=2:in", "--report", base.toString());
        assertThat(dtls.code()).as(dtls.toString()).isZero();
        assertThat(dtls.err()).contains("dtls-lost-finished", "PASS");
        assertThat(io.jrtc.probe.ProbeReport.fromJson(java.nio.file.Files.readString(Path.of(base + ".json")))
                .results("dtls-lost-finished").get(0).evidence()).anyMatch(e -> e.direction().equals("delayed-out")
                        && e.decoded().contains("Handshake e1 (encrypted: Finished)"));
    }

    @Test
    void usageErrorsExitTwoAndListNamesEveryScenario() {
        assertThat(Run.of("probe").code()).isEqualTo(2);
        assertThat(Run.of("probe", "--self", "--fail-on", "sometimes").code()).isEqualTo(2);
        assertThat(Run.of("probe", "--self", "--only", "no-such-scenario").code()).isEqualTo(2);
        assertThat(Run.of("probe", "--signaling", "ws://127.0.0.1:1/ws").code()).isEqualTo(2);
        Run list = Run.of("probe", "--list");
        assertThat(list.code()).isZero();
        assertThat(list.out()).contains("init-unknown-parameter  (RFC 9260 §3.2.1)", "receive-window-respected", "recovery-after-loss");
        assertThat(list.out()).contains("dtls-lost-finished  (RFC 6347 §4.2.4; RFC 5246 §7.4.9)", "ice-role-conflict",
                "ice-consent-freshness  (RFC 7675 §5.1; long, runs only with --only)");
    }
}
