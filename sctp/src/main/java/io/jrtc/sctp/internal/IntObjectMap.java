package io.jrtc.sctp.internal;

import java.util.Arrays;

/**
 * An open-addressing hash map from non-negative {@code int} keys to objects, without boxing, for per-stream state
 * that is allocated lazily. Linear probing with backward-shift deletion. Not thread-safe.
 */
public final class IntObjectMap<V> {

    private static final int EMPTY = -1;

    private int[] keys;
    private Object[] values;
    private int size;

    public IntObjectMap() {
        keys = null;
        values = null;
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    @SuppressWarnings("unchecked")
    public V get(int key) {
        if (keys == null) {
            return null;
        }
        int mask = keys.length - 1;
        for (int i = mix(key) & mask; ; i = (i + 1) & mask) {
            int k = keys[i];
            if (k == key) {
                return (V) values[i];
            }
            if (k == EMPTY) {
                return null;
            }
        }
    }

    public void put(int key, V value) {
        if (key < 0) {
            throw new IllegalArgumentException("negative key " + key);
        }
        if (keys == null) {
            keys = new int[8];
            Arrays.fill(keys, EMPTY);
            values = new Object[8];
        } else if ((size + 1) * 2 > keys.length) {
            resize(keys.length * 2);
        }
        int mask = keys.length - 1;
        for (int i = mix(key) & mask; ; i = (i + 1) & mask) {
            int k = keys[i];
            if (k == key) {
                values[i] = value;
                return;
            }
            if (k == EMPTY) {
                keys[i] = key;
                values[i] = value;
                size++;
                return;
            }
        }
    }

    @SuppressWarnings("unchecked")
    public V remove(int key) {
        if (keys == null) {
            return null;
        }
        int mask = keys.length - 1;
        int i = mix(key) & mask;
        while (keys[i] != key) {
            if (keys[i] == EMPTY) {
                return null;
            }
            i = (i + 1) & mask;
        }
        V old = (V) values[i];
        // backward-shift deletion keeps probe chains intact without tombstones
        int j = i;
        while (true) {
            j = (j + 1) & mask;
            if (keys[j] == EMPTY) {
                break;
            }
            int home = mix(keys[j]) & mask;
            boolean movable = (j > i) ? (home <= i || home > j) : (home <= i && home > j);
            if (movable) {
                keys[i] = keys[j];
                values[i] = values[j];
                i = j;
            }
        }
        keys[i] = EMPTY;
        values[i] = null;
        size--;
        if (size == 0) {
            keys = null;
            values = null;
        }
        return old;
    }

    /** The keys present, in no particular order. */
    public int[] keys() {
        int[] out = new int[size];
        if (keys != null) {
            int n = 0;
            for (int k : keys) {
                if (k != EMPTY) {
                    out[n++] = k;
                }
            }
        }
        return out;
    }

    private void resize(int capacity) {
        int[] oldKeys = keys;
        Object[] oldValues = values;
        keys = new int[capacity];
        Arrays.fill(keys, EMPTY);
        values = new Object[capacity];
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != EMPTY) {
                @SuppressWarnings("unchecked")
                V v = (V) oldValues[i];
                put(oldKeys[i], v);
            }
        }
    }

    private static int mix(int key) {
        int h = key * 0x9E3779B9;
        return h ^ (h >>> 16);
    }
}
