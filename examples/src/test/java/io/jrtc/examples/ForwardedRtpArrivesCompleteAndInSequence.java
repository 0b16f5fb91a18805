package io.jrtc.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link RtpForwarder#run}: 500 packets from the source, through the forwarder, to the sink, all SRTP over UDP on
 * 127.0.0.1. Every packet arrives once with its payload intact; the sink's sequence numbers are one stream, each
 * packet's number the first one's plus its index (mod 2^16), and its timestamp keeps the source's spacing; the
 * sink's {@code inbound-rtp} statistics count all of them received and none lost.
 */
class ForwardedRtpArrivesCompleteAndInSequence {

    private static final Logger LOG = LoggerFactory.getLogger(ForwardedRtpArrivesCompleteAndInSequence.class);
    private static final int PACKETS = 500;

    @Test
    void everyPacketIsForwardedOnceIntactAndInSequence() throws Exception {
        RtpForwarder.Report r = RtpForwarder.run(PACKETS, Duration.ofSeconds(60));
        long repaired = r.received().stream().filter(RtpForwarder.Received::retransmitted).count();
        LOG.info("sent {}, forwarded {}, not forwarded {}, received {} ({} repaired by retransmission)", r.sent(),
                r.forwarded(), r.notForwarded(), r.received().size(), repaired);

        assertThat(r.sent()).isEqualTo(PACKETS);
        assertThat(r.notForwarded()).isZero();
        assertThat(r.forwarded()).isEqualTo(PACKETS);
        assertThat(r.received()).hasSize(PACKETS);
        assertThat(r.sinkStats()).as("the sink's inbound-rtp stats").isNotNull();
        assertThat(r.sinkStats().packetsReceived()).isEqualTo(PACKETS);
        assertThat(r.sinkStats().packetsLost()).isZero();
        assertThat(r.sinkStats().packetsDuplicated()).isZero();

        List<RtpForwarder.Received> byIndex = new ArrayList<>(r.received());
        byIndex.sort(Comparator.comparingInt(p -> index(p.payload())));
        RtpForwarder.Received first = byIndex.get(0);
        int payloadType = first.payloadType();
        for (int i = 0; i < PACKETS; i++) {
            RtpForwarder.Received p = byIndex.get(i);
            assertThat(p.payload()).as("payload of packet %d", i).isEqualTo(RtpForwarder.payload(i));
            assertThat(p.sequenceNumber()).as("sequence number of packet %d", i)
                    .isEqualTo((first.sequenceNumber() + i) & 0xFFFF);
            assertThat(p.timestamp()).as("timestamp of packet %d", i)
                    .isEqualTo((first.timestamp() + (long) i * RtpForwarder.TIMESTAMP_STEP) & 0xFFFF_FFFFL);
            assertThat(p.payloadType()).isEqualTo(payloadType);
        }
    }

    private static int index(byte[] payload) {
        return java.nio.ByteBuffer.wrap(payload).getInt();
    }
}
