package io.jrtc.perf.media;

import io.jrtc.peer.internal.Jsep;
import io.jrtc.peer.internal.media.MediaEngine;
import io.jrtc.peer.internal.media.Transceiver;
import io.jrtc.peer.media.MediaKind;
import io.jrtc.peer.media.RtpSender;
import io.jrtc.peer.media.TrackInit;
import io.jrtc.sdp.FingerprintAttribute;
import io.jrtc.sdp.MediaDescription;
import io.jrtc.sdp.Origin;
import io.jrtc.sdp.SessionDescription;
import io.jrtc.srtp.SrtpKeys;
import io.jrtc.common.SrtpProfile;
import io.jrtc.srtp.rtp.RtpPacket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The media path of one peer connection that receives, decrypts and forwards RTP, without sockets: the
 * {@link MediaEngine} of a forwarder F, negotiated (real SDP) with a source S for one sendrecv video transceiver.
 * F's receiver forwards every packet on its own sender ({@code sendRtpPacket}: new SSRC, rewritten sequence numbers
 * and timestamps, our mid extension), exactly what the Chromium loopback test does.
 *
 * <ul>
 *   <li>{@code forward}: one operation = S builds and SRTP-protects a VP8-shaped packet; F unprotects it, routes it
 *       (BUNDLE), checks duplicates, updates RFC 3550 statistics and the NACK generator, hands it to the listener,
 *       which re-sends it (build, store for NACK/RTX, protect, queue); F's output is drained; F's next timeout is
 *       computed (what the peer's timer does after every datagram).</li>
 *   <li>{@code sourceOnly}: S's part alone (build + protect + drain), to subtract: F's cost per packet is
 *       {@code 1/forward - 1/sourceOnly}.</li>
 * </ul>
 * One thread; the engines are single-threaded by contract.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
public class MediaForwardBenchmark {

    @Param({"AEAD_AES_128_GCM", "AES_CM_128_HMAC_SHA1_80"})
    public String profile;

    @Param({"200", "1100"})
    public int payload;

    /** A host for benchmarks: always on its loop, the JVM's monotonic clock. */
    static final class Host implements MediaEngine.Host {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public boolean inLoop() {
            return true;
        }

        @Override
        public void execute(Runnable task) {
            task.run();
        }

        @Override
        public void wake() {
        }

        @Override
        public void negotiationNeeded() {
        }
    }

    private MediaEngine source;
    private MediaEngine forwarder;
    private RtpSender sourceVideo;
    private ByteBuffer frame;
    private long timestamp;
    private long forwarded;

    @Setup(Level.Trial)
    public void setUp() {
        source = new MediaEngine(new Host(), "S", 0, 1);
        forwarder = new MediaEngine(new Host(), "F", 0, 2);
        Transceiver st = source.addTrack(MediaKind.VIDEO, TrackInit.DEFAULT);
        source.assignMid(st, "0");
        SessionDescription offer = Jsep.offer(Origin.jsep("1", 1), transport("aaaa"), List.of(source.offerSection(st)));
        forwarder.applyRemoteDescription(offer, true);
        Transceiver ft = forwarder.addTrack(MediaKind.VIDEO, TrackInit.DEFAULT);
        SessionDescription answer = Jsep.answer(Origin.jsep("2", 1), transport("bbbb"), offer, (i, m) -> forwarder.answerSection(m));
        source.applyRemoteDescription(answer, false);
        source.applyNegotiation(offer, answer);
        forwarder.applyNegotiation(answer, offer);
        SrtpProfile p = SrtpProfile.valueOf(profile);
        byte[] material = new byte[p.keyingMaterialLength()];
        new Random(3).nextBytes(material);
        long now = System.nanoTime();
        source.startSrtp(now, SrtpKeys.fromDtlsKeyingMaterial(p, material, true));
        forwarder.startSrtp(now, SrtpKeys.fromDtlsKeyingMaterial(p, material, false));
        RtpSender loop = ft.sender();
        ft.receiver().onRtp(e -> {
            RtpPacket pk = e.packet();
            if (loop.sendRtpPacket(ByteBuffer.wrap(pk.buffer(), pk.offset(), pk.length()))) {
                forwarded++;
            }
        });
        sourceVideo = st.sender();
        byte[] pl = new byte[payload];
        pl[0] = 0x10;
        pl[1] = 0x51;
        frame = ByteBuffer.wrap(pl);
        if (!sourceVideo.canSend() || !loop.canSend()) {
            throw new IllegalStateException("negotiation failed");
        }
    }

    private static Jsep.LocalTransport transport(String ufrag) {
        StringBuilder fp = new StringBuilder();
        for (int i = 0; i < 32; i++) {
            fp.append(i == 0 ? "" : ":").append(String.format("%02X", i));
        }
        return new Jsep.LocalTransport(ufrag, "p4sswordp4sswordp4ssword",
                List.of(new FingerprintAttribute("sha-256", fp.toString())), io.jrtc.sdp.Setup.ACTPASS, List.of(), false);
    }

    @Benchmark
    public void forward(Blackhole bh) {
        timestamp += 3000;
        sourceVideo.sendRtp(96, timestamp, true, frame);
        ByteBuffer wire = source.pollTransmitOrNull();
        forwarder.handleInput(System.nanoTime(), wire);
        for (ByteBuffer out = forwarder.pollTransmitOrNull(); out != null; out = forwarder.pollTransmitOrNull()) {
            bh.consume(out);
        }
        bh.consume(forwarder.pollTimeout());
    }

    @Benchmark
    public void sourceOnly(Blackhole bh) {
        timestamp += 3000;
        sourceVideo.sendRtp(96, timestamp, true, frame);
        bh.consume(source.pollTransmitOrNull());
    }

    /** Runs the forward path once outside JMH and checks that every packet came out (for a smoke test). */
    public static void main(String[] args) {
        MediaForwardBenchmark b = new MediaForwardBenchmark();
        b.profile = "AEAD_AES_128_GCM";
        b.payload = 1100;
        b.setUp();
        List<ByteBuffer> outs = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            b.timestamp += 3000;
            b.sourceVideo.sendRtp(96, b.timestamp, true, b.frame);
            b.forwarder.handleInput(System.nanoTime(), b.source.pollTransmitOrNull());
            for (ByteBuffer out = b.forwarder.pollTransmitOrNull(); out != null; out = b.forwarder.pollTransmitOrNull()) {
                outs.add(out);
            }
        }
        System.out.println("forwarded " + b.forwarded + " packets, " + outs.size() + " datagrams out");
    }
}
