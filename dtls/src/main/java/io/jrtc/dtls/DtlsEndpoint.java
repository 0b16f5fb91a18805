package io.jrtc.dtls;

import io.jrtc.common.DtlsRole;
import io.jrtc.common.DatagramCore;
import io.jrtc.common.ErrorKind;
import io.jrtc.common.Timer;
import io.jrtc.dtls.internal.Alerts;
import io.jrtc.dtls.internal.ApplicationDataReader;
import io.jrtc.dtls.internal.ApplicationDataWriter;
import io.jrtc.dtls.internal.HandoffTransport;
import io.jrtc.dtls.internal.HandshakeOutcome;
import io.jrtc.dtls.internal.HandshakeTask;
import io.jrtc.dtls.internal.RecordVersionFilter;
import io.jrtc.dtls.internal.Session;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsFatalAlertReceived;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One DTLS 1.2 association for WebRTC (RFC 6347, RFC 8827 section 6.5, RFC 5763, RFC 5764), in the sans-IO shape as
 * far as BouncyCastle allows.
 *
 * <h2>Use</h2>
 * Construct with the role from {@code a=setup} ({@link DtlsRole#fromRemoteSetup}), our certificate and the
 * fingerprints from the remote {@code a=fingerprint} lines; {@link #start(long)}; feed every datagram whose first
 * byte is 20..63 (RFC 7983) to {@link #handleInput}; after every call and whenever {@code requestDrain} fires, drain
 * {@link #pollTransmit()} to the socket and {@link #pollEvent()} to the application; call {@link #handleTimeout}
 * at {@link #pollTimeout()}. {@link DtlsEvent.Connected} carries the SRTP keys; then {@link #send} and
 * {@link DtlsEvent.ApplicationData} carry SCTP packets.
 *
 * <h2>Threading contract</h2>
 * Every public method must be called from one owner thread (a Netty event loop, later); the endpoint itself never
 * locks and never blocks that thread. BouncyCastle's handshake is blocking, so it runs as one task on
 * {@link DtlsConfig#handshakeExecutor()} (a virtual thread by default) that ends with the handshake. While it runs,
 * the datagrams it sends are queued thread-safely and {@code requestDrain} is invoked <em>from the handshake
 * thread</em> (also once when the handshake ends); {@code requestDrain} must only schedule the owner to drain this
 * endpoint (e.g. {@code eventLoop.execute(...)}), never call into it directly. After the handshake, receiving and
 * sending run synchronously on the owner thread without blocking and without any other thread.
 *
 * <h2>Time</h2>
 * The owner's clock ({@code now}, nanoseconds, any base) drives the handshake deadline; time going backwards is
 * ignored. BouncyCastle's retransmission timers run on the system clock inside the handshake thread; that is the one
 * part of this driver that is not sans-IO, because bctls 1.84 has no non-blocking DTLS (bc-java #443, #1552).
 *
 * <h2>Copies</h2>
 * Inbound after the handshake: an application-data record of the current epoch is copied once, from the caller's
 * buffer into a fresh array of its own length, decrypted there in place by bctls's cipher, and handed over as a view
 * of that array ({@link DtlsEvent.ApplicationData}; the receiver owns it). Other records (handshake retransmissions,
 * alerts) go through bctls's record layer, which copies twice. Outbound: {@link #send} passes a heap buffer's backing
 * array straight to bctls (a direct buffer is copied once); bctls encrypts into a fresh array which
 * {@link #pollTransmit()} wraps without copying. During the handshake each inbound datagram is copied once more, into
 * the handshake thread's queue.
 */
public final class DtlsEndpoint implements DatagramCore {

    private static final Logger LOG = LoggerFactory.getLogger(DtlsEndpoint.class);
    private static final AtomicLong IDS = new AtomicLong();

    /** Upper bound on what one record adds to its payload on the wire (header, explicit nonce or IV, tag or MAC, padding). */
    public static final int MAX_RECORD_EXPANSION = HandoffTransport.MAX_RECORD_EXPANSION;

    private static final byte[] ZERO_LENGTH = new byte[1];

    private final DtlsConfig config;
    private final DtlsRole role;
    private final DtlsCertificate local;
    /** The owner's {@code requestDrain}, called from the handshake thread. */
    private final Runnable requestDrain;
    private final Session session;
    private final HandoffTransport transport;
    private final ArrayDeque<DtlsEvent> events = new ArrayDeque<>(4);
    private final String logId;

    private volatile HandshakeOutcome outcome;

    private DtlsState state = DtlsState.NEW;
    private DTLSTransport dtls;
    /** Decrypts application data with one copy once connected; null: bctls reads everything. */
    private ApplicationDataReader reader;
    /** Encrypts gathered application data without joining it first (AES-GCM suites); null: bctls writes it all. */
    private ApplicationDataWriter writer;
    private long lastNow = Long.MIN_VALUE;
    /** Runs while {@link DtlsState#CONNECTING}: the handshake fails when it expires. */
    private final Timer handshakeTimer = new Timer("dtls-handshake", Timer.Backoff.FIXED, Long.MAX_VALUE, 0);
    private int maxPayload;
    private long droppedDatagrams;
    private long recordsReceived;
    private long recordsSent;

    /**
     * An endpoint that has not started its handshake.
     *
     * @param config         settings
     * @param role           CLIENT sends the ClientHello; see {@link DtlsRole#fromRemoteSetup}
     * @param local          our certificate and key
     * @param expectedRemote fingerprints from the remote description; the peer's certificate must match one of the
     *                       strongest-hash ones (RFC 8122 section 5). Must not be empty
     * @param requestDrain   the owner's {@code requestDrain}, invoked from the handshake thread when output or the
     *                       handshake outcome is ready; it must hand over to the owner thread, not call into this
     *                       endpoint
     */
    public DtlsEndpoint(DtlsConfig config, DtlsRole role, DtlsCertificate local, List<Fingerprint> expectedRemote,
                        Runnable requestDrain) {
        this.config = Objects.requireNonNull(config, "config");
        this.role = Objects.requireNonNull(role, "role");
        this.local = Objects.requireNonNull(local, "local");
        this.requestDrain = Objects.requireNonNull(requestDrain, "requestDrain");
        Objects.requireNonNull(expectedRemote, "expectedRemote");
        if (expectedRemote.isEmpty()) {
            throw new IllegalArgumentException("expectedRemote must hold at least one fingerprint: WebRTC authenticates the peer by it");
        }
        this.logId = "dtls-" + IDS.incrementAndGet() + "/" + (role == DtlsRole.CLIENT ? "client" : "server");
        this.session = new Session(config, role, local, expectedRemote, logId);
        this.transport = new HandoffTransport(config.mtu(), role == DtlsRole.SERVER, requestDrain);
        this.maxPayload = config.mtu();
    }

    /** Starts the handshake: a CLIENT sends its ClientHello, a SERVER waits for one. Only valid in {@link DtlsState#NEW}. */
    public void start(long now) {
        if (state != DtlsState.NEW) {
            throw new IllegalStateException(logId + ": start() in state " + state);
        }
        advance(now);
        state = DtlsState.CONNECTING;
        // Saturated so that a clock base near Long.MAX_VALUE cannot wrap the deadline (nor make it NO_TIMEOUT).
        handshakeTimer.start(lastNow, saturatedAdd(lastNow, config.handshakeTimeout().toNanos()) - lastNow);
        try {
            config.handshakeExecutor().execute(new HandshakeTask(session, transport, this::handshakeDone));
        } catch (RejectedExecutionException e) {
            fail(ErrorKind.RESOURCE_EXHAUSTED, "handshake executor refused the task: " + e.getMessage());
        }
    }

    /** Called on the handshake thread, once. */
    private void handshakeDone(HandshakeOutcome o) {
        outcome = o;
        try {
            requestDrain.run();
        } catch (RuntimeException e) {
            LOG.warn("{}: requestDrain callback threw", logId, e);
        }
    }

    /**
     * A DTLS datagram arrived (first byte 20..63, RFC 7983). Read between position and limit during this call only;
     * the position is not moved. Anything that is not DTLS, arrives after the end, or overflows the handshake queue
     * is counted in {@link #droppedDatagrams()}; records that fail authentication are dropped by bctls.
     */
    @Override
    public void handleInput(long now, ByteBuffer datagram) {
        advance(now);
        applyHandshakeOutcome();
        if (!datagram.hasRemaining()) {
            droppedDatagrams++;
            return;
        }
        int first = datagram.get(datagram.position()) & 0xFF;
        if (first < 20 || first > 63) {
            droppedDatagrams++;
            return;
        }
        datagram = RecordVersionFilter.acceptedRecords(datagram);
        if (datagram == null) {
            droppedDatagrams++;
            return;
        }
        switch (state) {
            case NEW, CONNECTING -> {
                if (!transport.offerHandshakeDatagram(datagram)) {
                    droppedDatagrams++;
                }
            }
            case CONNECTED -> receiveConnected(datagram);
            case CLOSED, FAILED -> droppedDatagrams++;
        }
    }

    /** Fires the handshake deadline when due. */
    @Override
    public void handleTimeout(long now) {
        advance(now);
        applyHandshakeOutcome();
        if (state == DtlsState.CONNECTING && handshakeTimer.expired(lastNow)) {
            transport.abort();
            fail(ErrorKind.TIMEOUT, "DTLS handshake did not complete within " + config.handshakeTimeout().toMillis() + " ms");
        }
    }

    /** The next datagram to send, or empty. The caller owns the buffer. */
    @Override
    public Optional<ByteBuffer> pollTransmit() {
        applyHandshakeOutcome();
        return Optional.ofNullable(transport.pollOutgoing());
    }

    /** The next event, or empty. */
    public Optional<DtlsEvent> pollEvent() {
        applyHandshakeOutcome();
        return Optional.ofNullable(events.poll());
    }

    /** The handshake deadline while connecting, else {@link #NO_TIMEOUT}. */
    @Override
    public long pollTimeout() {
        applyHandshakeOutcome();
        return state == DtlsState.CONNECTING ? handshakeTimer.deadline() : NO_TIMEOUT;
    }

    /**
     * Encrypts {@code applicationData} (position to limit) into one record and queues it; the buffer's position is
     * moved to its limit.
     *
     * @throws IllegalStateException    unless {@link DtlsState#CONNECTED}
     * @throws RecordTooLargeException  if more than {@link #maxApplicationPayload()} bytes
     */
    public void send(ByteBuffer applicationData) {
        int len = applicationData.remaining();
        checkSendable(len);
        byte[] array;
        int off;
        if (len == 0) {
            array = ZERO_LENGTH; // bctls rejects offset 0 into an empty array
            off = 0;
        } else if (applicationData.hasArray() && !applicationData.isReadOnly()) {
            array = applicationData.array();
            off = applicationData.arrayOffset() + applicationData.position();
        } else {
            array = new byte[len];
            applicationData.get(applicationData.position(), array);
            off = 0;
        }
        try {
            dtls.send(array, off, len);
            recordsSent++;
            applicationData.position(applicationData.limit());
        } catch (IOException e) {
            LOG.warn("{}: sending a record failed", logId, e);
            fail(ErrorKind.PROTOCOL_VIOLATION, "sending a record failed: " + e.getMessage());
            throw new IllegalStateException(logId + ": record layer failed while sending", e);
        }
    }

    /**
     * Encrypts {@code plaintext}'s ranges, in order, into one record and queues it, without first copying them
     * together when the suite is AES-GCM ({@code ApplicationDataWriter}); other suites get one contiguous copy for
     * bctls. The ranges are read during this call only.
     *
     * @throws IllegalStateException    unless {@link DtlsState#CONNECTED}
     * @throws RecordTooLargeException  if more than {@link #maxApplicationPayload()} bytes
     */
    public void send(io.jrtc.common.Gather plaintext) {
        checkSendable(plaintext.length());
        ApplicationDataWriter w = writer;
        if (w == null) {
            send(plaintext.flatten());
            return;
        }
        ByteBuffer record;
        try {
            record = w.write(plaintext);
        } catch (IOException e) {
            LOG.warn("{}: sending a record failed", logId, e);
            fail(ErrorKind.PROTOCOL_VIOLATION, "sending a record failed: " + e.getMessage());
            throw new IllegalStateException(logId + ": record layer failed while sending", e);
        }
        if (record == null) {
            send(plaintext.flatten());
            return;
        }
        transport.queueRecord(record);
        recordsSent++;
    }

    /** The checks both {@code send}s make: connected, and no more than {@link #maxApplicationPayload()} bytes. */
    private void checkSendable(int len) {
        applyHandshakeOutcome();
        if (state != DtlsState.CONNECTED) {
            throw new IllegalStateException(logId + ": cannot send application data in state " + state);
        }
        if (len > maxPayload) {
            throw new RecordTooLargeException(len, maxPayload);
        }
    }

    /**
     * Closes: when connected, queues a close_notify alert (RFC 5246 section 7.2.1); while connecting, abandons the
     * handshake. No event follows. Idempotent.
     */
    public void close() {
        applyHandshakeOutcome();
        switch (state) {
            case NEW -> state = DtlsState.CLOSED;
            case CONNECTING -> {
                transport.abort();
                handshakeTimer.stop();
                state = DtlsState.CLOSED;
            }
            case CONNECTED -> {
                state = DtlsState.CLOSED;
                try {
                    dtls.close();
                } catch (IOException e) {
                    LOG.debug("{}: close_notify could not be sent", logId, e);
                }
            }
            case CLOSED, FAILED -> {
            }
        }
    }

    /** Current state. */
    public DtlsState state() {
        applyHandshakeOutcome();
        return state;
    }

    /** Our role. */
    public DtlsRole role() {
        return role;
    }

    /** Our certificate's SHA-256 fingerprint, for {@code a=fingerprint}. */
    public Fingerprint localFingerprint() {
        return local.fingerprint();
    }

    /**
     * Largest application payload one {@link #send} accepts: the configured MTU (so an SCTP packet sized to the
     * MTU always fits one record), or less if the negotiated suite's record limit is lower.
     */
    public int maxApplicationPayload() {
        applyHandshakeOutcome();
        return maxPayload;
    }

    /** Datagrams dropped: not DTLS, arrived after close/failure, or overflowed the handshake queue. */
    public long droppedDatagrams() {
        return droppedDatagrams;
    }

    /** Application records delivered as {@link DtlsEvent.ApplicationData}. */
    public long recordsReceived() {
        return recordsReceived;
    }

    /** The one-copy reader of application data, or null if bctls reads everything (tests). */
    ApplicationDataReader reader() {
        return reader;
    }

    /** The gathering writer, or null (tests). */
    ApplicationDataWriter writer() {
        return writer;
    }

    /** Tests: every record from now on goes through bctls's own record layer, both ways. */
    void recordsThroughBouncyCastleOnly() {
        reader = null;
        writer = null;
    }

    /** Application records sent. */
    public long recordsSent() {
        return recordsSent;
    }

    @Override
    public String toString() {
        return logId + "[" + state + "]";
    }

    // ---- internals (owner thread) ----

    private void advance(long now) {
        if (now > lastNow) {
            lastNow = now;
        }
    }

    private static long saturatedAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE - 1 : r;
    }

    /**
     * Owner thread: applies the handshake outcome once the handshake thread has published it (every public method
     * calls this first, so each state change and event happens on the owner thread).
     */
    private void applyHandshakeOutcome() {
        if (state != DtlsState.CONNECTING) {
            return;
        }
        HandshakeOutcome o = outcome;
        if (o == null) {
            return;
        }
        switch (o) {
            case HandshakeOutcome.Failed f -> fail(f.kind(), f.reason());
            case HandshakeOutcome.Succeeded s -> connected(s.transport());
        }
    }

    private void connected(DTLSTransport t) {
        if (session.peerCertificateDer() == null || session.matchedFingerprint() == null) {
            // bctls completed without showing us the peer's certificate: never accept that.
            try {
                t.close();
            } catch (IOException e) {
                LOG.debug("{}: close after missing certificate failed", logId, e);
            }
            fail(ErrorKind.AUTHENTICATION, "handshake completed without a verified peer certificate");
            return;
        }
        dtls = t;
        reader = ApplicationDataReader.of(t);
        writer = ApplicationDataWriter.of(reader, session);
        transport.enterConnectedMode();
        handshakeTimer.stop();
        state = DtlsState.CONNECTED;
        try {
            maxPayload = Math.min(config.mtu(), t.getSendLimit());
        } catch (IOException e) {
            maxPayload = config.mtu();
        }
        events.add(new DtlsEvent.Connected(session.srtp(), session.peerCertificateDer(), session.matchedFingerprint(),
                session.cipherSuite()));
        LOG.debug("{}: connected with {}, srtp={}, ems={}", logId, session.cipherSuite(), session.negotiatedProfile(),
                session.extendedMasterSecret());
        for (byte[] d : transport.drainHandshakeInbox()) {
            if (state != DtlsState.CONNECTED) {
                break;
            }
            receiveConnected(ByteBuffer.wrap(d));
        }
    }

    private void fail(ErrorKind kind, String reason) {
        if (state == DtlsState.FAILED) {
            return;
        }
        state = DtlsState.FAILED;
        handshakeTimer.stop();
        events.add(new DtlsEvent.Failed(kind, reason, session.refusedCertificate()));
        LOG.warn("{}: DTLS failed ({}): {}", logId, kind, reason);
    }

    /**
     * After the handshake: application-data records of the current epoch are decrypted by {@link #reader} (one copy);
     * everything else (and everything, without a reader) goes to bctls, one record at a time once the reader has
     * taken one out of the datagram.
     */
    private void receiveConnected(ByteBuffer datagram) {
        ApplicationDataReader r = reader;
        if (r == null) {
            receiveWithBouncyCastle(datagram);
            return;
        }
        int p = datagram.position();
        int end = datagram.limit();
        int handedFrom = p; // records from here to p not yet handled: bctls gets them as one datagram
        while (p + HandoffTransport.RECORD_HEADER_LENGTH <= end && state == DtlsState.CONNECTED) {
            int len = ((datagram.get(p + 11) & 0xFF) << 8) | (datagram.get(p + 12) & 0xFF);
            int recordEnd = p + HandoffTransport.RECORD_HEADER_LENGTH + len;
            if (recordEnd > end) {
                break;
            }
            int outcome;
            try {
                outcome = r.read(datagram, p, len);
            } catch (IOException e) {
                outcome = ApplicationDataReader.NOT_MINE; // bctls raises the same alert and fails as it always has
            }
            if (outcome == ApplicationDataReader.NOT_MINE) {
                p = recordEnd;
                continue;
            }
            if (handedFrom < p) {
                receiveWithBouncyCastle(datagram.slice(handedFrom, p - handedFrom));
            }
            if (outcome == ApplicationDataReader.DELIVERED && state == DtlsState.CONNECTED) {
                recordsReceived++;
                events.add(new DtlsEvent.ApplicationData(r.plaintext()));
            }
            p = recordEnd;
            handedFrom = p;
        }
        if (handedFrom < end && state == DtlsState.CONNECTED) {
            receiveWithBouncyCastle(handedFrom == datagram.position() ? datagram : datagram.slice(handedFrom, end - handedFrom));
        }
    }

    private void receiveWithBouncyCastle(ByteBuffer datagram) {
        int size = datagram.remaining();
        transport.setPending(datagram);
        try {
            // A fresh array per record, never written again: the receiver owns it (peer hands it to SCTP as owned
            // input, which keeps views of it until a fragmented message is reassembled). DeliveredRecordsAreNeverReused.
            byte[] out = new byte[size];
            int n;
            try {
                n = dtls.receive(out, 0, size, 1);
            } catch (InterruptedIOException wouldBlock) {
                n = -1;
            }
            if (n >= 0) {
                deliver(out, n);
            }
            if (carriesSeveralRecords(datagram)) {
                while (state == DtlsState.CONNECTED) {
                    byte[] more = new byte[size];
                    int m = dtls.receivePending(more, 0, size);
                    if (m < 0) {
                        break;
                    }
                    deliver(more, m);
                }
            }
            if (session.closeNotifyReceived() && state == DtlsState.CONNECTED) {
                state = DtlsState.CLOSED;
                events.add(new DtlsEvent.Closed());
                LOG.debug("{}: peer sent close_notify", logId);
            }
        } catch (TlsFatalAlertReceived e) {
            short d = e.getAlertDescription();
            fail(Alerts.kindOfReceived(d), "peer sent fatal alert " + Alerts.describe(d));
        } catch (TlsFatalAlert e) {
            short d = e.getAlertDescription();
            fail(Alerts.kindOfRaised(d), "record layer raised alert " + Alerts.describe(d));
        } catch (IOException e) {
            fail(ErrorKind.PROTOCOL_VIOLATION, "record layer failed: " + e);
        } finally {
            transport.setPending(null);
        }
    }

    private static boolean carriesSeveralRecords(ByteBuffer d) {
        int p = d.position();
        if (d.remaining() < HandoffTransport.RECORD_HEADER_LENGTH) {
            return false;
        }
        int len = ((d.get(p + 11) & 0xFF) << 8) | (d.get(p + 12) & 0xFF);
        return HandoffTransport.RECORD_HEADER_LENGTH + len < d.remaining();
    }

    private void deliver(byte[] buf, int n) {
        recordsReceived++;
        events.add(new DtlsEvent.ApplicationData(ByteBuffer.wrap(buf, 0, n)));
    }
}
