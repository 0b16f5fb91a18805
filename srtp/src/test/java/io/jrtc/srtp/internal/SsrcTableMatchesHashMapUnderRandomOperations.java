package io.jrtc.srtp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The boxing-free SSRC table behaves like a HashMap through growth, collisions and backward-shift deletion. */
class SsrcTableMatchesHashMapUnderRandomOperations {

    @Test
    void randomPutsGetsAndRemovesAgreeWithHashMap() {
        Random random = new Random(8);
        IntObjectMap<String> table = new IntObjectMap<>(2);
        Map<Integer, String> reference = new HashMap<>();
        for (int i = 0; i < 200_000; i++) {
            // A small key space forces collisions and long probe chains; sometimes use the full 32-bit range.
            int key = random.nextInt(10) == 0 ? random.nextInt() : random.nextInt(300) * 65536;
            switch (random.nextInt(3)) {
                case 0 -> assertThat(table.put(key, "v" + i)).isEqualTo(reference.put(key, "v" + i));
                case 1 -> assertThat(table.remove(key)).isEqualTo(reference.remove(key));
                default -> assertThat(table.get(key)).isEqualTo(reference.get(key));
            }
            assertThat(table.size()).isEqualTo(reference.size());
        }
        for (Map.Entry<Integer, String> e : reference.entrySet()) {
            assertThat(table.get(e.getKey())).isEqualTo(e.getValue());
        }
        int[] count = new int[1];
        table.forEachValue(v -> count[0]++);
        assertThat(count[0]).isEqualTo(reference.size());
        table.clear();
        assertThat(table.size()).isZero();
        assertThat(table.get(0)).isNull();
    }
}
