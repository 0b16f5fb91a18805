package io.jrtc.perf.signaling;

import io.jrtc.signaling.client.ConnectionState;
import io.jrtc.signaling.client.SignalingClient;
import io.jrtc.signaling.client.SignalingClientConfig;
import io.jrtc.signaling.client.SignalingMessage;
import io.jrtc.signaling.server.SignalingServer;
import io.jrtc.signaling.server.SignalingServerConfig;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;

/**
 * Load harness for the signaling server: N {@link SignalingClient}s (default 1,000) register on one
 * instance, then pairs exchange offers and answers for a fixed time. Prints registration time, relayed
 * messages per second, and percentiles of the one-way relay latency (client send → other client's
 * listener), measured with {@code System.nanoTime()} carried in the SDP (all clients share the JVM clock).
 *
 * <p>Each "offerer" (even index) sends an offer of ~800 bytes to its partner (odd index) every
 * {@code 1/rate} seconds; the partner answers at once with an answer of the same size. So each client sends
 * {@code rate} messages per second, and the server relays {@code clients * rate} messages per second.
 *
 * <p>Run (from the repository root, after {@code mvn -pl perf package}):
 * <pre>
 * java -cp perf/target/benchmarks.jar io.jrtc.perf.signaling.SignalingLoadHarness \
 *     [--clients 1000] [--rate 2] [--warmup 5s] [--duration 20s] [--client-threads 1] [--server-threads 1]
 *     [--server ws://host:port/ws]   (an external server; default: one in this JVM on 127.0.0.1)
 * </pre>
 */
public final class SignalingLoadHarness {

    private static final String PAD = "a=x-pad:" + "0123456789abcdef".repeat(46) + "\r\n";

    private SignalingLoadHarness() {
    }

    /** Latency samples in nanoseconds; grows as needed. Thread-safe enough for appends from one loop per client. */
    private static final class Samples {
        private long[] data = new long[1 << 16];
        private int size;

        synchronized void add(long v) {
            if (size == data.length) {
                data = Arrays.copyOf(data, size * 2);
            }
            data[size++] = v;
        }

        synchronized long[] snapshot() {
            return Arrays.copyOf(data, size);
        }

        synchronized void clear() {
            size = 0;
        }
    }

