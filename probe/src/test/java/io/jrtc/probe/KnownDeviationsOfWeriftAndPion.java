package io.jrtc.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.testkit.interop.Interop;
import io.jrtc.testkit.interop.RemotePeer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The probe against werift 0.25.2 and stock Pion 3.1 (inside a private network namespace) finds the deviations
 * already known from jrtc's interop work, each from the report, with its evidence. Skips without the peers, fails
 * under {@code JRTC_REQUIRE_INTEROP=1}. Each scenario the assertions read runs twice; with
 * {@code -Djrtc.probe.keepReports=true} every scenario runs and the report is kept under
 * {@code probe/reports/<target>-<role>.{json,html}} ({@link ForeignPeers}).
 */
class KnownDeviationsOfWeriftAndPion {

    /** The scenarios the werift assertions read: only these run in CI (every one when the reports are kept). */
    private static final List<String> WERIFT_READ = List.of("dcep-channel-types-remote", "advertised-max-message-size",
            "empty-message-ppids", "stream-reset-in-progress", "forward-tsn", "zero-checksum", "ice-connectivity-checks",
            "ice-role-conflict", "dtls-lost-finished", "dtls-setup-role", "dtls-cipher-suites", "dtls-extended-master-secret",
            "dtls-fingerprint", "dtls-lost-flight");

    /** The scenarios the Pion assertions read. */
    private static final List<String> PION_READ = List.of("init-collision", "init-unknown-parameter", "max-message-size",
            "dcep-channel-types-local", "unknown-chunk-types", "zero-checksum", "forward-tsn", "association-shutdown",
            "ice-role-conflict", "ice-connectivity-checks", "dtls-setup-role", "dtls-cipher-suites",
            "dtls-extended-master-secret", "dtls-fingerprint", "dtls-lost-flight", "dtls-lost-finished", "dcep-negotiated");

    /**
     * werift and Pion, both roles, probed side by side ({@link AllAtOnce}: the scenarios wait on the peers' timers far
     * more than they compute; 116 s instead of 362 s in a row), then each run's findings checked.
     */
    @Test
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    void weriftAndPionShowTheirKnownDeviations() throws Exception {
        Interop.requirePeer(RemotePeer.Kind.WERIFT);
        Interop.requirePeer(RemotePeer.Kind.PION);
        Map<String, Callable<ForeignPeers.Run>> cases = new LinkedHashMap<>();
        Map<String, AllAtOnce.Check<ForeignPeers.Run>> checks = new LinkedHashMap<>();
        for (Role role : Role.values()) {
            cases.put("werift " + role.label(), () -> ForeignPeers.probe(RemotePeer.Kind.WERIFT, role, WERIFT_READ, true));
            checks.put("werift " + role.label(), r -> werift(role, r));
            cases.put("pion " + role.label(), () -> ForeignPeers.probe(RemotePeer.Kind.PION, role, PION_READ, true));
            checks.put("pion " + role.label(), r -> pion(role, r));
        }
        AllAtOnce.run(cases, checks);
    }

    private static void werift(Role role, ForeignPeers.Run r) {
        ScenarioResult types = r.result("dcep-channel-types-remote");
        assertThat(types.verdict()).as(types.detail()).isEqualTo(Verdict.FAIL);
        assertThat(types.detail()).contains("unordered, maxRetransmits=3", "the unordered bit is missing");
        // "werift advertises 64 KiB unless configured": its a=max-message-size (its a_rwnd is 1 MiB)
        ScenarioResult mms = r.result("advertised-max-message-size");
        assertThat(mms.verdict()).as(mms.detail()).isEqualTo(Verdict.DEVIATION);
        assertThat(mms.detail()).contains("a=max-message-size:65536");
        // new: werift sends nothing at all for an empty message (its SCTP makes zero fragments of zero bytes)
        ScenarioResult empty = r.result("empty-message-ppids");
        assertThat(empty.verdict()).as(empty.detail()).isEqualTo(Verdict.FAIL);
        assertThat(empty.detail()).contains("acknowledged both DATA chunks", "sent no DATA at all");
        // "werift keeps the old SSN after resetting its own stream": when its reset request is answered "In progress"
        // (the scenario drops werift's retried request until jrtc has reopened the stream, so the verdict does not hang
        // on werift's RE-CONFIG timer)
        ScenarioResult inProgress = r.result("stream-reset-in-progress");
        assertThat(inProgress.verdict()).as(inProgress.detail()).isEqualTo(Verdict.FAIL);
        assertThat(inProgress.nonDeterministic()).as("the same verdict in both runs").isFalse();
        assertThat(inProgress.detail()).contains("kept counting", "\"In progress\"");
        // new: werift retransmits a lost message of a maxRetransmits=0 channel instead of abandoning it
        ScenarioResult fwd = r.result("forward-tsn");
        assertThat(fwd.verdict()).as(fwd.detail()).isEqualTo(Verdict.DEVIATION);
        assertThat(fwd.detail()).contains("retransmitted its lost echo");
        // new: one DATA packet with a zero checksum (werift does not declare RFC 9653) kills werift's process: its SCTP
        // packet parser throws "SCTP packet has invalid checksum" and nothing catches it. unknown-chunk-types, after
        // it, cannot connect then (run alone it kills the process too, with "Error: unknown": see the README)
        ScenarioResult zero = r.result("zero-checksum");
        assertThat(zero.verdict()).as(zero.detail()).isEqualTo(Verdict.FAIL);
        assertThat(zero.detail()).contains("does not declare Zero Checksum Acceptable", "0/5 messages were echoed");
        assertThat(r.peerLog()).contains("SCTP packet has invalid checksum", "parsePacket");
        // new (datagram tap): as the controlling agent werift nominates aggressively, USE-CANDIDATE on its first check
        ScenarioResult checks = r.result("ice-connectivity-checks");
        if (role == Role.ANSWERER) {
            assertThat(checks.verdict()).as(checks.detail()).isEqualTo(Verdict.DEVIATION);
            assertThat(checks.detail()).contains("aggressive nomination");
            assertThat(checks.evidence()).anyMatch(e -> e.direction().equals("in") && e.decoded().contains("ICE-CONTROLLING=0x")
                    && e.decoded().contains("USE-CANDIDATE"));
        } else {
            assertThat(checks.verdict()).as(checks.detail()).isEqualTo(Verdict.PASS);
        }
        assertThat(r.result("ice-role-conflict").evidence()).anyMatch(e -> e.decoded().contains("ERROR-CODE=487"));
        // new: as DTLS client (jrtc offers, werift answers active) werift completes the handshake and sends application
        // data without ever receiving the server's Finished
        ScenarioResult fin = r.result("dtls-lost-finished");
        assertThat(fin.verdict()).as(fin.detail()).isEqualTo(role == Role.OFFERER ? Verdict.FAIL : Verdict.PASS);
        if (role == Role.OFFERER) {
            assertThat(fin.detail()).contains("no Finished of jrtc's (the server's) ever reached the target");
            assertThat(fin.evidence()).anyMatch(e -> e.direction().equals("dropped-out") && e.decoded().contains("Finished"))
                    .anyMatch(e -> e.direction().equals("in") && e.decoded().contains("ApplicationData"));
        }
        for (String id : List.of("ice-role-conflict", "dtls-setup-role", "dtls-cipher-suites", "dtls-extended-master-secret",
                "dtls-fingerprint", "dtls-lost-flight")) {
            assertThat(r.result(id).verdict()).as(id + ": " + r.result(id).detail()).isEqualTo(Verdict.PASS);
        }
    }

