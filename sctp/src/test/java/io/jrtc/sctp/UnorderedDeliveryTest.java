package io.jrtc.sctp;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.testkit.NetemConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Unordered messages all arrive intact, some ahead of earlier ones, under loss and reordering. */
class UnorderedDeliveryTest {

    @Test
    void unorderedMessagesArriveCompleteButNotNecessarilyInOrder() {
        NetemConfig link = NetemConfig.perfect().withDelay(Duration.ofMillis(20)).withLoss(0.05).withReorder(0.1, Duration.ofMillis(15))
                .withDuplication(0.02);
        SctpPair p = SctpPair.of(SctpPair.config(31), SctpPair.config(32), link, 5);
        p.establish();
        List<Integer> got = new ArrayList<>();
        int[] corrupt = {0};
        boolean[] allUnordered = {true};
        p.onEventB(e -> {
            if (e instanceof SctpEvent.MessageReceived m) {
                allUnordered[0] &= m.unordered();
                int idx = Messages.check(m.data());
                if (idx < 0) {
                    corrupt[0]++;
                } else {
                    got.add(idx);
                }
            }
        });
        SplittableRandom r = new SplittableRandom(1);
        int total = 2000;
        for (int i = 0; i < total; i++) {
            p.a.send(p.now(), 7, 53, Messages.make(i, r.nextInt(8, 5000)), SendOptions.RELIABLE_UNORDERED);
            if (i % 50 == 49) {
                p.run(() -> false, Duration.ofMillis(10));
            }
        }
        assertThat(p.run(() -> got.size() == total, Duration.ofSeconds(120))).isTrue();
        assertThat(corrupt[0]).isZero();
        assertThat(allUnordered[0]).isTrue();
        assertThat(got).doesNotHaveDuplicates().hasSize(total);
        int inversions = 0;
        for (int i = 1; i < got.size(); i++) {
            if (got.get(i) < got.get(i - 1)) {
                inversions++;
            }
        }
        System.out.println("unordered delivery: " + total + " messages, " + inversions + " delivered ahead of an earlier one");
        assertThat(inversions).as("losses let later messages overtake").isPositive();
    }
}
