package io.jrtc.probe.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.jrtc.peer.PacketTap.Direction;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The probe's datagram tap sees whatever the target sends (STUN, DTLS, SRTP or garbage): arbitrary bytes never make it
 * or its decoder throw, every datagram is forwarded once and unchanged unless a fault drops it, and what it recorded
 * decodes to a line of evidence.
 */
class FuzzedDatagramsPassTheProbeTapUnharmed {

    @FuzzTest(maxDuration = "30s")
    void datagram(byte[] input) throws Exception {
        ProbeTap tap = new ProbeTap(List.of(Fault.onWire(Fault.Action.DROP, Direction.INBOUND, Wire.Kind.STUN_BINDING_REQUEST, 2, 0, 0),
                Fault.onWire(Fault.Action.DROP, Direction.INBOUND, Wire.Kind.DTLS_FINISHED, 1, 0, 0)));
        for (int round = 0; round < 2; round++) {
            List<ByteBuffer> forwarded = new ArrayList<>();
            tap.onDatagram(Direction.INBOUND, ByteBuffer.wrap(input), forwarded::add);
            ProbeTap.WireSeen seen = tap.wire().get(tap.wire().size() - 1);
            assertThat(seen.datagram().decoded()).isNotEmpty();
            assertThat(seen.datagram().length()).isEqualTo(input.length);
            if (seen.fault() != null) {
                assertThat(seen.fault()).startsWith("drop");
                assertThat(forwarded).isEmpty();
            } else {
                assertThat(forwarded).hasSize(1);
                assertThat(forwarded.get(0)).isEqualTo(ByteBuffer.wrap(input));
            }
        }
        Wire.firstCertificate(input);
        Wire.Stun stun = Wire.stun(ByteBuffer.wrap(input));
        if (stun != null) {
            assertThat(Wire.describe(stun)).startsWith("STUN ");
        }
    }
}