    private static void pion(Role role, ForeignPeers.Run r) {
        // the same INIT without the unknown parameters is answered: the parameters are what Pion refuses
        ScenarioResult plain = r.result("init-collision");
        assertThat(plain.verdict()).as(plain.detail()).isEqualTo(Verdict.PASS);
        ScenarioResult init = r.result("init-unknown-parameter");
        assertThat(init.verdict()).as(init.detail()).isEqualTo(Verdict.FAIL);
        assertThat(init.evidence()).anyMatch(e -> e.direction().equals("rewritten-out") && e.decoded().contains("Unknown(type=0xbeef"));
        ScenarioResult mms = r.result("max-message-size");
        assertThat(mms.verdict()).as(mms.detail()).isEqualTo(Verdict.FAIL);
        assertThat(mms.detail()).contains("65536-byte message");
        // new: Pion's DATA_CHANNEL_ACK is 4 bytes (RFC 8832 §5.2: one)
        ScenarioResult types = r.result("dcep-channel-types-local");
        assertThat(types.verdict()).as(types.detail()).isEqualTo(Verdict.DEVIATION);
        assertThat(types.detail()).contains("DATA_CHANNEL_ACK of 4 bytes");
        // new: Pion discards the whole packet for every unknown chunk type (10 and 11 say skip the chunk) and reports none
        ScenarioResult unknown = r.result("unknown-chunk-types");
        assertThat(unknown.verdict()).as(unknown.detail()).isEqualTo(Verdict.FAIL);
        assertThat(unknown.detail()).contains("0x3E (stop, discard): packet discarded", "0x7E (stop, discard, report): "
                + "packet discarded, the retransmission echoed, but no ERROR reports the chunk",
                "0xBE (skip): the DATA after the chunk was not processed");
        ScenarioResult zero = r.result("zero-checksum");
        assertThat(zero.verdict()).as(zero.detail()).isEqualTo(Verdict.PASS);
        assertThat(zero.detail()).contains("does not declare Zero Checksum Acceptable", "discarded jrtc's zero-checksum packet");
        assertThat(r.result("forward-tsn").verdict()).as(r.result("forward-tsn").detail()).isEqualTo(Verdict.PASS);
        // new: closing Pion's PeerConnection sends no ABORT and no SHUTDOWN (its association is just dropped)
        ScenarioResult shutdown = r.result("association-shutdown");
        assertThat(shutdown.verdict()).as(shutdown.detail()).isEqualTo(Verdict.DEVIATION);
        // new (datagram tap): Pion (ice 2.3.1) never answers a Binding request that claims its own role (RFC 8445
        // §7.3.1.1: 487 Role Conflict); it drops it
        ScenarioResult conflict = r.result("ice-role-conflict");
        assertThat(conflict.verdict()).as(conflict.detail()).isEqualTo(Verdict.FAIL);
        assertThat(conflict.detail()).contains("no answer to the conflicting request");
        assertThat(conflict.evidence()).anyMatch(e -> e.direction().equals("injected-out") && e.decoded().contains(
                role == Role.ANSWERER ? "ICE-CONTROLLING=0x0 " : "ICE-CONTROLLED=0xffffffffffffffff"));
        for (String id : List.of("ice-connectivity-checks", "dtls-setup-role", "dtls-cipher-suites",
                "dtls-extended-master-secret", "dtls-fingerprint", "dtls-lost-flight", "dtls-lost-finished",
                "dcep-negotiated")) {
            assertThat(r.result(id).verdict()).as(id + ": " + r.result(id).detail()).isEqualTo(Verdict.PASS);
        }
    }
}
