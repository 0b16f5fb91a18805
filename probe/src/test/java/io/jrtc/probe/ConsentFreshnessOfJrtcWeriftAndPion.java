package io.jrtc.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.testkit.interop.HarnessServer;
import io.jrtc.testkit.interop.Interop;
import io.jrtc.testkit.interop.PrivateNetwork;
import io.jrtc.testkit.interop.RemotePeer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * LONG (about 35-45 s per target and role; runs only with {@code -Djrtc.probe.long=true}): the long-running scenario
 * {@code ice-consent-freshness} against jrtc, werift and Pion, both roles. jrtc and werift stop sending about 30 s after
 * their consent checks go unanswered; Pion 3.1 (ice 2.3.1) keeps sending. Writes {@code consent-<target>-<role>}.
 */
class ConsentFreshnessOfJrtcWeriftAndPion {

    static final String PROPERTY = "jrtc.probe.long";
    static final List<String> ONLY = List.of("ice-consent-freshness");

    private static ScenarioResult run(ProbeTarget target, Role role, String name) throws Exception {
        ProbeReport r = Probe.builder().roles(List.of(role)).only(ONLY).build().run(target);
        r.write(KeptReports.base("consent-" + name + "-" + role.label()));
        assertThat(r.results()).hasSize(1);
        return r.results().get(0);
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void jrtcStopsSending(Role role) throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean(PROPERTY) || "1".equals(System.getenv("JRTC_REQUIRE_INTEROP")),
                "long: -D" + PROPERTY + "=true (always run in CI, JRTC_REQUIRE_INTEROP=1)");
        ScenarioResult r;
        try (JrtcTarget target = new JrtcTarget()) {
            r = run(target, role, "jrtc");
        }
        assertThat(r.verdict()).as(r.detail()).isEqualTo(Verdict.PASS);
        assertThat(r.evidence()).anyMatch(e -> e.direction().equals("dropped-in") && e.decoded().startsWith("STUN Binding request"));
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void weriftStopsAndPionDoesNot(Role role) throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean(PROPERTY) || "1".equals(System.getenv("JRTC_REQUIRE_INTEROP")),
                "long: -D" + PROPERTY + "=true (always run in CI, JRTC_REQUIRE_INTEROP=1)");
        for (RemotePeer.Kind kind : List.of(RemotePeer.Kind.WERIFT, RemotePeer.Kind.PION)) {
            Interop.requirePeer(kind);
            try (PrivateNetwork net = PrivateNetwork.create();
                    HarnessServer harness = new HarnessServer(net.hostAddress());
                    RemotePeer peer = kind == RemotePeer.Kind.WERIFT ? RemotePeer.werift(net, harness.baseUrl())
                            : RemotePeer.pion(net, harness.baseUrl())) {
                assertThat(harness.await(m -> "ready".equals(m.path("event").asText()), Duration.ofSeconds(60))).isNotNull();
                String name = kind.name().toLowerCase();
                ScenarioResult r;
                try (HarnessTarget target = new HarnessTarget(name, harness, net.hostAddress())) {
                    r = run(target, role, name);
                }
                if (kind == RemotePeer.Kind.WERIFT) {
                    assertThat(r.verdict()).as(r.detail()).isEqualTo(Verdict.PASS);
                } else {
                    // Pion's liveness is "something arrived", not consent: jrtc's own traffic keeps it sending
                    assertThat(r.verdict()).as(r.detail()).isEqualTo(Verdict.FAIL);
                    assertThat(r.detail()).contains("the target still sent");
                }
            }
        }
    }
}
