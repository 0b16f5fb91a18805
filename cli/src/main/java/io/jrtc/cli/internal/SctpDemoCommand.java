package io.jrtc.cli.internal;

import io.jrtc.demo.SctpDemo;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code jrtc sctp-demo}: two SCTP cores over the network emulator, in virtual time. */
@Command(name = "sctp-demo", mixinStandardHelpOptions = true,
        description = {"Transfers data between two jrtc SCTP cores over testkit's network emulator (no sockets, virtual "
                + "time, seeded: every run with the same options gives the same figures) and prints goodput, "
                + "retransmissions and RTT. The transfer runs twice: cold (slow start) and warm (steady state).",
                "Exits with 0 when the received byte stream equals the sent one (SHA-256)."})
public final class SctpDemoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--bytes", paramLabel = "N", defaultValue = "10000000", description = "Bytes to transfer (default: ${DEFAULT-VALUE}).")
    long bytes;

    @Option(names = "--message-size", paramLabel = "BYTES", defaultValue = "65536", description = "Message size (default: ${DEFAULT-VALUE}).")
    int messageSize;

    @Option(names = "--rtt", paramLabel = "DURATION", defaultValue = "50ms", converter = Converters.DurationConverter.class,
            description = "Round-trip propagation delay (default: ${DEFAULT-VALUE}).")
    Duration rtt;

    @Option(names = "--loss", paramLabel = "P", defaultValue = "0", description = "Random loss probability per direction, 0..1 (default: ${DEFAULT-VALUE}).")
    double loss;

    @Option(names = "--rate-mbps", paramLabel = "MBIT", defaultValue = "100", description = "Bottleneck rate per direction in Mbit/s, 0 = unlimited (default: ${DEFAULT-VALUE}).")
    double rateMbps;

    @Option(names = "--queue-bytes", paramLabel = "N", defaultValue = "0", description = "Bottleneck queue; 0 = one bandwidth-delay product, at least 64 KiB (default: ${DEFAULT-VALUE}).")
    int queueBytes;

    @Option(names = "--initial-cwnd-mtus", paramLabel = "N", defaultValue = "0", description = "Initial congestion window in MTUs; 0 = RFC 9260's (default: ${DEFAULT-VALUE}).")
    int initialCwndMtus;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "Seed of the emulator and both cores (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--no-hystart", negatable = false, description = "Turn HyStart-style slow-start exit off.")
    boolean noHystart;

    @Option(names = "--no-jump-start", negatable = false,
            description = "Turn the paced jump start off: plain RFC 9260 slow start from the initial window.")
    boolean noJumpStart;

    @Override
    public Integer call() {
        if (bytes < 1 || messageSize < 1 || loss < 0 || loss >= 1 || rateMbps < 0 || queueBytes < 0 || initialCwndMtus < 0
                || rtt.isZero()) {
            throw new ParameterException(spec.commandLine(),
                    "need --bytes >= 1, --message-size >= 1, 0 <= --loss < 1, --rate-mbps >= 0, --queue-bytes >= 0, --rtt > 0");
        }
        SctpDemo.Params p = new SctpDemo.Params(bytes, messageSize, rtt, loss, (long) (rateMbps * 1e6), queueBytes,
                initialCwndMtus, seed, !noHystart, !noJumpStart);
        SctpDemo.Result r;
        try {
            r = SctpDemo.run(p);
        } catch (IllegalStateException | IllegalArgumentException e) {
            throw new CliFailure("the SCTP transfer did not complete: " + e.getMessage(), e);
        }
        PrintWriter out = spec.commandLine().getOut();
        Report.line(out, "link", String.format(Locale.ROOT, "rtt %d ms, loss %.2f %%, rate %s, queue %d bytes, seed %d",
                rtt.toMillis(), loss * 100, rateMbps == 0 ? "unlimited" : rateMbps + " Mbit/s", r.queueBytes(), seed));
        Report.line(out, "transfer", String.format(Locale.ROOT, "%d bytes in %d messages of %d bytes", r.bytes(), r.messages(), messageSize));
        Report.line(out, "goodput", String.format(Locale.ROOT, "%.1f Mbit/s cold (%.3f s of virtual time, startup included), "
                + "%.1f Mbit/s warm", r.goodputMbps(), r.seconds(), r.steadyStateMbps()));
        Report.line(out, "retransmit", String.format(Locale.ROOT, "%d chunks retransmitted (%d fast retransmits, %d T3 expiries) "
                + "of %d packets sent; %d lost on the link, %d dropped by the queue", r.retransmittedChunks(), r.fastRetransmits(),
                r.t3Expiries(), r.packetsSent(), r.linkLosses(), r.queueDrops()));
        Report.line(out, "rtt", String.format(Locale.ROOT, "srtt %.1f ms, final cwnd %d bytes", r.srttMs(), r.finalCwnd()));
        Report.line(out, "startup", r.jumpStartCwnd() > 0
                ? String.format(Locale.ROOT, "jump start: measured %.1f Mbit/s from the first flight, cwnd set to %d bytes",
                        r.jumpStartRate() * 8 / 1e6, r.jumpStartCwnd())
                : noJumpStart ? "slow start (jump start off)" : "slow start (the first flight gave no rate sample)");
        Report.line(out, "intact", r.intact() ? "yes (SHA-256 of received = sent)" : "NO: the received bytes differ");
        Report.line(out, "result", r.intact() ? "OK" : "FAILED");
        return r.intact() ? 0 : 1;
    }
}
