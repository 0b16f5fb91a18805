package io.jrtc.cli.internal;

import io.jrtc.cli.RttSummary;
import io.jrtc.cli.Throughput;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/** The figures the {@code agent} and {@code demo} commands print: one labelled line each, stable for scripts. */
public final class Report {

    private Report() {
    }

    public static void line(PrintWriter out, String label, String text) {
        out.printf(Locale.ROOT, "%-11s: %s%n", label, text);
        out.flush();
    }

    public static void setup(PrintWriter out, Duration setup) {
        line(out, "setup", String.format(Locale.ROOT, "%.1f ms (createOffer -> data channel open)", setup.toNanos() / 1e6));
    }

    public static void rtt(PrintWriter out, RttSummary r, int size, boolean binary) {
        line(out, "rtt", String.format(Locale.ROOT, "%d echoes of %d B %s, one at a time: %s", r.count(), size,
                binary ? "binary messages" : "strings", r.describe()));
    }

    public static void throughput(PrintWriter out, Throughput t) {
        line(out, "throughput", String.format(Locale.ROOT,
                "%.1f MB/s echoed (%s binary messages: %d echoed and checked in %.2f s; each byte crossed the link twice)",
                t.megabytesPerSecond(), size(t.messageSize()), t.messages(), t.seconds()));
    }

    public static void iceRtt(PrintWriter out, Optional<Double> ms) {
        line(out, "ice rtt", ms.map(v -> String.format(Locale.ROOT, "%.2f ms (consent check on the selected pair)", v))
                .orElse("not measured yet"));
    }

    static String size(int bytes) {
        return bytes % 1024 == 0 ? bytes / 1024 + " KiB" : bytes + " B";
    }
}
