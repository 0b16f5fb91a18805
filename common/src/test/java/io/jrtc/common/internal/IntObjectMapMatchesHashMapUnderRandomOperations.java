package io.jrtc.common.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.function.IntFunction;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The boxing-free int-keyed map (SRTP's SSRC tables, SCTP's per-stream state) behaves like a HashMap through
 * growth, collisions, negative keys, backward-shift deletion, and emptying.
 */
class IntObjectMapMatchesHashMapUnderRandomOperations {

    @ParameterizedTest
    @ValueSource(ints = {0, 2, 100})
    void randomPutsGetsAndRemovesAgreeWithHashMap(int expected) {
        Random random = new Random(8 + expected);
        IntObjectMap<String> map = expected == 0 ? new IntObjectMap<>() : new IntObjectMap<>(expected);
        Map<Integer, String> reference = new HashMap<>();
        for (int i = 0; i < 200_000; i++) {
            // A small key space forces collisions and long probe chains; sometimes use the full 32-bit range.
            int key = random.nextInt(10) == 0 ? random.nextInt() : random.nextInt(300) * 65536;
            switch (random.nextInt(3)) {
                case 0 -> assertThat(map.put(key, "v" + i)).isEqualTo(reference.put(key, "v" + i));
                case 1 -> assertThat(map.remove(key)).isEqualTo(reference.remove(key));
                default -> assertThat(map.get(key)).isEqualTo(reference.get(key));
            }
            assertThat(map.size()).isEqualTo(reference.size());
            assertThat(map.isEmpty()).isEqualTo(reference.isEmpty());
        }
        for (Map.Entry<Integer, String> e : reference.entrySet()) {
            assertThat(map.get(e.getKey())).isEqualTo(e.getValue());
        }
        int[] keys = map.keys();
        Arrays.sort(keys);
        assertThat(keys).containsExactly(reference.keySet().stream().mapToInt(Integer::intValue).sorted().toArray());
        int[] count = new int[1];
        map.forEachValue(v -> count[0]++);
        assertThat(count[0]).isEqualTo(reference.size());
        map.clear();
        assertThat(map.size()).isZero();
        assertThat(map.get(0)).isNull();
        assertThat(map.keys()).isEmpty();
    }

    @Test
    void aMapEmptiedByRemovalsWorksAgainAndKeysMayBeNegative() {
        IntObjectMap<Integer> map = new IntObjectMap<>();
        assertThat(map.get(5)).isNull();
        assertThat(map.remove(5)).isNull();
        IntFunction<Integer> v = k -> k * 3;
        for (int k = -20; k < 20; k++) {
            map.put(k, v.apply(k));
        }
        assertThat(map.get(Integer.MIN_VALUE)).isNull();
        assertThat(map.put(-1, 99)).isEqualTo(-3);
        for (int k = -20; k < 20; k++) {
            assertThat(map.remove(k)).isEqualTo(k == -1 ? 99 : v.apply(k));
        }
        assertThat(map.isEmpty()).isTrue();
        assertThat(map.keys()).isEmpty();
        map.put(Integer.MIN_VALUE, 1);
        map.put(-1, 2);
        assertThat(map.get(Integer.MIN_VALUE)).isEqualTo(1);
        assertThat(map.get(-1)).isEqualTo(2);
        assertThat(map.keys()).containsExactlyInAnyOrder(Integer.MIN_VALUE, -1);
    }

    @Test
    void nullValuesAreRefused() {
        assertThatThrownBy(() -> new IntObjectMap<String>().put(1, null)).isInstanceOf(NullPointerException.class);
    }
}
