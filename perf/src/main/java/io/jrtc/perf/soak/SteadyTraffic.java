package io.jrtc.perf.soak;

import io.jrtc.testkit.soak.ProcessProbe;
import io.jrtc.testkit.soak.EchoProcess;
import io.jrtc.datachannel.DataChannel;
import io.jrtc.peer.PeerConnectionFactory;
import io.jrtc.peer.RtcConfiguration;
import io.jrtc.signaling.client.SignalingClient;
import io.jrtc.signaling.client.SignalingClientConfig;
import io.jrtc.signaling.server.SignalingServer;
import io.jrtc.signaling.server.SignalingServerConfig;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Steady traffic against a real {@code ./jrtc echo} process: a signaling server in this JVM on 127.0.0.1, the echo
 * agent as a separate process ({@link EchoProcess}), and {@code connections} peer connections offered to it, each with
 * one data channel carrying {@code size}-byte messages (text and binary alternately) at a fixed pace, {@code rate}
 * messages per second in all. Every echo is checked byte for byte against what was sent. Every {@code interval} it
 * prints one line: the echo process's heap after a full GC, threads, file descriptors, UDP sockets ({@link ProcessProbe}),
 * the echoes and their round-trip p50/p99/max (HdrHistogram) in that interval, mismatches, echoes outstanding, and the
 * machine's load average. After {@code duration} it closes every connection and samples the echo process once more.
 *
 * <pre>
 * java -cp perf/target/benchmarks.jar io.jrtc.perf.soak.SteadyTraffic [--connections 100] [--rate 200] [--size 64]
 *      [--duration 1h] [--interval 1m] [--root .]
 * </pre>
 * The jar {@code cli/target/jrtc.jar} must be built ({@code ./jrtc} is run with {@code JRTC_NO_BUILD=1}). Exits 1 if a
 * connection failed to open, an echo differed, or echoes were lost.
 */
public final class SteadyTraffic {

    private static final String ECHO_ID = "soak-echo";
    private static final Duration T = Duration.ofSeconds(30);

    private int connections = 100;
    private int rate = 200;
    private int size = 64;
    private Duration duration = Duration.ofHours(1);
    private Duration interval = Duration.ofMinutes(1);
    private Path root = Path.of(".");

