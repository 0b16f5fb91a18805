package io.jrtc.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The reference run: jrtc probing jrtc (in one JVM, over loopback UDP) passes every scenario, in both roles. */
class JrtcProbingJrtcPassesEveryScenario {

    @ParameterizedTest
    @EnumSource(Role.class)
    void everyScenarioPasses(Role role) throws Exception {
        ProbeReport report;
        try (JrtcTarget target = new JrtcTarget()) {
            report = Probe.builder().roles(List.of(role)).repeats(2).build().run(target);
        }
        Path base = KeptReports.base("jrtc-" + role.label());
        report.write(base);
        assertThat(report.results()).hasSize(Probe.catalogue().size());
        for (ScenarioResult r : report.results()) {
            assertThat(r.verdict()).as(r.id() + ": " + r.detail() + "\n" + r.evidence()).isEqualTo(Verdict.PASS);
            assertThat(r.evidence()).as(r.id() + " has evidence").isNotEmpty();
        }
        // what jrtc does in the newer scenarios, from the detail and the evidence
        ScenarioResult shutdown = report.results("association-shutdown").get(0);
        assertThat(shutdown.detail()).contains("with an ABORT");
        assertThat(shutdown.evidence()).anyMatch(e -> e.direction().equals("in") && e.decoded().contains("ABORT T=0")
                && e.decoded().contains("UserInitiatedAbort"));
        ScenarioResult unknown = report.results("unknown-chunk-types").get(0);
        assertThat(unknown.detail()).contains("0x3E (stop, discard): packet discarded", "0x7E (stop, discard, report): packet discarded",
                "0xBE (skip): chunk skipped", "0xFE (skip, report): chunk skipped, the DATA echoed, reported in an ERROR");
        assertThat(unknown.evidence()).anyMatch(e -> e.decoded().contains("UnrecognizedChunkType[7e"))
                .anyMatch(e -> e.decoded().contains("UnrecognizedChunkType[fe"))
                .noneMatch(e -> e.decoded().contains("UnrecognizedChunkType[3e") || e.decoded().contains("UnrecognizedChunkType[be"));
        ScenarioResult fwd = report.results("forward-tsn").get(0);
        assertThat(fwd.evidence()).anyMatch(e -> e.direction().equals("dropped-out") && e.decoded().contains("DATA"))
                .anyMatch(e -> e.direction().equals("out") && e.decoded().contains("FORWARD_TSN new_cum_tsn="))
                .anyMatch(e -> e.direction().equals("dropped-in") && e.decoded().contains("DATA"))
                .anyMatch(e -> e.direction().equals("in") && e.decoded().contains("FORWARD_TSN new_cum_tsn="));
        assertThat(report.results("dcep-negotiated").get(0).evidence())
                .anyMatch(e -> e.direction().equals("in") && e.decoded().contains("sid=" + 60 + " ssn=0 ppid=51"))
                .noneMatch(e -> e.decoded().contains("DATA_CHANNEL_OPEN"));
        for (int v : new int[] {128, 256, 512, 1024, 0, 65535}) {
            assertThat(report.results("dcep-priority").get(0).evidence())
                    .anyMatch(e -> e.direction().endsWith("out") && e.decoded().contains("priority=" + v + " reliability=0 label='priority-" + v + "'"));
        }
        assertThat(report.results("dcep-data-before-ack").get(0).detail()).contains("accepted and echoed in order");
        ScenarioResult zero = report.results("zero-checksum").get(0);
        assertThat(zero.detail()).contains("declares Zero Checksum Acceptable (EDMID 1, DTLS)", "accepts jrtc's zero checksums");
        assertThat(zero.evidence()).anyMatch(e -> e.decoded().startsWith("sent with a correct CRC32c instead"))
                .anyMatch(e -> e.direction().equals("in") && e.decoded().contains("ZeroChecksumAcceptable(0x8001, EDMID=1)"))
                .noneMatch(e -> e.direction().equals("in") && e.decoded().contains("checksum=0"));
        // jrtc refuses a certificate that does not match with a plaintext bad_certificate before its Finished (in both
        // DTLS roles), and refuses a description announcing sha-1 only; it accepts sha-512
        ScenarioResult mismatch = report.results("dtls-fingerprint-mismatch").get(0);
        assertThat(mismatch.detail()).contains("bad_certificate (42), fatal, plaintext", "0 DTLS datagram(s) of its after the alert");
        assertThat(mismatch.evidence()).anyMatch(e -> e.direction().equals("in") && e.decoded().contains("Alert level=2 desc=42"))
                .noneMatch(e -> e.direction().equals("in") && (e.decoded().contains("Finished") || e.decoded().contains("ApplicationData")));
        assertThat(mismatch.millis()).as("no wait for the probe's 20 s connect timeout").isLessThan(10_000);
        assertThat(report.results("dtls-fingerprint-sha1").get(0).detail())
                .contains("refused jrtc's description: no usable remote fingerprint (sha-256/384/512 needed; md5 and sha-1 are refused)");
        assertThat(report.results("dtls-fingerprint-sha512").get(0).detail()).contains("accepted a=fingerprint:sha-512: the first channel opened");
        // the JSON round-trips and the HTML holds the table
        ProbeReport back = ProbeReport.fromJson(Files.readString(Path.of(base + ".json")));
        assertThat(back.results()).isEqualTo(report.results());
        assertThat(Files.readString(Path.of(base + ".html"))).contains("<table>", "dcep-channel-types-remote", "RFC 8832 §5.1");
        assertThat(report.exitCode(Probe.parseFailOn("fail,deviation"))).isZero();
        assertThat(report.deterministic()).as("jrtc against itself gives the same verdicts twice").isTrue();
    }
}
