package io.jrtc.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.testkit.interop.HarnessServer;
import io.jrtc.testkit.interop.Interop;
import io.jrtc.testkit.interop.PrivateNetwork;
import io.jrtc.testkit.interop.RemotePeer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The probe against headless Chromium and Firefox ESR (inside a private network namespace, loading testkit's harness
 * page), jrtc in both roles. Skips without the browsers, fails under {@code JRTC_REQUIRE_INTEROP=1}.
 */
class ProbingBrowsers {

    private static final Logger LOG = LoggerFactory.getLogger(ProbingBrowsers.class);

    private static ProbeReport probe(RemotePeer.Kind kind, Role role) throws Exception {
        Interop.requirePeer(kind);
        try (PrivateNetwork net = PrivateNetwork.create();
                HarnessServer harness = new HarnessServer(net.hostAddress());
                RemotePeer peer = kind == RemotePeer.Kind.CHROMIUM
                        ? RemotePeer.chromium(net, harness.baseUrl() + "/page.html", false, List.of())
                        : RemotePeer.firefox(net, harness.baseUrl() + "/page.html", false)) {
            assertThat(harness.await(m -> "ready".equals(m.path("event").asText()), Duration.ofSeconds(60)))
                    .as(kind + " reported ready (log " + peer.log() + ")").isNotNull();
            String name = kind.name().toLowerCase();
            ProbeReport report;
            long t0 = System.nanoTime();
            try (HarnessTarget target = new HarnessTarget(name, harness, net.hostAddress())) {
                report = Probe.builder().roles(List.of(role)).repeats(2).progress(LOG::info).build().run(target);
            }
            LOG.info("{} {}: {} in {} s", name, role, report.counts(), (System.nanoTime() - t0) / 1_000_000_000);
            report.write(KeptReports.base(name + "-" + role.label()));
            for (ScenarioResult r : report.results()) {
                LOG.info("RESULT {} {} {} nd={} :: {}", name, r.id(), r.verdict(), r.nonDeterministic(), r.detail() + " [" + r.millis() + " ms]");
            }
            return report;
        }
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void chromium(Role role) throws Exception {
        ProbeReport r = probe(RemotePeer.Kind.CHROMIUM, role);
        assertThat(r.results()).isNotEmpty();
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void firefox(Role role) throws Exception {
        ProbeReport r = probe(RemotePeer.Kind.FIREFOX, role);
        assertThat(r.results()).isNotEmpty();
    }
}
