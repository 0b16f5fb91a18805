package io.jrtc.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.testkit.Coturn;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/**
 * {@code jrtc nat-check}: against a real coturn with two loopback addresses it prints the server's other address, no
 * NAT, endpoint-independent mapping and filtering, and each test's evidence; a silent server exits 1 after the
 * configured retransmissions; a bad {@code --stun} is a usage error (2). The coturn test skips without coturn (fails
 * then under {@code JRTC_REQUIRE_INTEROP=1}).
 */
class NatCheckCommandPrintsTheBehaviourAndEvidence {

    @Test
    void twoAddressCoturnOnLoopback() throws Exception {
        try (Coturn coturn = Coturn.longTerm("nat-check-cli", "--listening-ip=127.0.0.2")) {
            int port = coturn.port();
            Run r = Run.of("nat-check", "--stun", "127.0.0.1:" + port, "--bind", "127.0.0.1");
            assertThat(r.code()).as("%s", r).isZero();
            assertThat(r.out()).as("%s", r).contains(
                    "-> 127.0.0.1:" + port,
                    "server: supports RFC 5780, other address 127.0.0.2:" + (port + 1),
                    "(no NAT: the mapped address is the local address)",
                    "mapping: endpoint-independent (no NAT)",
                    "filtering: endpoint-independent",
                    "test I -> 127.0.0.1:" + port + ": answered from 127.0.0.1:" + port + " after 1 transmission",
                    "filtering test II (change IP and port) -> 127.0.0.1:" + port + ": answered from 127.0.0.2:"
                            + (port + 1),
                    "other-address 127.0.0.2:" + (port + 1));
        }
    }

    @Test
    void silentServerExitsWithOneAfterTheRetransmissions() throws Exception {
        try (DatagramSocket silent = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            Run r = Run.of("nat-check", "--stun", "stun:127.0.0.1:" + silent.getLocalPort(), "--rto", "20ms",
                    "--max-transmissions", "2", "--rm", "1");
            assertThat(r.code()).as("%s", r).isEqualTo(1);
            assertThat(r.out()).contains("server: no answer", "mapping: unknown", "filtering: unknown",
                    "test I -> 127.0.0.1:" + silent.getLocalPort() + ": no answer after 2 transmissions");
            assertThat(r.err()).contains("no answer from the STUN server");
        }
    }

    @Test
    void badServerSpecIsAUsageError() {
        for (String bad : new String[] {"127.0.0.1:99999", "[::1", "127.0.0.1:x", ":3478"}) {
            Run r = Run.of("nat-check", "--stun", bad);
            assertThat(r.code()).as("%s: %s", bad, r).isEqualTo(2);
        }
        Run r = Run.of("nat-check", "--stun", "127.0.0.1", "--max-transmissions", "0");
        assertThat(r.code()).as("%s", r).isEqualTo(2);
    }
}
