package io.jrtc.sctp;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.HexFormat;
import java.util.SplittableRandom;

/**
 * Feeds a stream of messages of mixed sizes into one association as the send buffer allows, and digests what the
 * other side receives, in order. Used by the transfer tests.
 */
final class TransferHarness {

    final SctpPair pair;
    final int streamId;
    final SendOptions options;
    final long totalBytes;
    final SplittableRandom sizes;
    final int minSize;
    final int maxSize;

    long queuedBytes;
    int queuedMessages;
    long receivedBytes;
    int receivedMessages;
    final MessageDigest sent = sha256();
    final MessageDigest received = sha256();
    final ArrayDeque<byte[]> expected = new ArrayDeque<>();
    boolean outOfOrder;

    TransferHarness(SctpPair pair, int streamId, SendOptions options, long totalBytes, int minSize, int maxSize, long seed) {
        this.pair = pair;
        this.streamId = streamId;
        this.options = options;
        this.totalBytes = totalBytes;
        this.sizes = new SplittableRandom(seed);
        this.minSize = minSize;
        this.maxSize = maxSize;
        pair.onEventB(e -> {
            if (e instanceof SctpEvent.MessageReceived m) {
                byte[] b = new byte[m.data().remaining()];
                m.data().get(b);
                received.update(b);
                receivedBytes += b.length;
                receivedMessages++;
            }
        });
        pair.afterStep(this::feed);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A size between min and max, log-uniform so that small and large messages both appear often. */
    int nextSize() {
        double lo = Math.log(minSize);
        double hi = Math.log(maxSize);
        return (int) Math.max(minSize, Math.min(maxSize, Math.round(Math.exp(lo + sizes.nextDouble() * (hi - lo)))));
    }

    void feed() {
        SctpAssociation a = pair.a;
        while (queuedBytes < totalBytes && a.state() == SctpState.ESTABLISHED) {
            int size = (int) Math.min(nextSizePeek(), totalBytes - queuedBytes);
            if (a.bufferedAmount() + size > a.config().maxSendBuffer() / 2) {
                return;
            }
            byte[] msg = new byte[size];
            sizes.nextBytes(msg);
            a.send(pair.now(), streamId, 53, ByteBuffer.wrap(msg), options);
            sent.update(msg);
            queuedBytes += size;
            queuedMessages++;
            pending = -1;
        }
    }

    private int pending = -1;

    private int nextSizePeek() {
        if (pending < 0) {
            pending = nextSize();
        }
        return pending;
    }

    boolean done() {
        return receivedBytes >= totalBytes;
    }

    String sentDigest() {
        return hex(sent);
    }

    String receivedDigest() {
        return hex(received);
    }

    private static String hex(MessageDigest d) {
        try {
            return HexFormat.of().formatHex(((MessageDigest) d.clone()).digest());
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
    }
}
