package io.jrtc.perf.sctp;

import io.jrtc.demo.SctpDemo;
import java.time.Duration;

/**
 * The goodput table: RTT 0/20/50/100 ms x loss 0%/1% on a 100 Mbit/s bottleneck whose queue holds one
 * bandwidth-delay product (at least 64 KiB), 10 MB transfers of 64 KiB messages, virtual time. Goodput counts user
 * bytes over the whole transfer (startup included). At 1% loss the
 * TCP Reno figure from the Mathis formula, {@code MSS/RTT * sqrt(3/2) / sqrt(p)}, with the same 1172-byte payload,
 * sits beside it, and the ceiling that any slow start doubling per round trip from that initial window allows for
 * this transfer ("SS bound"). "warm" is a second transfer on the same association right after the first: the
 * steady state. Runs the default startup (the paced jump start, from RFC 9260's initial window and from 10 MTUs)
 * and plain slow start (jump start off) from both windows. "jump" is the bottleneck rate the jump start measured
 * from the first flight, in Mbit/s ("-" when it did not jump).
 *
 * <p>Run: {@code java -cp perf/target/benchmarks.jar io.jrtc.perf.sctp.SctpEmulatorGoodput}
 */
public final class SctpEmulatorGoodput {

    private SctpEmulatorGoodput() {
    }

    static final long RATE = 100_000_000;
    static final int PAYLOAD = 1172;

    /**
     * The best whole-transfer goodput (fraction of the link) for a slow start that doubles every round trip from the
     * initial window: ramp rounds log2(BDP / IW), the bytes they carry (about 2 x BDP), the rest at line rate, plus
     * the one-way delay of the last byte; payload efficiency 1172/1200 per full packet.
     */
    static double slowStartBound(long bytes, int rttMs, int iwMtus) {
        double rate = RATE / 8.0 * PAYLOAD / 1200;
        double rtt = rttMs / 1000.0;
        double bdp = rate * rtt;
        double iw = iwMtus == 0 ? 4380 * PAYLOAD / 1200.0 : iwMtus * PAYLOAD;
        double rounds = bdp > iw ? Math.log(bdp / iw) / Math.log(2) : 0;
        double rampBytes = Math.min(bytes, 2 * bdp);
        double seconds = rounds * rtt + (bytes - rampBytes) / rate + rtt / 2;
        return Math.min(PAYLOAD / 1200.0, bytes / seconds / (RATE / 8.0));
    }

    public static void main(String[] args) {
        long bytes = args.length > 0 ? Long.parseLong(args[0]) : 10_000_000;
        int[] seeds = {1, 2, 3};
        System.out.printf("%-6s %-7s %-5s %-6s %8s %7s %8s %8s %8s %7s %6s %6s %9s %6s%n", "start", "RTT ms", "loss", "IW", "goodput",
                "% link", "SS bound", "warm", "Mathis", "rtx", "T3", "qdrop", "queue B", "jump");
        for (boolean jump : new boolean[] {true, false}) {
        for (int iw : new int[] {0, 10}) {
            for (double loss : new double[] {0.0, 0.01}) {
                for (int rtt : new int[] {0, 20, 50, 100}) {
                    double g = 0;
                    double s = 0;
                    long rtx = 0;
                    long t3 = 0;
                    long qd = 0;
                    int queue = 0;
                    boolean intact = true;
                    double jumpRate = 0;
                    for (int seed : seeds) {
                        SctpDemo.Result r = SctpDemo.run(new SctpDemo.Params(bytes, 64 * 1024, Duration.ofMillis(rtt), loss, RATE, 0, iw, seed,
                                true, jump));
                        jumpRate += r.jumpStartRate() * 8 / 1e6 / seeds.length;
                        g += r.goodputMbps() / seeds.length;
                        s += r.steadyStateMbps() / seeds.length;
                        rtx += r.retransmittedChunks();
                        t3 += r.t3Expiries();
                        qd += r.queueDrops();
                        queue = r.queueBytes();
                        intact &= r.intact();
                    }
                    String mathis = loss > 0 && rtt > 0
                            ? String.format("%.1f", PAYLOAD * 8 / (rtt / 1000.0) * Math.sqrt(1.5) / Math.sqrt(loss) / 1e6)
                            : "-";
                    System.out.printf("%-6s %-7d %-5s %-6s %8.1f %6.0f%% %7.0f%% %8.1f %8s %7d %6d %6d %9d %6s%s%n", jump ? "jump" : "slow",
                            rtt, (int) (loss * 100) + "%",
                            iw == 0 ? "RFC" : iw + "MTU", g, g / (RATE / 1e6) * 100, slowStartBound(bytes, rtt, iw) * 100, s, mathis,
                            rtx / seeds.length, t3 / seeds.length, qd / seeds.length, queue,
                            jumpRate > 0 ? String.format("%.1f", jumpRate) : "-", intact ? "" : "  DIGEST MISMATCH");
                }
            }
        }
        }
    }
}
