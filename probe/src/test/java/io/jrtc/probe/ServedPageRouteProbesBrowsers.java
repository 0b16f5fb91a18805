package io.jrtc.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.testkit.interop.Interop;
import io.jrtc.testkit.interop.PrivateNetwork;
import io.jrtc.testkit.interop.RemotePeer;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The served-page route end to end: {@link ServedPageTarget} serves its page on the private network's host address,
 * headless Chromium or Firefox ESR (inside the namespace) opens it and becomes the target, in both roles, with
 * {@link TargetControl} (channels opened and closed on command, its connection closed). Five scenarios run and their
 * verdicts come back as through the harness page ({@link ProbingBrowsers}). About 5 s per browser plus its start.
 * Skips without the browser, fails under {@code JRTC_REQUIRE_INTEROP=1}.
 */
class ServedPageRouteProbesBrowsers {

    private static final Logger LOG = LoggerFactory.getLogger(ServedPageRouteProbesBrowsers.class);

    @ParameterizedTest
    @EnumSource(value = RemotePeer.Kind.class, names = {"CHROMIUM", "FIREFOX"})
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void aBrowserOpeningThePageIsProbedInBothRoles(RemotePeer.Kind kind) throws Exception {
        Interop.requirePeer(kind);
        String name = kind.name().toLowerCase(java.util.Locale.ROOT);
        ProbeReport r;
        try (PrivateNetwork net = PrivateNetwork.create();
                ServedPageTarget target = new ServedPageTarget(new InetSocketAddress(net.hostAddress(), 0),
                        List.of(net.hostAddress()))) {
            assertThat(target.url()).startsWith("http://" + net.hostAddress().getHostAddress() + ":").endsWith("/");
            try (RemotePeer browser = kind == RemotePeer.Kind.CHROMIUM
                    ? RemotePeer.chromium(net, target.url(), false, List.of()) : RemotePeer.firefox(net, target.url(), false)) {
                String agent = target.awaitPage(Duration.ofSeconds(60));
                assertThat(agent).as("the page's hello (log " + browser.log() + ")")
                        .contains(kind == RemotePeer.Kind.CHROMIUM ? "Chrome/" : "Firefox/");
                assertThat(target.name()).isEqualTo(name);
                r = Probe.builder().roles(List.of(Role.OFFERER, Role.ANSWERER))
                        .only(List.of("dcep-channel-types-remote", "stream-reset-restarts-ssn", "dcep-negotiated",
                                "init-unknown-parameter", "association-shutdown", "ice-trickle", "ice-restart"))
                        .progress(LOG::info).build().run(target);
            }
        }
        r.write(KeptReports.base(name + "-served-page"));
        assertThat(r.target()).isEqualTo(name);
        assertThat(r.results()).hasSize(14);
        for (Role role : Role.values()) {
            // these need TargetControl: the page opened every channel type, closed a channel, made a negotiated one and
            // closed its RTCPeerConnection on command
            // and the page trickles both ways, and restarts ICE (jrtc's re-offer, or its own restart-ice offer)
            for (String id : List.of("dcep-channel-types-remote", "stream-reset-restarts-ssn", "dcep-negotiated",
                    "association-shutdown", "ice-trickle", "ice-restart")) {
                ScenarioResult s = result(r, id, role);
                assertThat(s.verdict()).as(role + " " + id + ": " + s.detail()).isEqualTo(Verdict.PASS);
            }
            assertThat(result(r, "ice-restart", role).detail()).contains("the target's checks use the new credentials",
                    "DTLS was not run again");
            ScenarioResult shutdown = result(r, "association-shutdown", role);
            assertThat(shutdown.detail()).contains("ABORT");
            // as through the harness page: both browsers (dcsctp) answer the INIT but do not report the 0xFEED parameter
            ScenarioResult init = result(r, "init-unknown-parameter", role);
            assertThat(init.verdict()).as(init.detail()).isEqualTo(Verdict.DEVIATION);
            assertThat(init.detail()).contains("0xFEED is not reported");
        }
    }

    private static ScenarioResult result(ProbeReport r, String id, Role role) {
        return r.results(id).stream().filter(s -> s.role().equals(role.label())).findFirst().orElseThrow();
    }
}
