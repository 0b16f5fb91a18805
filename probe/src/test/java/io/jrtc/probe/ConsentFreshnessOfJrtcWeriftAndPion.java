package io.jrtc.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.testkit.interop.HarnessServer;
import io.jrtc.testkit.interop.Interop;
import io.jrtc.testkit.interop.PrivateNetwork;
import io.jrtc.testkit.interop.RemotePeer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * LONG (about 35-45 s per target and role; runs only with {@code -Djrtc.probe.long=true}): the long-running scenario
 * {@code ice-consent-freshness} against jrtc, werift and Pion, both roles. jrtc and werift stop sending about 30 s after
 * their consent checks go unanswered; Pion 3.1 (ice 2.3.1) keeps sending. Writes {@code consent-<target>-<role>}.
 *
 * <p>The six cases (three targets, two roles) run side by side ({@link AllAtOnce}): each spends most of its time
 * waiting out the 30 s of unanswered checks, so together they take about as long as one (48 s instead of 231 s).
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

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void jrtcAndWeriftStopSendingAndPionDoesNot() throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean(PROPERTY) || "1".equals(System.getenv("JRTC_REQUIRE_INTEROP")),
                "long: -D" + PROPERTY + "=true (always run in CI, JRTC_REQUIRE_INTEROP=1)");
        Interop.requirePeer(RemotePeer.Kind.WERIFT);
        Interop.requirePeer(RemotePeer.Kind.PION);
        Map<String, Callable<ScenarioResult>> cases = new LinkedHashMap<>();
        Map<String, AllAtOnce.Check<ScenarioResult>> checks = new LinkedHashMap<>();
        for (Role role : Role.values()) {
            cases.put("jrtc " + role.label(), () -> {
                try (JrtcTarget target = new JrtcTarget()) {
                    return run(target, role, "jrtc");
                }
            });
            checks.put("jrtc " + role.label(), r -> {
                assertThat(r.verdict()).as(r.detail()).isEqualTo(Verdict.PASS);
                assertThat(r.evidence()).anyMatch(e -> e.direction().equals("dropped-in")
                        && e.decoded().startsWith("STUN Binding request"));
            });
            cases.put("werift " + role.label(), () -> runForeign(RemotePeer.Kind.WERIFT, role));
            checks.put("werift " + role.label(), r -> assertThat(r.verdict()).as(r.detail()).isEqualTo(Verdict.PASS));
            cases.put("pion " + role.label(), () -> runForeign(RemotePeer.Kind.PION, role));
            checks.put("pion " + role.label(), r -> {
                // Pion's liveness is "something arrived", not consent: jrtc's own traffic keeps it sending
                assertThat(r.verdict()).as(r.detail()).isEqualTo(Verdict.FAIL);
                assertThat(r.detail()).contains("the target still sent");
            });
        }
        AllAtOnce.run(cases, checks);
    }

    private static ScenarioResult runForeign(RemotePeer.Kind kind, Role role) throws Exception {
        try (PrivateNetwork net = PrivateNetwork.create();
                HarnessServer harness = new HarnessServer(net.hostAddress());
                RemotePeer peer = kind == RemotePeer.Kind.WERIFT ? RemotePeer.werift(net, harness.baseUrl())
                        : RemotePeer.pion(net, harness.baseUrl())) {
            assertThat(harness.await(m -> "ready".equals(m.path("event").asText()), Duration.ofSeconds(60))).isNotNull();
            String name = kind.name().toLowerCase();
            try (HarnessTarget target = new HarnessTarget(name, harness, net.hostAddress())) {
                return run(target, role, name);
            }
        }
    }
}
