package io.jrtc.dtls;

import io.jrtc.common.DtlsRole;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * Jazzer target for the DTLS record path of a connected endpoint: the RFC 7983 first-byte check, the record
 * splitting and bctls's record layer. Contract, for any datagram from an off-path sender: {@link
 * DtlsEndpoint#handleInput} throws nothing, the endpoint stays {@link DtlsState#CONNECTED}, no application data
 * comes out of it, and the authentic peer's next record still arrives intact. Seeds: the datagrams of a recorded
 * handshake (ClientHello, flights, Finished) and an application-data record, replayed.
 */
class FuzzedDatagramsNeverReachAConnectedEndpointsApplication {

    private static Pump pair;
    private static long sent;

    private static Pump connectedPair() throws InterruptedException {
        if (pair == null) {
            Pump p = Pump.pair(DtlsConfig.defaults(), DtlsRole.CLIENT, Pump.CERT_1, DtlsConfig.defaults(), Pump.CERT_2);
            p.start();
            if (!p.runUntil(p::bothConnected, Duration.ofSeconds(30))) {
                throw new AssertionError("handshake did not complete: " + p.eventsA + " " + p.eventsB);
            }
            pair = p;
        }
        return pair;
    }

    @FuzzTest(maxDuration = "30s")
    void datagram(byte[] input) throws InterruptedException {
        Pump p = connectedPair();
        int before = p.eventsB.size();
        p.b.handleInput(System.nanoTime(), ByteBuffer.wrap(input));
        p.runUntil(() -> false, Duration.ZERO);
        assertThat(p.b.state()).as("state after a forged datagram; events %s", p.eventsB).isEqualTo(DtlsState.CONNECTED);
        assertThat(p.eventsB.subList(before, p.eventsB.size())).as("events from a forged datagram").isEmpty();

        byte[] authentic = ("authentic " + sent++).getBytes(StandardCharsets.US_ASCII);
        p.a.send(ByteBuffer.wrap(authentic));
        assertThat(p.runUntil(() -> p.eventsB.size() > before, Duration.ofSeconds(10))).isTrue();
        List<byte[]> delivered = Pump.data(p.eventsB.subList(before, p.eventsB.size()));
        assertThat(delivered).hasSize(1);
        assertThat(delivered.get(0)).isEqualTo(authentic);
        p.eventsB.clear();
        p.eventsA.clear();
        p.wire.clear();
    }
}
