package io.jrtc.dtls.internal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.tls.DatagramTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link DatagramTransport} BouncyCastle's DTLS runs over: no socket, just queues between the owner thread and
 * BouncyCastle.
 *
 * <p>Two modes:
 * <ul>
 *   <li><b>Handshake (blocking)</b>: the handshake thread blocks in {@link #receive} on a bounded inbox that the
 *       owner fills ({@link #offerHandshakeDatagram}, one copy of each datagram because the caller's buffer is
 *       only valid during its call). Sends are staged and handed over per flight ({@link #flushFlight}).</li>
 *   <li><b>Connected (non-blocking)</b>: after the handshake thread has ended, the owner sets one pending datagram
 *       ({@link #setPending}) and calls BouncyCastle's {@code receive} itself. {@link #receive} hands that datagram
 *       over once (copying it straight from the caller's buffer into BouncyCastle's record buffer: the only copy on
 *       our side) and on the next call throws {@link #WOULD_BLOCK}, an {@link InterruptedIOException} that
 *       {@code DTLSTransport.receive} in bctls 1.84 rethrows without failing the connection (checked in its
 *       bytecode: only {@code TlsFatalAlert}, other {@code IOException}s and {@code RuntimeException}s fail it). So
 *       BouncyCastle's {@code waitMillis} never causes a wait on the owner thread.</li>
 * </ul>
 * Outgoing datagrams are wrapped, not copied: bctls allocates a fresh array for every encoded record.
 */
public final class HandoffTransport implements DatagramTransport {

    private static final Logger LOG = LoggerFactory.getLogger(HandoffTransport.class);

    /** DTLS record header length (RFC 6347 section 4.1). */
    public static final int RECORD_HEADER_LENGTH = 13;
    /** Upper bound of what a record adds to its plaintext: header plus explicit IV, MAC or tag, and CBC padding. */
    public static final int MAX_RECORD_EXPANSION = RECORD_HEADER_LENGTH + 80;
    /** Datagrams buffered while the handshake thread is busy; more are dropped (the peer retransmits). */
    public static final int MAX_HANDSHAKE_INBOX = 128;

    /** Thrown by {@link #receive} in connected mode when the pending datagram has been consumed. */
    public static final InterruptedIOException WOULD_BLOCK = new WouldBlock();

    private static final byte[] POISON = new byte[0];

    private final LinkedBlockingDeque<byte[]> inbox = new LinkedBlockingDeque<>(MAX_HANDSHAKE_INBOX);
    private final Queue<ByteBuffer> outbox = new ConcurrentLinkedQueue<>();
    private final List<ByteBuffer> staged = new ArrayList<>(8); // handshake thread only
    /** The owner's {@code requestDrain}: called on the handshake thread once a flight is in the outbox. */
    private final Runnable requestDrain;
    private final int handshakeSendLimit;
    private final int baseReceiveLimit;

    private volatile boolean connectedMode;
    private volatile boolean aborted;
    private volatile int sendLimit;
    private ByteBuffer pending; // owner thread only, connected mode

    private final boolean serverRole;
    private boolean certificateVerifySeen; // handshake thread only

    public HandoffTransport(int mtu, boolean serverRole, Runnable requestDrain) {
        this.serverRole = serverRole;
        this.requestDrain = requestDrain;
        this.handshakeSendLimit = mtu;
        this.sendLimit = mtu;
        this.baseReceiveLimit = Math.max(1500, mtu + MAX_RECORD_EXPANSION);
    }

    // ---- owner side ----

    /** Queues a copy of a datagram for the handshake thread; false if the inbox is full (dropped). */
    public boolean offerHandshakeDatagram(ByteBuffer datagram) {
        byte[] copy = new byte[datagram.remaining()];
        datagram.get(datagram.position(), copy);
        return inbox.offer(copy);
    }

    /** Switches to connected mode; call on the owner thread once the handshake thread has finished. */
    public void enterConnectedMode() {
        this.sendLimit = handshakeSendLimit + MAX_RECORD_EXPANSION;
        this.connectedMode = true;
    }

    /** Datagrams that arrived after the handshake thread stopped reading. */
    public List<byte[]> drainHandshakeInbox() {
        List<byte[]> left = new ArrayList<>(inbox.size());
        inbox.drainTo(left);
        left.removeIf(d -> d == POISON);
        return left;
    }

    /** Sets the datagram the next {@link #receive} hands over (connected mode); {@code null} clears it. */
    public void setPending(ByteBuffer datagram) {
        this.pending = datagram;
    }

    /** Abandons the handshake: the handshake thread's next (or current) receive fails and its sends are dropped. */
    public void abort() {
        aborted = true;
        inbox.clear();
        inbox.offer(POISON);
    }

    /** Queues a record written outside bctls (connected mode, owner thread), behind what bctls queued before it. */
    public void queueRecord(ByteBuffer record) {
        if (!aborted) {
            outbox.add(record);
        }
    }

    /** The next datagram to send, or null. Safe from any thread. */
    public ByteBuffer pollOutgoing() {
        return outbox.poll();
    }

    // ---- BouncyCastle side ----

    @Override
    public int getReceiveLimit() {
        if (connectedMode) {
            ByteBuffer p = pending;
            return p != null ? Math.max(p.remaining(), RECORD_HEADER_LENGTH) : baseReceiveLimit;
        }
        byte[] head = inbox.peekFirst();
        return head != null ? Math.max(baseReceiveLimit, head.length) : baseReceiveLimit;
    }

    @Override
    public int getSendLimit() {
        return sendLimit;
    }

    @Override
    public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
        if (connectedMode) {
            ByteBuffer p = pending;
            if (p == null) {
                throw WOULD_BLOCK;
            }
            pending = null;
            int n = Math.min(len, p.remaining());
            p.get(p.position(), buf, off, n);
            return n;
        }
        flushFlight();
        if (aborted) {
            throw new IOException("DTLS handshake abandoned by the owner");
        }
        byte[] d;
        try {
            d = waitMillis == 0 ? inbox.takeFirst() : inbox.pollFirst(waitMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("DTLS handshake thread interrupted", e);
        }
        if (d == null) {
            return -1;
        }
        if (d == POISON || aborted) {
            throw new IOException("DTLS handshake abandoned by the owner");
        }
        if (serverRole && !certificateVerifySeen) {
            d = withoutEarlyChangeCipherSpec(d);
            if (d.length == 0) {
                return 0;
            }
        }
        if (d.length > len) {
            // bctls sized its buffer before this datagram arrived: give it back, report an empty read, and the record
            // layer asks getReceiveLimit() again, which now sees this datagram at the head.
            inbox.offerFirst(d);
            return 0;
        }
        System.arraycopy(d, 0, buf, off, d.length);
        return d.length;
    }

    /**
     * Works around a bctls 1.84 DTLS server deadlock. Its record layer switches the read epoch as soon as a
     * ChangeCipherSpec arrives once the ClientKeyExchange has been processed, and from then on drops every epoch-0
     * record. If the client's CertificateVerify (epoch 0, sent between ClientKeyExchange and ChangeCipherSpec) is
     * lost, its retransmission is dropped forever and the handshake hangs until the timeout. So, on the server,
     * a ChangeCipherSpec record is withheld until a CertificateVerify fragment has been passed on; the client's
     * retransmitted flight then carries both, in order. WebRTC always authenticates the client, so a
     * CertificateVerify always comes first. Records are otherwise passed through unchanged.
     */
    byte[] withoutEarlyChangeCipherSpec(byte[] d) {
        int off = 0;
        byte[] out = null;
        int outLen = 0;
        while (off + RECORD_HEADER_LENGTH <= d.length) {
            int type = d[off] & 0xFF;
            int epoch = ((d[off + 3] & 0xFF) << 8) | (d[off + 4] & 0xFF);
            int length = ((d[off + 11] & 0xFF) << 8) | (d[off + 12] & 0xFF);
            int end = Math.min(d.length, off + RECORD_HEADER_LENGTH + length);
            boolean drop = false;
            if (epoch == 0 && type == 22 && length > 0 && off + RECORD_HEADER_LENGTH < d.length
                    && (d[off + RECORD_HEADER_LENGTH] & 0xFF) == 15) {
                certificateVerifySeen = true;
            } else if (epoch == 0 && type == 20 && !certificateVerifySeen) {
                drop = true;
                LOG.debug("withholding a ChangeCipherSpec that arrived before the client's CertificateVerify");
            }
            if (drop && out == null) {
                out = new byte[d.length];
                System.arraycopy(d, 0, out, 0, off);
                outLen = off;
            } else if (!drop && out != null) {
                System.arraycopy(d, off, out, outLen, end - off);
                outLen += end - off;
            }
            off = end;
        }
        if (out == null) {
            return d;
        }
        if (off < d.length) {
            System.arraycopy(d, off, out, outLen, d.length - off);
            outLen += d.length - off;
        }
        return java.util.Arrays.copyOf(out, outLen);
    }

    @Override
    public void send(byte[] buf, int off, int len) {
        if (aborted) {
            return;
        }
        ByteBuffer record = ByteBuffer.wrap(buf, off, len).slice();
        if (connectedMode) {
            outbox.add(record);
        } else {
            staged.add(record);
        }
    }

    /**
     * Handshake thread: hands the records staged since the last call to the owner, packed greedily into datagrams of
     * at most the MTU (RFC 6347 section 4.1.1 allows several records per datagram), then calls {@code requestDrain}
     * once. bctls sends each handshake message as its own record and then waits in {@link #receive}, so flushing there
     * (and when the handshake ends) sends each flight as one or two datagrams instead of five.
     */
    public void flushFlight() {
        if (staged.isEmpty()) {
            return;
        }
        if (!aborted) {
            int i = 0;
            while (i < staged.size()) {
                ByteBuffer first = staged.get(i++);
                int size = first.remaining();
                int j = i;
                while (j < staged.size() && size + staged.get(j).remaining() <= handshakeSendLimit) {
                    size += staged.get(j++).remaining();
                }
                if (j == i) {
                    outbox.add(first);
                } else {
                    ByteBuffer packed = ByteBuffer.allocate(size).put(first);
                    for (; i < j; i++) {
                        packed.put(staged.get(i));
                    }
                    outbox.add(packed.flip());
                }
            }
        }
        staged.clear();
        if (!aborted) {
            try {
                requestDrain.run();
            } catch (RuntimeException e) {
                LOG.warn("DTLS requestDrain callback threw", e);
            }
        }
    }

    @Override
    public void close() {
        // bctls closes after its last alert; the owner keeps draining the outbox (close_notify or a fatal alert).
        if (!connectedMode) {
            flushFlight();
        }
    }

    private static final class WouldBlock extends InterruptedIOException {
        private static final long serialVersionUID = 1L;

        WouldBlock() {
            super("no datagram pending");
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }
}
