package io.jrtc.perf.sctp;

import io.jrtc.demo.SctpDemo;
import java.time.Duration;

/**
 * Cold 10 MB transfers through testkit's emulator with delay jitter, with the paced jump start on and off: RTT
 * 20/50/100 ms x jitter 0/1/2/5/10 ms x bottleneck 10/100/1000 Mbit/s (queue one bandwidth-delay product, at least
 * 64 KiB), seed 7, virtual time. testkit's jitter never reorders, so it bunches packets and the SACKs that answer
 * them: the case where the jump start has no spacing to measure, and where Max.Burst alone would freeze slow start.
 * Prints seconds of virtual time, what the jump start measured, retransmissions and the final cwnd.
 *
 * <p>Run: {@code java -cp perf/target/benchmarks.jar io.jrtc.perf.sctp.SctpJitterGoodput}
 */
public final class SctpJitterGoodput {

    private SctpJitterGoodput() {
    }

    public static void main(String[] args) {
        System.out.printf("%-7s %-7s %-6s | %-9s %-9s %-11s %-5s %-9s | %-9s %-5s %-9s%n", "RTT ms", "jit ms", "Mbit/s", "jump: s",
                "measured", "jumped cwnd", "rtx", "cwnd", "slow: s", "rtx", "cwnd");
        for (int rtt : new int[] {20, 50, 100}) {
            for (int jitter : new int[] {0, 1, 2, 5, 10}) {
                for (long mbps : new long[] {10, 100, 1000}) {
                    SctpDemo.Result on = SctpDemo.run(params(rtt, jitter, mbps, true));
                    SctpDemo.Result off = SctpDemo.run(params(rtt, jitter, mbps, false));
                    System.out.printf("%-7d %-7d %-6d | %-9.3f %-9s %-11d %-5d %-9d | %-9.3f %-5d %-9d%s%n", rtt, jitter, mbps, on.seconds(),
                            on.jumpStartRate() > 0 ? String.format("%.1f", on.jumpStartRate() * 8 / 1e6) : "-", on.jumpStartCwnd(),
                            on.retransmittedChunks(), on.finalCwnd(), off.seconds(), off.retransmittedChunks(), off.finalCwnd(),
                            on.intact() && off.intact() ? "" : "  DIGEST MISMATCH");
                }
            }
        }
    }

    private static SctpDemo.Params params(int rttMs, int jitterMs, long mbps, boolean jump) {
        return new SctpDemo.Params(10_000_000, 64 * 1024, Duration.ofMillis(rttMs), 0, mbps * 1_000_000, 0, 0, 7, true, jump,
                Duration.ofMillis(jitterMs));
    }
}
