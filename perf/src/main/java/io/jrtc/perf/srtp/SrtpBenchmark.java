package io.jrtc.perf.srtp;

import io.jrtc.srtp.SrtpKeys;
import io.jrtc.common.SrtpProfile;
import io.jrtc.srtp.SrtpSession;
import io.jrtc.srtp.rtp.RtpPacketBuilder;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * SRTP protect and unprotect through {@link SrtpSession} (jitsi-srtp on SunJCE, pure Java), one thread, packets per
 * second. One SSRC, sequence numbers advancing by one per packet (the index must never repeat).
 *
 * <ul>
 *   <li>{@code protect}: rewrites the sequence number and protects the packet in place. The payload is whatever the
 *       previous round left (ciphertext), which costs the cipher the same as plaintext.</li>
 *   <li>{@code unprotect}: a ring of {@value #RING} distinct protected packets is generated at setup; each operation
 *       copies the next one into a work buffer (the copy is part of the measured time; see {@code copyOnly}) and
 *       unprotects it. After each pass over the ring a fresh receiving session is created (key derivation included
 *       in the measurement, amortised over {@value #RING} packets) because the replay window rightly refuses
 *       indices it has seen.</li>
 *   <li>{@code copyOnly}: the copy alone, to subtract.</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
public class SrtpBenchmark {

    static final int RING = 4096;

    @Param({"AEAD_AES_128_GCM", "AES_CM_128_HMAC_SHA1_80"})
    public String profile;

    @Param({"200", "1200"})
    public int payload;

    private SrtpProfile p;
    private SrtpKeys keys;
    private SrtpSession sender;
    private SrtpSession receiver;
    private byte[] protectBuf;
    private int plainLength;
    private int seq;

    private byte[][] ring;
    private int[] ringLength;
    private byte[] work;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        p = SrtpProfile.valueOf(profile);
        Random random = new Random(1);
        byte[] lk = new byte[p.masterKeyLength()];
        byte[] ls = new byte[p.masterSaltLength()];
        byte[] rk = new byte[p.masterKeyLength()];
        byte[] rs = new byte[p.masterSaltLength()];
        random.nextBytes(lk);
        random.nextBytes(ls);
        random.nextBytes(rk);
        random.nextBytes(rs);
        keys = new SrtpKeys(p, lk, ls, rk, rs);
        sender = SrtpSession.create(keys);

        byte[] body = new byte[payload];
        random.nextBytes(body);
        RtpPacketBuilder b = new RtpPacketBuilder().payloadType(96).ssrc(0x12345678L).timestamp(90000).payload(body);
        protectBuf = b.build(p.rtpTrailerLength());
        plainLength = protectBuf.length - p.rtpTrailerLength();

        // The unprotect ring comes from a separate sender so the protect benchmark's indices stay untouched.
        SrtpSession ringSender = SrtpSession.create(keys);
        ring = new byte[RING][];
        ringLength = new int[RING];
        for (int i = 0; i < RING; i++) {
            byte[] pkt = b.sequenceNumber(i).build(p.rtpTrailerLength());
            ringLength[i] = ringSender.protectRtp(pkt, 0, pkt.length - p.rtpTrailerLength());
            ring[i] = pkt;
        }
        ringSender.close();
        work = new byte[plainLength + SrtpSession.MAX_TRAILER_LENGTH];
        receiver = SrtpSession.create(keys.reversed());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        sender.close();
        receiver.close();
    }

    @Benchmark
    public int protect() {
        int s = seq++;
        protectBuf[2] = (byte) (s >>> 8);
        protectBuf[3] = (byte) s;
        return sender.protectRtp(protectBuf, 0, plainLength);
    }

    @Benchmark
    public int unprotect() {
        int i = next++;
        if (i == RING) {
            receiver.close();
            receiver = SrtpSession.create(keys.reversed());
            next = 1;
            i = 0;
        }
        int len = ringLength[i];
        System.arraycopy(ring[i], 0, work, 0, len);
        return receiver.unprotectRtp(work, 0, len);
    }

    @Benchmark
    public int copyOnly() {
        int i = next++;
        if (i == RING) {
            next = 1;
            i = 0;
        }
        int len = ringLength[i];
        System.arraycopy(ring[i], 0, work, 0, len);
        return work[len - 1];
    }
}
