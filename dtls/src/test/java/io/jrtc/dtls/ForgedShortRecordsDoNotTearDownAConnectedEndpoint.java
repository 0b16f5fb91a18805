package io.jrtc.dtls;

import io.jrtc.common.DtlsRole;
import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.common.Hex;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Records in the current epoch that are too short (or mis-sized) for the negotiated cipher, sent by anyone who can
 * reach the port, are discarded (RFC 6347 section 4.1.2.7). bctls 1.84 raised decode_error for them and the endpoint
 * failed; the first of these inputs was found by FuzzedDatagramsNeverReachAConnectedEndpointsApplication. Records with
 * a version other than DTLS 1.0 or 1.2 are discarded too: bctls threw internal_error for the reserved 0xFEFE (found by
 * the same fuzz target in CI).
 */
class ForgedShortRecordsDoNotTearDownAConnectedEndpoint {

    @ParameterizedTest
    @ValueSource(strings = {
        "14fefd 0001 0014fefd7e00 0000 0000", // empty ChangeCipherSpec record in epoch 1, then 2 stray bytes
        "17fefd 0001 000000000009 0000", // empty application_data record in epoch 1
        "17fefd 0001 000000000009 0008 0102030405060708", // 8 bytes: shorter than explicit nonce + tag
        "15fefd 0001 00000000000a 0002 0228", // a 2-byte alert in epoch 1, unencrypted
        "14fefe 0001 0014fefd7e00 fd00 0900", // reserved version 0xFEFE: bctls 1.84 raised internal_error
        "17fefe 0001 00000000000b 0000 17fefd 0001 00000000000c 0000", // reserved version, then an empty record
        "160303 0000 000000000000 0000", // a TLS 1.2 record version in a DTLS datagram
    })
    void endpointStaysConnectedAndTheNextAuthenticRecordArrives(String hex) throws Exception {
        byte[] forged = Hex.decode(hex.replace(" ", ""));
        Pump p = Pump.pair(DtlsConfig.defaults(), DtlsRole.CLIENT, Pump.CERT_1, DtlsConfig.defaults(), Pump.CERT_2);
        p.start();
        assertThat(p.runUntil(p::bothConnected, Duration.ofSeconds(30))).isTrue();
        int before = p.eventsB.size();

        p.b.handleInput(System.nanoTime(), ByteBuffer.wrap(forged));
        p.runUntil(() -> false, Duration.ZERO);
        assertThat(p.b.state()).as("events %s", p.eventsB).isEqualTo(DtlsState.CONNECTED);
        assertThat(p.eventsB.subList(before, p.eventsB.size())).isEmpty();

        byte[] authentic = "still here".getBytes(StandardCharsets.US_ASCII);
        p.a.send(ByteBuffer.wrap(authentic));
        assertThat(p.runUntil(() -> !Pump.data(p.eventsB).isEmpty(), Duration.ofSeconds(10))).isTrue();
        assertThat(Pump.data(p.eventsB)).containsExactly(authentic);
        p.a.close();
        p.b.close();
    }
}