    public static void main(String[] args) throws Exception {
        int clients = 1000;
        double rate = 2;
        Duration warmup = Duration.ofSeconds(5);
        Duration duration = Duration.ofSeconds(20);
        int clientThreads = 1;
        int serverThreads = 1;
        String external = null;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--clients" -> clients = Integer.parseInt(args[i + 1]);
                case "--rate" -> rate = Double.parseDouble(args[i + 1]);
                case "--warmup" -> warmup = parse(args[i + 1]);
                case "--duration" -> duration = parse(args[i + 1]);
                case "--client-threads" -> clientThreads = Integer.parseInt(args[i + 1]);
                case "--server-threads" -> serverThreads = Integer.parseInt(args[i + 1]);
                case "--server" -> external = args[i + 1];
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (clients % 2 != 0) {
            throw new IllegalArgumentException("--clients must be even (clients work in pairs)");
        }

        SignalingServer server = null;
        URI uri;
        if (external == null) {
            server = new SignalingServer(SignalingServerConfig.builder()
                    .maxAgents(clients + 10)
                    .rateLimit(Math.max(50, rate * 4), 200)
                    .ioThreads(serverThreads)
                    .build());
            int port = server.start().get(30, TimeUnit.SECONDS);
            uri = URI.create("ws://127.0.0.1:" + port + "/ws");
        } else {
            uri = URI.create(external);
        }

        MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(clientThreads,
                new DefaultThreadFactory("load-client", true), NioIoHandler.newFactory());
        Samples offerLatency = new Samples();
        Samples answerLatency = new Samples();
        LongAdder received = new LongAdder();
        LongAdder errors = new LongAdder();
        AtomicLong sent = new AtomicLong();
        List<SignalingClient> all = new ArrayList<>(clients);
        String runId = Long.toString(System.nanoTime() % 100_000, 36);
        try {
            long t0 = System.nanoTime();
            List<CompletableFuture<SignalingMessage.Registered>> regs = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                String id = "load-" + runId + "-" + i;
                SignalingClient c = new SignalingClient(SignalingClientConfig.builder(uri, id)
                        .eventLoopGroup(group)
                        .backoff(Duration.ofMillis(200), Duration.ofSeconds(2), 2, 0.5)
                        .random(new Random(i))
                        .build());
                c.onMessage(m -> {
                    switch (m) {
                        case SignalingMessage.Offer o -> {
                            offerLatency.add(System.nanoTime() - stamp(o.sdp()));
                            received.increment();
                            // answer at once, with a fresh stamp
                            sent.incrementAndGet();
                            c.send(new SignalingMessage.Answer(o.from(), sdp("answer", System.nanoTime())));
                        }
                        case SignalingMessage.Answer a -> {
                            answerLatency.add(System.nanoTime() - stamp(a.sdp()));
                            received.increment();
                        }
                        case SignalingMessage.Error e -> errors.increment();
                        default -> { }
                    }
                });
                all.add(c);
                regs.add(c.connect());
                if (regs.size() % 200 == 0) {
                    // pace the connection storm a little: let the last batch finish registering
                    CompletableFuture.allOf(regs.subList(regs.size() - 200, regs.size())
                            .toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
                }
            }
            CompletableFuture.allOf(regs.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
            long registeredNanos = System.nanoTime() - t0;
            System.gc();
            long heapAfterRegister = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();

            // offer loops: one periodic task per offerer, spread over the period
            long periodNanos = (long) (1e9 / rate);
            Random spread = new Random(1);
            List<ScheduledFuture<?>> tasks = new ArrayList<>();
            for (int i = 0; i < clients; i += 2) {
                SignalingClient c = all.get(i);
                String partner = all.get(i + 1).agentId();
                tasks.add(group.next().scheduleAtFixedRate(() -> {
                    if (c.state() == ConnectionState.REGISTERED) {
                        sent.incrementAndGet();
                        c.send(new SignalingMessage.Offer(partner, sdp("offer", System.nanoTime())));
                    }
                }, (long) (spread.nextDouble() * periodNanos), periodNanos, TimeUnit.NANOSECONDS));
            }
            Thread.sleep(warmup.toMillis());
            offerLatency.clear();
            answerLatency.clear();
            long receivedBefore = received.sum();
            long sentBefore = sent.get();
            long errorsBefore = errors.sum();
            long m0 = System.nanoTime();
            Thread.sleep(duration.toMillis());
            long measured = System.nanoTime() - m0;
            long got = received.sum() - receivedBefore;
            long put = sent.get() - sentBefore;
            long errs = errors.sum() - errorsBefore;
            tasks.forEach(t -> t.cancel(false));

            long[] offers = offerLatency.snapshot();
            long[] answers = answerLatency.snapshot();
            long[] both = new long[offers.length + answers.length];
            System.arraycopy(offers, 0, both, 0, offers.length);
            System.arraycopy(answers, 0, both, offers.length, answers.length);
            System.out.printf("signaling load: %d clients on %s (%s server), rate %.1f msg/s per client, %d client "
                    + "loop threads, %d server loop threads, %d available processors%n", clients, uri,
                    external == null ? "in-process" : "external", rate, clientThreads, serverThreads,
                    Runtime.getRuntime().availableProcessors());
            System.out.printf("  registration of all clients: %.2f s; heap used after GC: %.1f MB (clients%s)%n",
                    registeredNanos / 1e9, heapAfterRegister / 1e6, external == null ? " + server" : " only");
            System.out.printf("  measured %.1f s: sent %d, relayed and received %d (%.0f msg/s), errors %d%n",
                    measured / 1e9, put, got, got / (measured / 1e9), errs);
            print("offer (one-way)", offers);
            print("answer (one-way)", answers);
            print("all relays", both);
            if (server != null) {
                System.out.printf("  server: %d agents registered; errors by code: %s%n", server.connectedAgents(),
                        errorLines(server.scrapeMetrics()));
            }
        } finally {
            if (server != null) {
                server.abort(); // first: 1,000 clean leaves would each fan out agent_left to everyone left
            }
            List<CompletableFuture<Void>> closing = new ArrayList<>();
            for (SignalingClient c : all) {
                closing.add(c.closeAsync());
            }
            CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).get(10, TimeUnit.SECONDS);
        }
    }

    private static String sdp(String kind, long stamp) {
        return "v=0\r\no=- " + stamp + " 2 IN IP4 127.0.0.1\r\ns=jrtc-load-" + kind + "\r\nt=0 0\r\n"
                + "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n" + PAD;
    }

    private static long stamp(String sdp) {
        int a = sdp.indexOf("o=- ") + 4;
        return Long.parseLong(sdp.substring(a, sdp.indexOf(' ', a)));
    }

    private static void print(String what, long[] s) {
        if (s.length == 0) {
            System.out.printf("  %-18s no samples%n", what);
            return;
        }
        Histogram h = new Histogram(3);
        for (long v : s) {
            h.recordValue(v);
        }
        System.out.printf("  %-18s n=%d  p50 %.3f ms  p95 %.3f ms  p99 %.3f ms  p99.9 %.3f ms  max %.3f ms%n", what,
                s.length, ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(95)), ms(h.getValueAtPercentile(99)),
                ms(h.getValueAtPercentile(99.9)), ms(h.getMaxValue()));
    }

    private static String errorLines(String scrape) {
        StringBuilder sb = new StringBuilder();
        for (String line : scrape.split("\n")) {
            if (line.startsWith("jrtc_signaling_errors_total{") && !line.endsWith(" 0.0")) {
                sb.append(line.substring(line.indexOf('"') + 1, line.lastIndexOf('"'))).append('=')
                        .append(line.substring(line.lastIndexOf(' ') + 1)).append(' ');
            }
        }
        return sb.isEmpty() ? "none" : sb.toString().trim();
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static Duration parse(String v) {
        String s = v.trim().toLowerCase();
        if (s.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
        }
        if (s.endsWith("s")) {
            return Duration.ofSeconds(Long.parseLong(s.substring(0, s.length() - 1)));
        }
        return Duration.ofSeconds(Long.parseLong(s));
    }
}
