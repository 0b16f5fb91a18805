package io.jrtc.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The ICE and DTLS scenarios against jrtc itself (both roles): each PASSes, and its evidence is the datagrams the
 * datagram tap saw, decoded (STUN attributes, DTLS hellos with suites and extensions, the dropped flights).
 */
class IceAndDtlsScenariosShowTheWire {

    static final List<String> IDS = List.of("ice-connectivity-checks", "ice-role-conflict", "dtls-setup-role",
            "dtls-cipher-suites", "dtls-extended-master-secret", "dtls-fingerprint", "dtls-lost-flight", "dtls-lost-finished");

    @ParameterizedTest
    @EnumSource(Role.class)
    void jrtcPassesAndTheEvidenceIsDecoded(Role role) throws Exception {
        ProbeReport report;
        try (JrtcTarget target = new JrtcTarget()) {
            report = Probe.builder().roles(List.of(role)).only(IDS).build().run(target);
        }
        report.write(java.nio.file.Path.of("target", "probe-reports", "jrtc-wire-" + role.label()));
        assertThat(report.results()).hasSize(IDS.size());
        for (ScenarioResult r : report.results()) {
            assertThat(r.verdict()).as(r.id() + ": " + r.detail() + "\n" + r.evidence()).isEqualTo(Verdict.PASS);
            assertThat(r.evidence()).as(r.id() + " has evidence").isNotEmpty();
        }
        boolean targetControlling = role == Role.ANSWERER;
        assertThat(report.results("ice-connectivity-checks").get(0).evidence())
                .anyMatch(e -> e.direction().equals("in") && e.decoded().startsWith("STUN Binding request")
                        && e.decoded().contains(targetControlling ? "ICE-CONTROLLING=0x" : "ICE-CONTROLLED=0x")
                        && e.decoded().contains("PRIORITY=") && e.decoded().contains("MESSAGE-INTEGRITY FINGERPRINT"))
                .anyMatch(e -> e.direction().equals("in") && e.decoded().startsWith("STUN Binding success")
                        && e.decoded().contains("XOR-MAPPED-ADDRESS"));
        assertThat(report.results("ice-role-conflict").get(0).evidence())
                .anyMatch(e -> e.direction().equals("injected-out") && e.decoded().contains(targetControlling
                        ? "ICE-CONTROLLING=0x0 " : "ICE-CONTROLLED=0xffffffffffffffff"))
                .anyMatch(e -> e.direction().equals("in") && e.decoded().startsWith("STUN Binding error")
                        && e.decoded().contains("ERROR-CODE=487"));
        // jrtc answers a=setup:actpass with active: as answerer it is the DTLS client, the target the server
        ScenarioResult setup = report.results("dtls-setup-role").get(0);
        assertThat(setup.detail()).contains(role == Role.OFFERER ? "the target is the DTLS client" : "the target is the DTLS server");
        assertThat(report.results("dtls-cipher-suites").get(0).evidence())
                .anyMatch(e -> e.decoded().contains("ClientHello") && e.decoded().contains("ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"))
                .anyMatch(e -> e.decoded().contains("ServerHello") && e.decoded().contains("suite=[ECDHE_ECDSA_WITH_AES_128_GCM_SHA256]"));
        assertThat(report.results("dtls-extended-master-secret").get(0).evidence())
                .anyMatch(e -> e.direction().equals("in") && e.decoded().contains("extended_master_secret"));
        assertThat(report.results("dtls-fingerprint").get(0).detail()).contains("its DTLS certificate matches the sha-256 one");
        assertThat(report.results("dtls-lost-flight").get(0).evidence())
                .anyMatch(e -> e.direction().equals("dropped-in") && e.decoded().contains(role == Role.OFFERER ? "ClientHello" : "ServerHello"))
                .anyMatch(e -> e.direction().equals("in") && e.decoded().contains(role == Role.OFFERER ? "ClientHello" : "ServerHello"));
        assertThat(report.results("dtls-lost-finished").get(0).evidence())
                .anyMatch(e -> e.direction().equals("dropped-out") && e.decoded().contains("(encrypted: Finished)"));
    }
}
