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
        }
        return run;
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void jrtc(Role role) throws Exception {
        ProbeReport report;
        try (JrtcTarget target = new JrtcTarget()) {
            report = Probe.builder().roles(List.of(role)).repeats(2).only(IDS).build().run(target);
        }
        for (ScenarioResult r : report.results()) {
            LOG.info("jrtc {} {}: {} {}\n{}", role.label(), r.id(), r.verdict(), r.detail(), r.evidence());
            assertThat(r.verdict()).as(r.id() + ": " + r.detail()).isEqualTo(Verdict.PASS);
        }
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void werift(Role role) throws Exception {
        probe(RemotePeer.Kind.WERIFT, role);
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void pion(Role role) throws Exception {
        probe(RemotePeer.Kind.PION, role);
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void chromium(Role role) throws Exception {
        probe(RemotePeer.Kind.CHROMIUM, role);
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void firefox(Role role) throws Exception {
        probe(RemotePeer.Kind.FIREFOX, role);
    }
}
