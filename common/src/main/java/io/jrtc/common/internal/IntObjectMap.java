package io.jrtc.common.internal;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * An open-addressing hash map from any 32-bit {@code int} key (an SSRC, an SCTP stream id) to a non-null object,
 * with no boxing on lookup: linear probing, backward-shift deletion (no tombstones), load factor at most 1/2. The
 * tables are allocated at the first {@link #put} and released when the map becomes empty, so per-connection state
 * that most connections never use costs one object. Not thread-safe.
 *
 * <p>Internal to jrtc: exported only to the jrtc modules that use it.
 *
 * @param <V> the value type
 */
public final class IntObjectMap<V> {

    private final int initialCapacity;
    private int[] keys;
    /** A null value marks a free slot, so every int is a valid key. */
    private Object[] values;
    private int size;

    /** An empty map whose tables are allocated (8 slots) at the first {@link #put}. */
    public IntObjectMap() {
        this(4);
    }

    /** An empty map sized for {@code expected} entries before it grows; nothing is allocated until the first put. */
    public IntObjectMap(int expected) {
        this.initialCapacity = Integer.highestOneBit(Math.max(4, expected * 2 - 1)) << 1;
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** The value for {@code key}, or null. */
    @SuppressWarnings("unchecked")
    public V get(int key) {
        if (values == null) {
            return null;
        }
        int mask = values.length - 1;
        for (int i = mix(key) & mask; ; i = (i + 1) & mask) {
            Object v = values[i];
            if (v == null) {
                return null;
            }
            if (keys[i] == key) {
                return (V) v;
            }
        }
    }

    /** Associates {@code value} (non-null) with {@code key}; returns the previous value or null. */
    @SuppressWarnings("unchecked")
    public V put(int key, V value) {
        if (value == null) {
            throw new NullPointerException("value");
        }
        if (values == null) {
            keys = new int[initialCapacity];
            values = new Object[initialCapacity];
        } else if ((size + 1) * 2 > values.length) {
            resize(values.length * 2);
        }
        int mask = values.length - 1;
        for (int i = mix(key) & mask; ; i = (i + 1) & mask) {
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
        }
    }

    /** Removes the mapping for {@code key}; returns the removed value or null. */
    @SuppressWarnings("unchecked")
    public V remove(int key) {
        if (values == null) {
            return null;
        }
        int mask = values.length - 1;
        for (int i = mix(key) & mask; ; i = (i + 1) & mask) {
            Object v = values[i];
            if (v == null) {
                return null;
            }
            if (keys[i] == key) {
                values[i] = null;
                size--;
                if (size == 0) {
                    keys = null;
                    values = null;
                } else {
                    shiftBack(i, mask);
                }
                return (V) v;
            }
        }
    }

    /** Closes the hole at {@code hole} so that every probe chain through it stays unbroken. */
    private void shiftBack(int hole, int mask) {
        for (int i = (hole + 1) & mask; values[i] != null; i = (i + 1) & mask) {
            int home = mix(keys[i]) & mask;
            // Move the entry at i into the hole unless its home slot lies cyclically in (hole, i].
            boolean movable = hole <= i ? (home <= hole || home > i) : (home <= hole && home > i);
            if (movable) {
                keys[hole] = keys[i];
                values[hole] = values[i];
                values[i] = null;
                hole = i;
            }
        }
    }

    /** The keys present, in no particular order (a fresh array, so the map may be changed while iterating it). */
    public int[] keys() {
        int[] out = new int[size];
        if (values != null) {
            int n = 0;
            for (int i = 0; i < values.length; i++) {
                if (values[i] != null) {
                    out[n++] = keys[i];
                }
            }
        }
        return out;
    }

    /** Calls {@code action} with every value, in no particular order; the action must not change the map. */
    @SuppressWarnings("unchecked")
    public void forEachValue(Consumer<? super V> action) {
        if (values == null) {
            return;
        }
        for (Object v : values) {
            if (v != null) {
                action.accept((V) v);
            }
        }
    }

    /** Removes every mapping and releases the tables. */
    public void clear() {
        keys = null;
        values = null;
        size = 0;
    }

    private void resize(int capacity) {
        int[] oldKeys = keys;
        Object[] oldValues = values;
        keys = new int[capacity];
        values = new Object[capacity];
        int mask = capacity - 1;
        for (int j = 0; j < oldValues.length; j++) {
            if (oldValues[j] != null) {
                int i = mix(oldKeys[j]) & mask;
                while (values[i] != null) {
                    i = (i + 1) & mask;
                }
                keys[i] = oldKeys[j];
                values[i] = oldValues[j];
            }
        }
    }

    private static int mix(int key) {
        int h = key * 0x9E3779B9;
        return h ^ (h >>> 16);
    }
}
