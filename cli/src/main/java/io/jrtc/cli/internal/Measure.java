package io.jrtc.cli.internal;

import io.jrtc.cli.ClientAgent;
import io.jrtc.cli.RttSummary;
import io.jrtc.cli.Throughput;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Option;

/** What the {@code agent} and {@code demo} commands measure over an open session, and their options. */
public final class Measure {

    @Option(names = "--count", paramLabel = "N", defaultValue = "1000",
            description = "Ping messages, sent one at a time, each after the previous echo (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--size", paramLabel = "BYTES", defaultValue = "32", description = "Size of each ping (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--binary", description = "Send binary pings instead of strings.")
    boolean binary;

    @Option(names = "--message-size", paramLabel = "BYTES", defaultValue = "65536",
            description = "Message size of the throughput run (default: ${DEFAULT-VALUE}).")
    int messageSize;

    @Option(names = "--window", paramLabel = "BYTES", defaultValue = "4194304",
            description = "Most unechoed bytes in flight during the throughput run (default: ${DEFAULT-VALUE}).")
    long window;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "30s", converter = Converters.DurationConverter.class,
            description = "Limit for each step: registration, connection, pings, the last echoes (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    void validate(picocli.CommandLine cl, Duration throughput) {
        if (count < 1) {
            throw new picocli.CommandLine.ParameterException(cl, "--count must be at least 1");
        }
        if (size < 16 || size > 65536) {
            throw new picocli.CommandLine.ParameterException(cl, "--size must be 16..65536 bytes");
        }
        if (messageSize < 16 || messageSize > 256 * 1024) {
            throw new picocli.CommandLine.ParameterException(cl, "--message-size must be 16..262144 bytes");
        }
        if (window < messageSize) {
            throw new picocli.CommandLine.ParameterException(cl, "--window must be at least --message-size");
        }
        if (throughput.isNegative()) {
            throw new picocli.CommandLine.ParameterException(cl, "the throughput duration must not be negative");
        }
    }

    /** Pings, then (if {@code throughput} is positive) the throughput run; prints each figure as it comes. */
    void run(ClientAgent.Session s, PrintWriter out, Duration throughput) throws TimeoutException, InterruptedException {
        Report.setup(out, s.setupTime());
        RttSummary rtt = s.ping(count, size, binary, timeout);
        Report.rtt(out, rtt, size, binary);
        Report.iceRtt(out, s.iceRoundTripMs());
        if (!throughput.isZero()) {
            Throughput t = s.throughput(throughput, messageSize, window, timeout);
            Report.throughput(out, t);
        }
    }
}
