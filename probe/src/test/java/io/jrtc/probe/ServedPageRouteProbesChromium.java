package io.jrtc.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.testkit.interop.Interop;
import io.jrtc.testkit.interop.PrivateNetwork;
import io.jrtc.testkit.interop.RemotePeer;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The served-page route end to end: {@link ServedPageTarget} serves its page on the private network's host address,
 * headless Chromium (inside the namespace) opens it and becomes the target, in both roles, with {@link TargetControl}
 * (channels opened and closed on command, its connection closed). Five scenarios run and their verdicts come back as
 * through the harness page ({@link ProbingBrowsers}). Skips without Chromium, fails under {@code JRTC_REQUIRE_INTEROP=1}.
 */
class ServedPageRouteProbesChromium {

    private static final Logger LOG = LoggerFactory.getLogger(ServedPageRouteProbesChromium.class);

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void aBrowserOpeningThePageIsProbedInBothRoles() throws Exception {
        Interop.requirePeer(RemotePeer.Kind.CHROMIUM);
        ProbeReport r;
        try (PrivateNetwork net = PrivateNetwork.create();
                ServedPageTarget target = new ServedPageTarget(new InetSocketAddress(net.hostAddress(), 0),
                        List.of(net.hostAddress()))) {
            assertThat(target.url()).startsWith("http://" + net.hostAddress().getHostAddress() + ":").endsWith("/");
            try (RemotePeer chromium = RemotePeer.chromium(net, target.url(), false, List.of())) {
                String agent = target.awaitPage(Duration.ofSeconds(60));
                assertThat(agent).as("the page's hello (log " + chromium.log() + ")").contains("Chrome/");
                assertThat(target.name()).isEqualTo("chromium");
                r = Probe.builder().roles(List.of(Role.OFFERER, Role.ANSWERER))
                        .only(List.of("dcep-channel-types-remote", "stream-reset-restarts-ssn", "dcep-negotiated",
                                "init-unknown-parameter", "association-shutdown"))
                        .progress(LOG::info).build().run(target);
            }
        }
        r.write(KeptReports.base("chromium-served-page"));
        assertThat(r.target()).isEqualTo("chromium");
        assertThat(r.results()).hasSize(10);
        for (Role role : Role.values()) {
            // these need TargetControl: the page opened every channel type, closed a channel, made a negotiated one and
            // closed its RTCPeerConnection on command
            for (String id : List.of("dcep-channel-types-remote", "stream-reset-restarts-ssn", "dcep-negotiated",
                    "association-shutdown")) {
                ScenarioResult s = result(r, id, role);
                assertThat(s.verdict()).as(role + " " + id + ": " + s.detail()).isEqualTo(Verdict.PASS);
            }
            ScenarioResult shutdown = result(r, "association-shutdown", role);
            assertThat(shutdown.detail()).contains("ABORT");
            // as through the harness page: Chromium answers the INIT but does not report the 0xFEED parameter
            ScenarioResult init = result(r, "init-unknown-parameter", role);
            assertThat(init.verdict()).as(init.detail()).isEqualTo(Verdict.DEVIATION);
            assertThat(init.detail()).contains("0xFEED is not reported");
        }
    }

    private static ScenarioResult result(ProbeReport r, String id, Role role) {
        return r.results(id).stream().filter(s -> s.role().equals(role.label())).findFirst().orElseThrow();
    }
}
