package io.jrtc.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.testkit.interop.HarnessServer;
import io.jrtc.testkit.interop.Interop;
import io.jrtc.testkit.interop.PrivateNetwork;
import io.jrtc.testkit.interop.RemotePeer;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the probe against a foreign stack (werift, Pion, Chromium, Firefox) inside a private network namespace, through
 * testkit's harness, which gives {@link TargetControl}. Skips without the peer, fails under
 * {@code JRTC_REQUIRE_INTEROP=1}.
 *
 * <p>A test names the scenarios its assertions read: only those run, twice each, which keeps CI short. With
 * {@code -Djrtc.probe.keepReports=true} a test that keeps its target's report runs every scenario instead and refreshes
 * {@code probe/reports/<target>-<role>.{json,html}} (see {@link KeptReports}).
 */
final class ForeignPeers {

    private static final Logger LOG = LoggerFactory.getLogger(ForeignPeers.class);

    /** One run: the report and the peer's log afterwards (werift's uncaught exceptions land there). */
    record Run(ProbeReport report, String peerLog) {

        ScenarioResult result(String id) {
            List<ScenarioResult> rs = report.results(id);
            assertThat(rs).as("scenario " + id + " ran").isNotEmpty();
            return rs.get(0);
        }
    }

    private ForeignPeers() {
    }

    /**
     * Probes {@code kind} with jrtc in {@code role}, each scenario twice.
     *
     * @param ids        the scenarios the caller's assertions read
     * @param keptReport whether this run is the one that refreshes the target's kept report (then, when reports are
     *                   being kept, every scenario runs)
     */
    static Run probe(RemotePeer.Kind kind, Role role, List<String> ids, boolean keptReport) throws Exception {
        Interop.requirePeer(kind);
        boolean all = keptReport && Boolean.getBoolean(KeptReports.PROPERTY);
        try (PrivateNetwork net = PrivateNetwork.create();
                HarnessServer harness = new HarnessServer(net.hostAddress());
                RemotePeer peer = start(kind, net, harness)) {
            assertThat(harness.await(m -> "ready".equals(m.path("event").asText()), Duration.ofSeconds(60)))
                    .as(kind + " reported ready (log " + peer.log() + ")").isNotNull();
            String name = kind.name().toLowerCase();
            ProbeReport report;
            long t0 = System.nanoTime();
            try (HarnessTarget target = new HarnessTarget(name, harness, net.hostAddress())) {
                Probe.Builder b = Probe.builder().roles(List.of(role)).repeats(2).progress(LOG::info);
                if (!all) {
                    b.only(ids);
                }
                report = b.build().run(target);
            }
            LOG.info("{} {}: {} in {} s", name, role.label(), report.counts(), (System.nanoTime() - t0) / 1_000_000_000);
            report.write(all ? KeptReports.base(name + "-" + role.label())
                    : KeptReports.scratch(name + "-" + role.label() + "-" + ids.get(0)));
            String log = Files.exists(peer.log()) ? Files.readString(peer.log()) : "";
            assertThat(report.repeats()).isEqualTo(2);
            assertThat(report.deterministic()).as("two runs per scenario say whether the target was deterministic").isNotNull();
            return new Run(report, log);
        }
    }

    private static RemotePeer start(RemotePeer.Kind kind, PrivateNetwork net, HarnessServer harness) throws Exception {
        return switch (kind) {
            case WERIFT -> RemotePeer.werift(net, harness.baseUrl());
            case PION -> RemotePeer.pion(net, harness.baseUrl());
            case CHROMIUM -> RemotePeer.chromium(net, harness.baseUrl() + "/page.html", false, List.of());
            case FIREFOX -> RemotePeer.firefox(net, harness.baseUrl() + "/page.html", false);
        };
    }
}
