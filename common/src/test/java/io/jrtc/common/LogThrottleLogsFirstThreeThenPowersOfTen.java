package io.jrtc.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One attacker sending a million repeats of one bad input costs nine log lines, each with the running count. */
class LogThrottleLogsFirstThreeThenPowersOfTen {

    @Test
    void millionOccurrencesAreLoggedNineTimes() {
        LogThrottle t = new LogThrottle();
        List<Long> logged = new ArrayList<>();
        for (int i = 0; i < 1_000_000; i++) {
            if (t.next()) {
                logged.add(t.count());
            }
        }
        assertThat(logged).containsExactly(1L, 2L, 3L, 10L, 100L, 1_000L, 10_000L, 100_000L, 1_000_000L);
        assertThat(t.count()).isEqualTo(1_000_000L);
    }
}
