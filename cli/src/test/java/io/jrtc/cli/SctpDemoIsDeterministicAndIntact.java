package io.jrtc.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code jrtc sctp-demo}: the SCTP cores over the emulator in virtual time. The same options give the same output, byte
 * for byte; the transfer arrives intact; random loss on the link shows up as losses and retransmissions.
 */
class SctpDemoIsDeterministicAndIntact {

    @Test
    void sameSeedSameFiguresAndLossCausesRetransmissions() {
        Run clean = Run.of("sctp-demo", "--bytes", "1000000", "--rtt", "20ms", "--rate-mbps", "50");
        assertThat(clean.code()).as("%s", clean).isZero();
        assertThat(clean.out()).contains("intact     : yes", "result     : OK");
        assertThat(number(clean.out(), "goodput    : ([0-9.]+) Mbit/s cold")).isPositive().isLessThanOrEqualTo(50.0);
        assertThat(number(clean.out(), "; ([0-9]+) lost on the link")).isZero();

        Run again = Run.of("sctp-demo", "--bytes", "1000000", "--rtt", "20ms", "--rate-mbps", "50");
        assertThat(again.out()).isEqualTo(clean.out());

        Run lossy = Run.of("sctp-demo", "--bytes", "1000000", "--rtt", "20ms", "--rate-mbps", "50", "--loss", "0.02", "--seed", "3");
        assertThat(lossy.code()).as("%s", lossy).isZero();
        assertThat(lossy.out()).contains("intact     : yes");
        assertThat(number(lossy.out(), "^retransmit : ([0-9]+) chunks retransmitted")).isPositive();
        assertThat(number(lossy.out(), "; ([0-9]+) lost on the link")).isPositive();
    }

    @Test
    void theJumpStartIsReportedAndCanBeTurnedOff() {
        Run jump = Run.of("sctp-demo", "--bytes", "2000000", "--rtt", "100ms", "--rate-mbps", "20");
        assertThat(jump.code()).as("%s", jump).isZero();
        // 20 Mbit/s of packet bytes is 19.8 Mbit/s of chunk bytes, what the first flight's SACK spacing measures
        assertThat(number(jump.out(), "^startup    : jump start: measured ([0-9.]+) Mbit/s")).isBetween(19.0, 20.0);
        Run slow = Run.of("sctp-demo", "--bytes", "2000000", "--rtt", "100ms", "--rate-mbps", "20", "--no-jump-start");
        assertThat(slow.code()).as("%s", slow).isZero();
        assertThat(slow.out()).contains("startup    : slow start (jump start off)", "intact     : yes");
        double jumpSeconds = number(jump.out(), "Mbit/s cold \\(([0-9.]+) s of virtual time");
        double slowSeconds = number(slow.out(), "Mbit/s cold \\(([0-9.]+) s of virtual time");
        assertThat(jumpSeconds).isLessThan(slowSeconds);
    }

    private static double number(String out, String regex) {
        Matcher m = Pattern.compile(regex, Pattern.MULTILINE).matcher(out);
        assertThat(m.find()).as("output has /%s/:%n%s", regex, out).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
