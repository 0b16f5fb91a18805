package io.jrtc.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code jrtc demo} in this JVM: embedded signaling server, echo agent and client agent on 127.0.0.1. It exits 0 and
 * prints figures that parse and make sense: positive setup times, ordered percentiles, a throughput, the page URL.
 */
class DemoRunsInProcessAndPrintsSaneFigures {

    @Test
    void demoPrintsSetupRttThroughputAndThePage() {
        long t0 = System.nanoTime();
        Run r = Run.of("demo", "--count", "300", "--throughput", "1s");
        double wall = (System.nanoTime() - t0) / 1e9;
        assertThat(r.code()).as("%s", r).isZero();
        String out = r.out();

        double cold = number(out, "^setup cold : ([0-9.]+) ms");
        double setup = number(out, "^setup      : ([0-9.]+) ms \\(createOffer -> data channel open\\)");
        assertThat(cold).isPositive().isLessThan(30_000);
        assertThat(setup).isPositive().isLessThan(10_000);

        Matcher rtt = find(out, "^rtt        : 300 echoes of 32 B strings, one at a time: "
                + "p50 ([0-9.]+) ms, p90 ([0-9.]+) ms, p99 ([0-9.]+) ms, max ([0-9.]+) ms$");
        double p50 = Double.parseDouble(rtt.group(1));
        double p90 = Double.parseDouble(rtt.group(2));
        double p99 = Double.parseDouble(rtt.group(3));
        double max = Double.parseDouble(rtt.group(4));
        assertThat(p50).isPositive().isLessThan(1000);
        assertThat(p90).isGreaterThanOrEqualTo(p50);
        assertThat(p99).isGreaterThanOrEqualTo(p90);
        assertThat(max).isGreaterThanOrEqualTo(p99);

        Matcher thr = find(out, "^throughput : ([0-9.]+) MB/s echoed \\(64 KiB binary messages: ([0-9]+) echoed and checked in ([0-9.]+) s;");
        double mbps = Double.parseDouble(thr.group(1));
        long messages = Long.parseLong(thr.group(2));
        double seconds = Double.parseDouble(thr.group(3));
        assertThat(messages).isPositive();
        assertThat(seconds).isGreaterThanOrEqualTo(0.9).isLessThan(60);
        // The line prints MB/s to 0.1 (±0.05) and seconds to 0.01 (±0.005), so the rate recomputed from the printed
        // seconds can be off by up to 0.05 + rate × 0.005 / seconds (0.4 MB/s at 73 MB/s over 1.0 s).
        double printed = messages * 65536 / seconds / 1e6;
        assertThat(mbps).isPositive().isCloseTo(printed, org.assertj.core.data.Offset.offset(0.051 + printed * 0.005 / seconds));

        Matcher echo = find(out, "^echo agent : ([0-9]+) strings and ([0-9]+) binary messages echoed");
        assertThat(Long.parseLong(echo.group(1))).isEqualTo(300);
        assertThat(Long.parseLong(echo.group(2))).isEqualTo(messages);
        find(out, "^page       : http://127\\.0\\.0\\.1:[0-9]+/\\?id=web&token=v1\\.[A-Za-z0-9_.-]+$");
        assertThat(out).contains("./jrtc echo --signaling ws://<addr>:8080/ws --bind <addr>");
        assertThat(out).contains("result     : OK");
        assertThat(wall).as("the demo stays short").isLessThan(30);
    }

    private static Matcher find(String out, String regex) {
        Matcher m = Pattern.compile(regex, Pattern.MULTILINE).matcher(out);
        assertThat(m.find()).as("output has /%s/:%n%s", regex, out).isTrue();
        return m;
    }

    private static double number(String out, String regex) {
        return Double.parseDouble(find(out, regex).group(1));
    }
}
