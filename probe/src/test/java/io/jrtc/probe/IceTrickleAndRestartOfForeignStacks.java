package io.jrtc.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.testkit.interop.RemotePeer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ice-trickle} and {@code ice-restart} against jrtc itself, werift, Pion, Chromium and Firefox ESR (the foreign
 * stacks in a private network namespace through testkit's harness), both roles, each scenario twice: the verdicts
 * found, and the evidence they rest on.
 */
class IceTrickleAndRestartOfForeignStacks {

    private static final Logger LOG = LoggerFactory.getLogger(IceTrickleAndRestartOfForeignStacks.class);
    private static final List<String> IDS = List.of("ice-trickle", "ice-restart");

    private static ForeignPeers.Run probe(RemotePeer.Kind kind, Role role) throws Exception {
        ForeignPeers.Run run = ForeignPeers.probe(kind, role, IDS, false);
        for (ScenarioResult r : run.report().results()) {
            LOG.info("{} {} {}: {} {}\n{}", kind, role.label(), r.id(), r.verdict(), r.detail(), r.evidence());
            assertThat(r.nonDeterministic()).as(r.id() + " gave the same verdict twice").isFalse();
        }
        return run;
    }

    private static boolean note(ScenarioResult r, String... parts) {
        return r.evidence().stream().anyMatch(e -> e.direction().equals("note") && containsAll(e.decoded(), parts));
    }

    private static boolean containsAll(String s, String... parts) {
        for (String p : parts) {
            if (!s.contains(p)) {
                return false;
            }
        }
        return true;
    }

    /** What every stack here does in ice-trickle: it takes jrtc's trickled candidates; the rest differs. */
    private static void tookTrickledCandidates(ScenarioResult trickle) {
        assertThat(trickle.detail()).contains("jrtc's 1 candidate(s) came by trickle only, then its end-of-candidates",
                "the connection came up and echoed a message");
        assertThat(note(trickle, "jrtc's description as the target got it: 0 a=candidate lines")).isTrue();
        assertThat(note(trickle, "jrtc trickled 2: candidate:", "typ host", "| (end-of-candidates)")).isTrue();
        assertThat(trickle.evidence()).anyMatch(e -> e.direction().equals("in") && e.decoded().startsWith("STUN Binding request")
                && e.decoded().contains("MESSAGE-INTEGRITY FINGERPRINT"));
    }

    /**
     * Probes {@code kind} in {@code role} and checks what werift, Chromium and Firefox share in ice-trickle: it passed,
     * the stack took jrtc's trickled candidates, and its own description was as {@code descriptionNote} says.
     */
    private static ForeignPeers.Run trickledInFull(RemotePeer.Kind kind, Role role, String descriptionNote)
            throws Exception {
        ForeignPeers.Run run = probe(kind, role);
        ScenarioResult trickle = run.result("ice-trickle");
        assertThat(trickle.verdict()).as(trickle.detail()).isEqualTo(Verdict.PASS);
        tookTrickledCandidates(trickle);
        assertThat(note(trickle, descriptionNote)).isTrue();
        return run;
    }

    /** The restart worked: new credentials, checks with them, echoes after it, and no second DTLS handshake. */
    private static void restarted(ScenarioResult restart, Role role) {
        assertThat(restart.verdict()).as(restart.detail()).isEqualTo(Verdict.PASS);
        assertThat(restart.detail()).contains("the target's checks use the new credentials", "3 messages echoed byte-exact",
                "DTLS was not run again");
        assertThat(note(restart, role == Role.OFFERER ? "jrtc offered the restart" : "the target offered the restart",
                "ice-pwd changed")).isTrue();
        assertThat(note(restart, "a=fingerprint unchanged")).isTrue();
        assertThat(restart.evidence()).noneMatch(e -> e.decoded().contains("ClientHello"));
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void jrtc(Role role) throws Exception {
        ProbeReport report;
        try (JrtcTarget target = new JrtcTarget()) {
            report = Probe.builder().roles(List.of(role)).repeats(2).only(IDS).build().run(target);
        }
        ScenarioResult trickle = report.results("ice-trickle").get(0);
        assertThat(trickle.verdict()).as(trickle.detail()).isEqualTo(Verdict.PASS);
        tookTrickledCandidates(trickle);
        assertThat(trickle.detail()).contains("the target announces trickle and signalled its end-of-candidates (an empty trickled candidate)");
        restarted(report.results("ice-restart").get(0), role);
        assertThat(report.deterministic()).isTrue();
    }

    /**
     * werift 0.25.2: trickle in full (a=ice-options:trickle, its candidate and a=end-of-candidates in the description,
     * then the same by trickle). After an ICE restart, offered by either side, its ICE restarts (new credentials, a new
     * port, checks with them answered) but it answers no DTLS record of jrtc's any more: jrtc's DATA goes
     * unacknowledged (retransmitted by T3) and nothing is echoed.
     */
    @ParameterizedTest
    @EnumSource(Role.class)
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void werift(Role role) throws Exception {
        ForeignPeers.Run run = trickledInFull(RemotePeer.Kind.WERIFT, role,
                "a=ice-options:trickle, 1 a=candidate line(s), a=end-of-candidates");
        ScenarioResult restart = run.result("ice-restart");
        assertThat(restart.verdict()).as(restart.detail()).isEqualTo(Verdict.FAIL);
        assertThat(restart.detail()).contains("after the restart, messages on the channel were not echoed byte-exact",
                "DTLS was not run again");
        assertThat(note(restart, "ice-pwd changed")).isTrue();
        assertThat(note(restart, "trickled after the restart: by the target [", "generation 1")).isTrue();
        assertThat(note(restart, "0 Binding request(s) of the target's with the old credentials")).isTrue();
        assertThat(restart.evidence()).anyMatch(e -> e.direction().equals("in") && e.decoded().startsWith("STUN Binding success"));
        assertThat(restart.evidence().stream().filter(e -> e.direction().equals("out") && e.decoded().contains("[DATA tsn=")
                && e.decoded().contains("len=300")).count())
                // sent, then retransmitted by T3 at least once within the scenario's window (how many more times the
                // window holds depends on the machine's load: CI once saw 2 where a quiet run sees 3 or more)
                .as("jrtc's first DATA after the restart, retransmitted").isGreaterThanOrEqualTo(2);
        // the restart offer of werift's keeps its DTLS role (passive) instead of actpass
        if (role == Role.ANSWERER) {
            assertThat(note(restart, "the target's a=setup actpass -> passive")).isTrue();
        }
    }

    /**
     * Pion 3.1: trickles every candidate and its end, but announces no trickle (no a=ice-options:trickle): DEVIATION.
     * The ICE restart works in both roles, DTLS not run again.
     */
    @ParameterizedTest
    @EnumSource(Role.class)
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void pion(Role role) throws Exception {
        ForeignPeers.Run run = probe(RemotePeer.Kind.PION, role);
        ScenarioResult trickle = run.result("ice-trickle");
        assertThat(trickle.verdict()).as(trickle.detail()).isEqualTo(Verdict.DEVIATION);
        tookTrickledCandidates(trickle);
        assertThat(trickle.detail()).contains("the target's description has no a=ice-options:trickle", "yet it trickles candidates");
        assertThat(note(trickle, "no a=ice-options:trickle, 0 a=candidate line(s)")).isTrue();
        assertThat(note(trickle, "the target trickled 2: candidate:", "typ host | (end-of-candidates)")).isTrue();
        restarted(run.result("ice-restart"), role);
    }

    /** Chromium: trickle in full, end-of-candidates, and a working ICE restart (a new port, generation 1). */
    @ParameterizedTest
    @EnumSource(Role.class)
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void chromium(Role role) throws Exception {
        ForeignPeers.Run run = trickledInFull(RemotePeer.Kind.CHROMIUM, role, "a=ice-options:trickle, 0 a=candidate line(s)");
        ScenarioResult restart = run.result("ice-restart");
        restarted(restart, role);
        assertThat(note(restart, "trickled after the restart: by the target [", "typ host generation 1 ufrag")).isTrue();
    }

    /**
     * Firefox ESR: trickle in full; one or two end-of-candidates reach the route (the harness forwards every
     * {@code icecandidate} event without candidate text, and Firefox fires two); its TCP candidate, when it has come
     * by then, is an active one, at times after the first end; a working ICE restart.
     */
    @ParameterizedTest
    @EnumSource(Role.class)
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void firefox(Role role) throws Exception {
        ForeignPeers.Run run = trickledInFull(RemotePeer.Kind.FIREFOX, role, "a=ice-options:trickle, 0 a=candidate line(s)");
        ScenarioResult trickle = run.result("ice-trickle");
        // a UDP candidate and one or two ends (Firefox fires two; the second does not always reach the route before
        // the evidence is taken). Firefox's TCP candidate comes at times after the first end, and the evidence is
        // taken at the first: a CI run (2026-12-06) saw the UDP candidate and one end only. So the TCP candidate is
        // checked when it is there, not required.
        String trickled = trickle.evidence().stream().filter(e -> e.decoded().startsWith("the target trickled "))
                .map(Evidence::decoded).findFirst().orElseThrow();
        assertThat(trickled.split("\\(end-of-candidates\\)", -1)).hasSizeBetween(2, 3);
        assertThat(trickled).contains(" UDP ");
        if (trickled.contains(" TCP ")) {
            assertThat(trickled).contains("tcptype active");
        }
        restarted(run.result("ice-restart"), role);
    }
}
