package io.jrtc.perf.srtp;

import io.jrtc.srtp.rtp.GenericNack;
import io.jrtc.srtp.rtp.PictureLossIndication;
import io.jrtc.srtp.rtp.ReceiverReport;
import io.jrtc.srtp.rtp.ReportBlock;
import io.jrtc.srtp.rtp.RtcpCompound;
import io.jrtc.srtp.rtp.RtpHeaderExtensionCursor;
import io.jrtc.srtp.rtp.RtpPacket;
import io.jrtc.srtp.rtp.RtpPacketBuilder;
import io.jrtc.srtp.rtp.SourceDescription;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Zero-copy parsing: wrapping a reusable {@link RtpPacket} view over a 1,200-byte video packet with three one-byte
 * header extensions and reading its fields plus one extension; walking an RTCP compound (RR + SDES + NACK + PLI)
 * with the allocation-free cursor; and decoding that compound into records, for comparison.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class RtpParseBenchmark {

    private byte[] rtp;
    private final RtpPacket view = new RtpPacket();
    private byte[] rtcp;
    private final RtcpCompound.Cursor cursor = new RtcpCompound.Cursor();

    @Setup
    public void setUp() {
        rtp = new RtpPacketBuilder().payloadType(96).sequenceNumber(4242).timestamp(123456789L).ssrc(0xCAFEBABEL)
                .marker(true).extension(1, new byte[] {(byte) 0x90}).extension(2, new byte[] {1, 2, 3})
                .extension(3, new byte[] {0, 7}).payload(new byte[1200]).build(16);
        rtcp = RtcpCompound.encode(List.of(
                new ReceiverReport(1, List.of(new ReportBlock(2, 3, 4, 5, 6, 7, 8))),
                SourceDescription.cname(1, "abcdefghijklmnop"),
                GenericNack.fromLost(1, 2, List.of(10, 11, 15, 40)),
                new PictureLossIndication(1, 2)), 0);
    }

    @Benchmark
    public long rtpWrapAndReadFields() {
        if (view.wrap(rtp, 0, rtp.length - 16) != null) {
            return -1;
        }
        long acc = view.sequenceNumber() + view.timestamp() + view.ssrc() + view.payloadType() + view.payloadLength();
        int off = view.extensionValueOffset(3);
        return acc + (off < 0 ? 0 : rtp[off + 1]);
    }

    @Benchmark
    public long rtpIterateExtensions() {
        view.wrap(rtp, 0, rtp.length - 16);
        RtpHeaderExtensionCursor c = view.extensions();
        long acc = 0;
        while (c.next()) {
            acc += c.id() * 31L + c.valueLength();
        }
        return acc;
    }

    @Benchmark
    public long rtcpCursorWalk() {
        cursor.reset(rtcp, 0, rtcp.length);
        long acc = 0;
        while (cursor.next()) {
            acc += cursor.packetType() + cursor.firstSsrc();
        }
        return acc;
    }

    @Benchmark
    public Object rtcpDecodeRecords() throws Exception {
        return RtcpCompound.parse(rtcp, 0, rtcp.length);
    }
}
