package io.jrtc.sctp;

import java.nio.ByteBuffer;

/** Self-describing test messages: a 4-byte index, a 4-byte length, then bytes derived from both. */
final class Messages {

    private Messages() {
    }

    static ByteBuffer make(int index, int size) {
        size = Math.max(size, 8);
        ByteBuffer b = ByteBuffer.allocate(size);
        b.putInt(index).putInt(size);
        for (int i = 8; i < size; i++) {
            b.put((byte) (index * 31 + i * 7));
        }
        return b.flip();
    }

    /** The index of an intact message, or -1 if it is damaged or incomplete. */
    static int check(ByteBuffer m) {
        ByteBuffer b = m.duplicate();
        if (b.remaining() < 8) {
            return -1;
        }
        int index = b.getInt();
        int size = b.getInt();
        if (size != m.remaining()) {
            return -1;
        }
        for (int i = 8; i < size; i++) {
            if (b.get() != (byte) (index * 31 + i * 7)) {
                return -1;
            }
        }
        return index;
    }
}