    private final Recorder rtts = new Recorder(3_600_000_000L, 3); // µs, up to an hour
    private final LongAdder mismatches = new LongAdder();
    private final LongAdder echoes = new LongAdder();
    private final List<Flow> flows = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        SteadyTraffic s = new SteadyTraffic();
        for (int i = 0; i < args.length; i += 2) {
            String v = args[i + 1];
            switch (args[i]) {
                case "--connections" -> s.connections = Integer.parseInt(v);
                case "--rate" -> s.rate = Integer.parseInt(v);
                case "--size" -> s.size = Integer.parseInt(v);
                case "--duration" -> s.duration = duration(v);
                case "--interval" -> s.interval = duration(v);
                case "--root" -> s.root = Path.of(v);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        System.exit(s.run());
    }

    static Duration duration(String v) {
        long n = Long.parseLong(v.substring(0, v.length() - 1));
        return switch (v.charAt(v.length() - 1)) {
            case 'h' -> Duration.ofHours(n);
            case 'm' -> Duration.ofMinutes(n);
            case 's' -> Duration.ofSeconds(n);
            default -> throw new IllegalArgumentException("duration like 1h, 30m, 90s: " + v);
        };
    }

    /** One connection's pacing and checking; its state is confined to the connection's event loop. */
    private final class Flow {
        final EchoConnection conn;
        final int index;
        final ArrayDeque<byte[]> expected = new ArrayDeque<>();
        final ArrayDeque<Long> sentAt = new ArrayDeque<>();
        volatile int outstanding;
        long seq;
        ScheduledFuture<?> task;

        Flow(EchoConnection conn, int index) {
            this.conn = conn;
            this.index = index;
        }

        void start(long periodMicros) {
            conn.peerConnection().execute(() -> conn.channel().onMessage(m -> {
                long now = System.nanoTime();
                byte[] want = expected.poll();
                Long t0 = sentAt.poll();
                outstanding = expected.size();
                if (want == null || m.isBinary() != ((want[0] & 1) == 1) || m.data().mismatch(ByteBuffer.wrap(want)) != -1) {
                    mismatches.increment();
                    return;
                }
                echoes.increment();
                rtts.recordValue(Math.max(1, (now - t0) / 1000));
            }));
            long offset = ThreadLocalRandom.current().nextLong(periodMicros);
            task = conn.peerConnection().eventLoop().scheduleAtFixedRate(this::send, offset, periodMicros, TimeUnit.MICROSECONDS);
        }

        void send() {
            DataChannel ch = conn.channel();
            byte[] b = payload(index, seq++, size);
            expected.add(b);
            sentAt.add(System.nanoTime());
            outstanding = expected.size();
            if ((b[0] & 1) == 1) {
                ch.send(b);
            } else {
                ch.send(new String(b, StandardCharsets.US_ASCII));
            }
        }
    }

    /** ASCII bytes; the first character's low bit says binary (odd) or text (even), alternating with {@code seq}. */
    static byte[] payload(int index, long seq, int size) {
        byte[] b = new byte[Math.max(size, 2)];
        b[0] = (byte) ('a' + (seq & 1));
        for (int i = 1; i < b.length; i++) {
            b[i] = (byte) ('0' + (int) ((seq * 31 + index * 7L + i) % 43));
        }
        return b;
    }

    int run() throws Exception {
        InetAddress lo = InetAddress.getLoopbackAddress();
        SignalingServer server = new SignalingServer(SignalingServerConfig.builder().bindHost("127.0.0.1").port(0)
                .drainTimeout(Duration.ofSeconds(2)).build());
        int port = server.start().get(20, TimeUnit.SECONDS);
        String ws = "ws://127.0.0.1:" + port + "/ws";
        Path dir = Files.createTempDirectory("jrtc-soak");
        EventLoopGroup signalingLoops = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("soak-signaling", true),
                NioIoHandler.newFactory());
        PeerConnectionFactory factory = new PeerConnectionFactory(2);
        int failures = 0;
        try (EchoProcess echo = EchoProcess.start(root.toAbsolutePath().normalize(), ws, ECHO_ID, "127.0.0.1", dir, T, List.of())) {
            ProcessProbe probe = new ProcessProbe(echo.pid());
            System.out.printf(Locale.ROOT, "# steady traffic: %d connections, %d msg/s in all, %d B, %s; echo pid %d, output in %s%n",
                    connections, rate, size, duration, echo.pid(), dir);
            ProcessProbe.Sample before = probe.sample();
            System.out.println("# before connecting: " + before);
            RtcConfiguration config = RtcConfiguration.builder().addBindAddress(lo).build();
            long t0 = System.nanoTime();
            for (int i = 0; i < connections; i++) {
                SignalingClient sc = new SignalingClient(SignalingClientConfig.builder(URI.create(ws), "soak-" + i)
                        .eventLoopGroup(signalingLoops).build());
                flows.add(new Flow(EchoConnection.open(factory, config, sc, ECHO_ID, "soak", T), i));
            }
            System.out.printf(Locale.ROOT, "# %d connections open in %.1f s; %s%n", connections, (System.nanoTime() - t0) / 1e9,
                    probe.sample());
            long periodMicros = 1_000_000L * connections / rate;
            flows.forEach(f -> f.start(periodMicros));
            System.out.println("# min   heapMiB threads fds udp  echoes  p50ms  p99ms  maxms mismatch outstanding load1");
            Histogram total = new Histogram(3_600_000_000L, 3);
            Histogram iv = null;
            long start = System.nanoTime();
            long end = start + duration.toNanos();
            for (int k = 1; System.nanoTime() < end; k++) {
                long next = Math.min(end, start + k * interval.toNanos());
                TimeUnit.NANOSECONDS.sleep(Math.max(0, next - System.nanoTime()));
                iv = rtts.getIntervalHistogram(iv);
                total.add(iv);
                long n = echoes.sumThenReset();
                ProcessProbe.Sample s = probe.sample();
                int outstanding = flows.stream().mapToInt(f -> f.outstanding).sum();
                System.out.printf(Locale.ROOT, "%5.1f %8.2f %7d %3d %3d %7d %6.2f %6.2f %6.1f %8d %11d %5s%n",
                        (System.nanoTime() - start) / 60e9, s.heapMiB(), s.threads(), s.fds(), s.udpSockets(), n,
                        iv.getValueAtPercentile(50) / 1000.0, iv.getValueAtPercentile(99) / 1000.0, iv.getMaxValue() / 1000.0,
                        mismatches.sum(), outstanding, loadAverage());
                System.out.flush();
            }
            flows.forEach(f -> f.task.cancel(false));
            System.out.printf(Locale.ROOT, "# whole run: %d echoes, p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.1f ms, %d mismatches%n",
                    total.getTotalCount(), total.getValueAtPercentile(50) / 1000.0, total.getValueAtPercentile(99) / 1000.0,
                    total.getValueAtPercentile(99.9) / 1000.0, total.getMaxValue() / 1000.0, mismatches.sum());
            int outstanding = flows.stream().mapToInt(f -> f.outstanding).sum();
            for (Flow f : flows) {
                f.conn.close();
                if (f.conn.byeFailure() != null) {
                    System.out.println("# bye of soak-" + f.index + " not sent: " + f.conn.byeFailure());
                }
            }
            flows.clear();
            // The echo agent closes each peer connection on its bye (or, without one, when consent fails within 30 s):
            // sample until its UDP sockets are back to the count before the first connection, for up to 40 s.
            long closedAt = System.nanoTime();
            ProcessProbe.Sample after = probe.sample();
            while (after.udpSockets() > before.udpSockets() && System.nanoTime() - closedAt < TimeUnit.SECONDS.toNanos(40)) {
                TimeUnit.MILLISECONDS.sleep(500);
                after = probe.sample();
            }
            System.out.printf(Locale.ROOT, "# after closing every connection (%.1f s later): %s%n",
                    (System.nanoTime() - closedAt) / 1e9, after);
            if (mismatches.sum() > 0 || outstanding > connections) {
                failures++;
            }
        } catch (Exception e) {
            System.out.println("# failed: " + e);
            failures++;
        } finally {
            for (Flow f : flows) {
                f.conn.close();
            }
            factory.close();
            signalingLoops.shutdownGracefully(0, 2, TimeUnit.SECONDS);
            server.close();
        }
        return failures == 0 ? 0 : 1;
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (java.io.IOException e) {
            return "?";
        }
    }
}
