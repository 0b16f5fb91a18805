package io.jrtc.srtp.internal;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * A small open-addressing map from a 32-bit key (an SSRC) to an object, with no boxing on lookup. Linear probing,
 * backward-shift deletion, load factor at most 1/2. Not thread-safe.
 *
 * @param <V> the value type
 */
public final class IntObjectMap<V> {

    private int[] keys;
    private Object[] values;
    private int size;
    private int mask;

    public IntObjectMap(int expected) {
        int cap = Integer.highestOneBit(Math.max(4, expected * 2 - 1)) << 1;
        keys = new int[cap];
        values = new Object[cap];
        mask = cap - 1;
    }

    public int size() {
        return size;
    }

    private static int mix(int key) {
        int h = key * 0x9E3779B9;
        return h ^ (h >>> 16);
    }

    @SuppressWarnings("unchecked")
    public V get(int key) {
        int i = mix(key) & mask;
        while (true) {
            Object v = values[i];
            if (v == null) {
                return null;
            }
            if (keys[i] == key) {
                return (V) v;
            }
            i = (i + 1) & mask;
        }
    }

    /** Associates {@code value} (non-null) with {@code key}; returns the previous value or null. */
    @SuppressWarnings("unchecked")
    public V put(int key, V value) {
        if (value == null) {
            throw new NullPointerException("value");
        }
        if ((size + 1) * 2 > keys.length) {
            resize(keys.length * 2);
        }
        int i = mix(key) & mask;
        while (true) {
            Object v = values[i];
            if (v == null) {
                keys[i] = key;
                values[i] = value;
                size++;
                return null;
            }
            if (keys[i] == key) {
                values[i] = value;
                return (V) v;
            }
            i = (i + 1) & mask;
        }
    }

    /** Removes the mapping for {@code key}; returns the removed value or null. */
    @SuppressWarnings("unchecked")
    public V remove(int key) {
        int i = mix(key) & mask;
        while (true) {
            Object v = values[i];
            if (v == null) {
                return null;
            }
            if (keys[i] == key) {
                values[i] = null;
                size--;
                shiftBack(i);
                return (V) v;
            }
            i = (i + 1) & mask;
        }
    }

    private void shiftBack(int hole) {
        int i = (hole + 1) & mask;
        while (values[i] != null) {
            int home = mix(keys[i]) & mask;
            // Move the entry at i into the hole if its home slot does not lie cyclically in (hole, i].
            boolean movable = hole <= i ? (home <= hole || home > i) : (home <= hole && home > i);
            if (movable) {
                keys[hole] = keys[i];
                values[hole] = values[i];
                values[i] = null;
                hole = i;
            }
            i = (i + 1) & mask;
        }
    }

    @SuppressWarnings("unchecked")
    public void forEachValue(Consumer<? super V> action) {
        for (Object v : values) {
            if (v != null) {
                action.accept((V) v);
            }
        }
    }

    public void clear() {
        Arrays.fill(values, null);
        size = 0;
    }

    private void resize(int newCap) {
        int[] oldKeys = keys;
        Object[] oldValues = values;
        keys = new int[newCap];
        values = new Object[newCap];
        mask = newCap - 1;
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldValues[i] != null) {
                @SuppressWarnings("unchecked")
                V v = (V) oldValues[i];
                put(oldKeys[i], v);
            }
        }
    }
}
