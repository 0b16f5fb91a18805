package io.jrtc.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A deliberately broken jrtc: the probe reports each break as FAIL, with the decoded packets as evidence. */
class BrokenJrtcIsCaught {

    @Test
    void aDataChannelOpenWithoutTheUnorderedBitFails() throws Exception {
        ProbeReport report;
        try (JrtcTarget target = new JrtcTarget(Set.of(JrtcTarget.Break.DROP_UNORDERED_BIT))) {
            report = Probe.builder().roles(List.of(Role.OFFERER)).only(List.of("dcep-channel-types-remote")).build().run(target);
        }
        report.write(KeptReports.base("jrtc-broken-unordered-bit-offerer"));
        ScenarioResult r = report.results("dcep-channel-types-remote").get(0);
        assertThat(r.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(r.detail()).contains("unordered, maxRetransmits=3", "sent channel type 0x01, expected 0x81",
                "the unordered bit is missing");
        assertThat(r.evidence()).anyMatch(e -> e.direction().equals("in")
                && e.decoded().contains("DATA_CHANNEL_OPEN type=0x01 (PARTIAL_RELIABLE_REXMIT)")
                && e.decoded().contains("label='remote-3'"));
        assertThat(report.exitCode(Set.of(Verdict.FAIL))).isEqualTo(1);
        assertThat(report.exitCode(Set.of(Verdict.DEVIATION))).isZero();
    }

    @Test
    void aSenderThatIgnoresTheReceiveWindowFails() throws Exception {
        ProbeReport report;
        try (JrtcTarget target = new JrtcTarget(Set.of(JrtcTarget.Break.IGNORE_A_RWND))) {
            report = Probe.builder().roles(List.of(Role.OFFERER)).only(List.of("receive-window-respected")).build().run(target);
        }
        report.write(KeptReports.base("jrtc-broken-ignores-a-rwnd-offerer"));
        ScenarioResult r = report.results("receive-window-respected").get(0);
        assertThat(r.verdict()).as(r.detail()).isEqualTo(Verdict.FAIL);
        assertThat(r.detail()).contains("bytes in flight against an advertised window of 8192");
        assertThat(r.evidence()).anyMatch(e -> e.direction().equals("rewritten-out") && e.decoded().contains("a_rwnd=8192"));
    }
}
