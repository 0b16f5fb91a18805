package io.jrtc.dtls;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.common.DtlsRole;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Each {@link DtlsEvent.ApplicationData} wraps an array of its own that the endpoint never writes again, also for the
 * records of a datagram that carries several: the peer hands these buffers to SCTP as owned input, and SCTP may keep
 * views of them until a fragmented message is reassembled. Records received later must not change earlier ones.
 */
class DeliveredRecordsAreNeverReused {

    @Test
    void everyRecordGetsAFreshArrayThatLaterRecordsLeaveAlone() throws Exception {
        DtlsConfig cfg = DtlsConfig.defaults();
        Pump p = Pump.pair(cfg, DtlsRole.CLIENT, Pump.CERT_1, cfg, Pump.CERT_2);
        p.start();
        assertThat(p.runUntil(p::bothConnected, Duration.ofSeconds(20))).isTrue();
        p.eventsB.clear();
        Random rnd = new Random(5);
        List<byte[]> sent = new ArrayList<>();
        List<ByteBuffer> wire = new ArrayList<>();
        for (int size : new int[] {1200, 1, 700, 1200, 300, 1200}) {
            byte[] x = new byte[size];
            rnd.nextBytes(x);
            sent.add(x);
            p.a.send(ByteBuffer.wrap(x));
            Optional<ByteBuffer> d = p.a.pollTransmit();
            assertThat(d).isPresent();
            wire.add(d.get());
        }
        long now = System.nanoTime();
        for (int i = 0; i < 3; i++) {
            p.b.handleInput(now, wire.get(i));
        }
        ByteBuffer three = ByteBuffer.allocate(wire.get(3).remaining() + wire.get(4).remaining() + wire.get(5).remaining());
        three.put(wire.get(3)).put(wire.get(4)).put(wire.get(5)).flip();
        p.b.handleInput(now, three); // several records in one datagram (RFC 6347 §4.1.1)
        List<ByteBuffer> kept = new ArrayList<>();
        for (Optional<DtlsEvent> e = p.b.pollEvent(); e.isPresent(); e = p.b.pollEvent()) {
            if (e.get() instanceof DtlsEvent.ApplicationData a) {
                kept.add(a.data()); // kept as delivered, without a copy
            }
        }
        assertThat(kept).hasSize(sent.size());
        IdentityHashMap<byte[], Boolean> arrays = new IdentityHashMap<>();
        for (ByteBuffer b : kept) {
            assertThat(b.hasArray()).isTrue();
            arrays.put(b.array(), true);
        }
        assertThat(arrays).as("one array per record").hasSize(sent.size());

        for (int i = 0; i < 40; i++) { // more records arrive, one or three per datagram
            byte[] x = new byte[1 + rnd.nextInt(1200)];
            rnd.nextBytes(x);
            p.a.send(ByteBuffer.wrap(x));
            p.b.handleInput(now, p.a.pollTransmit().orElseThrow());
            while (p.b.pollEvent().isPresent()) {
                // not kept
            }
        }
        for (int i = 0; i < sent.size(); i++) {
            byte[] got = new byte[kept.get(i).remaining()];
            kept.get(i).duplicate().get(got);
            assertThat(got).as("record %d", i).isEqualTo(sent.get(i));
        }
    }
}
