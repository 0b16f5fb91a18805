package io.jrtc.dtls.internal;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.ContentType;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.crypto.TlsCipher;
import org.bouncycastle.tls.crypto.TlsDecodeResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the records that carry SCTP after the handshake (application data of the current epoch) straight from the
 * caller's datagram, with bctls's own cipher and replay window, so the bytes are copied once: from the socket's buffer
 * into the array they are decrypted in, which the receiver then owns. bctls's {@code DTLSTransport.receive} copies
 * twice (the datagram into a record buffer it allocates per call, the plaintext into the caller's array).
 *
 * <p>Everything else is left to bctls ({@link #NOT_MINE}): handshake retransmissions, alerts, other epochs, records
 * before bctls has cleared its last flight's retransmission state (the first application record from the peer after
 * the handshake clears it, so it goes through bctls), and any record once bctls has closed or failed. What this does
 * with a record is exactly what bctls 1.84's {@code DTLSRecordLayer.processRecord} does with an application-data
 * record (replay check, version check, decrypt, replay window update, plaintext limit), minus the copies.
 *
 * <p>bctls keeps that state in package-private classes, reached here through {@link MethodHandles#privateLookupIn}
 * (bctls runs on the class path, whose packages are open). If bctls's internals change shape (a version other than
 * the pinned 1.84), the lookup fails once at class load, one WARN says so, and every record goes through bctls as
 * before: slower, never wrong. {@code ApplicationDataReaderTest} fails in that case, so an upgrade cannot lose it
 * silently.
 *
 * <p>Owner thread only, like {@code DtlsEndpoint} after the handshake (bctls's record layer is then only touched
 * there; the handshake thread published its state before the outcome).
 */
public final class ApplicationDataReader {

    private static final Logger LOG = LoggerFactory.getLogger(ApplicationDataReader.class);

    /** {@link #read}: the record is not one this reader handles; hand it to bctls. */
    public static final int NOT_MINE = -2;
    /** {@link #read}: the record was a replay or failed authentication, and was discarded (RFC 6347 4.1.2.7). */
    public static final int DISCARDED = -1;
    /** {@link #read}: the record was decrypted; its plaintext is {@link #plaintext()}. */
    public static final int DELIVERED = 0;

    private static final int HEADER = HandoffTransport.RECORD_HEADER_LENGTH;

    private static final Access ACCESS = Access.load();

    private final Object recordLayer;
    private ByteBuffer plaintext;
    private long discarded;

    private ApplicationDataReader(Object recordLayer) {
        this.recordLayer = recordLayer;
    }

    /** A reader over {@code transport}'s record layer, or {@code null} if bctls's internals could not be reached. */
    public static ApplicationDataReader of(DTLSTransport transport) {
        if (ACCESS == null) {
            return null;
        }
        try {
            return new ApplicationDataReader(ACCESS.recordLayer.get(transport));
        } catch (RuntimeException e) {
            LOG.warn("cannot reach bctls's record layer; application data goes through bctls", e);
            return null;
        }
    }

    /** Whether the fast path is available with this bctls (false: every record goes through bctls). */
    public static boolean available() {
        return ACCESS != null;
    }

    /**
     * Handles the record at {@code at} in {@code datagram} (absolute index; its header and its {@code fragmentLength}
     * bytes of fragment lie within the datagram). Returns {@link #DELIVERED} (then {@link #plaintext()} is a view of a
     * fresh array the caller owns), {@link #DISCARDED}, or {@link #NOT_MINE}. Neither the datagram nor its position is
     * changed. Throws only what bctls's cipher raises other than {@code bad_record_mac}, which it never does for
     * AEAD suites; the caller then fails the association as bctls would.
     */
    public int read(ByteBuffer datagram, int at, int fragmentLength) throws IOException {
        plaintext = null;
        if ((datagram.get(at) & 0xFF) != ContentType.application_data) {
            return NOT_MINE;
        }
        Object layer = recordLayer;
        if ((boolean) ACCESS.closed.get(layer) || (boolean) ACCESS.failed.get(layer)
                || (boolean) ACCESS.inHandshake.get(layer) || ACCESS.retransmit.get(layer) != null) {
            return NOT_MINE;
        }
        Object epoch = ACCESS.readEpoch.get(layer);
        ProtocolVersion readVersion = (ProtocolVersion) ACCESS.readVersion.get(layer);
        int recordEpoch = ((datagram.get(at + 3) & 0xFF) << 8) | (datagram.get(at + 4) & 0xFF);
        if (epoch == null || readVersion == null || recordEpoch != epochNumber(epoch)) {
            return NOT_MINE;
        }
        if ((datagram.get(at + 1) & 0xFF) != readVersion.getMajorVersion()
                || (datagram.get(at + 2) & 0xFF) != readVersion.getMinorVersion()) {
            discarded++; // bctls drops a record whose version differs from the negotiated one
            return DISCARDED;
        }
        long seq = 0;
        for (int i = 5; i < 11; i++) {
            seq = (seq << 8) | (datagram.get(at + i) & 0xFF);
        }
        Object window = replayWindow(epoch);
        if (shouldDiscard(window, seq)) {
            discarded++;
            return DISCARDED;
        }
        byte[] record = new byte[fragmentLength];
        datagram.get(at + HEADER, record, 0, fragmentLength);
        TlsCipher cipher = cipher(epoch);
        long macSeq = ((recordEpoch & 0xFFFFL) << 48) | seq;
        TlsDecodeResult decoded;
        try {
            decoded = cipher.decodeCiphertext(macSeq, ContentType.application_data, readVersion, record, 0, fragmentLength);
        } catch (TlsFatalAlert e) {
            if (e.getAlertDescription() == AlertDescription.bad_record_mac) {
                discarded++;
                return DISCARDED;
            }
            throw e;
        }
        reportAuthenticated(window, seq);
        if (decoded.len > (int) ACCESS.plaintextLimit.get(layer) || decoded.contentType != ContentType.application_data) {
            discarded++;
            return DISCARDED;
        }
        plaintext = ByteBuffer.wrap(decoded.buf, decoded.off, decoded.len);
        return DELIVERED;
    }

    /** The last delivered record's plaintext: a view of an array nothing else refers to. */
    public ByteBuffer plaintext() {
        return plaintext;
    }

    /** Records this reader discarded (replays, failed authentication, wrong version, over the plaintext limit). */
    public long discarded() {
        return discarded;
    }

    private static int epochNumber(Object epoch) {
        try {
            return (int) ACCESS.getEpoch.invoke(epoch);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static TlsCipher cipher(Object epoch) {
        try {
            return (TlsCipher) ACCESS.getCipher.invoke(epoch);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static Object replayWindow(Object epoch) {
        try {
            return ACCESS.getReplayWindow.invoke(epoch);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static boolean shouldDiscard(Object window, long seq) {
        try {
            return (boolean) ACCESS.shouldDiscard.invoke(window, seq);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static void reportAuthenticated(Object window, long seq) {
        try {
            ACCESS.reportAuthenticated.invoke(window, seq);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException("bctls record layer access failed", t);
    }

    /** The handles into bctls 1.84's package-private record layer. */
    private record Access(VarHandle recordLayer, VarHandle readEpoch, VarHandle readVersion, VarHandle retransmit,
                          VarHandle inHandshake, VarHandle closed, VarHandle failed, VarHandle plaintextLimit,
                          MethodHandle getEpoch, MethodHandle getCipher, MethodHandle getReplayWindow,
                          MethodHandle shouldDiscard, MethodHandle reportAuthenticated) {

        static Access load() {
            try {
                ClassLoader cl = DTLSTransport.class.getClassLoader();
                Class<?> layer = Class.forName("org.bouncycastle.tls.DTLSRecordLayer", false, cl);
                Class<?> epoch = Class.forName("org.bouncycastle.tls.DTLSEpoch", false, cl);
                Class<?> window = Class.forName("org.bouncycastle.tls.DTLSReplayWindow", false, cl);
                Class<?> retransmit = Class.forName("org.bouncycastle.tls.DTLSHandshakeRetransmit", false, cl);
                MethodHandles.Lookup lookup = MethodHandles.lookup();
                MethodHandles.Lookup t = MethodHandles.privateLookupIn(DTLSTransport.class, lookup);
                MethodHandles.Lookup l = MethodHandles.privateLookupIn(layer, lookup);
                MethodHandles.Lookup e = MethodHandles.privateLookupIn(epoch, lookup);
                MethodHandles.Lookup w = MethodHandles.privateLookupIn(window, lookup);
                Access a = new Access(
                        t.findVarHandle(DTLSTransport.class, "recordLayer", layer),
                        l.findVarHandle(layer, "readEpoch", epoch),
                        l.findVarHandle(layer, "readVersion", ProtocolVersion.class),
                        l.findVarHandle(layer, "retransmit", retransmit),
                        l.findVarHandle(layer, "inHandshake", boolean.class),
                        l.findVarHandle(layer, "closed", boolean.class),
                        l.findVarHandle(layer, "failed", boolean.class),
                        l.findVarHandle(layer, "plaintextLimit", int.class),
                        e.findVirtual(epoch, "getEpoch", MethodType.methodType(int.class))
                                .asType(MethodType.methodType(int.class, Object.class)),
                        e.findVirtual(epoch, "getCipher", MethodType.methodType(TlsCipher.class))
                                .asType(MethodType.methodType(TlsCipher.class, Object.class)),
                        e.findVirtual(epoch, "getReplayWindow", MethodType.methodType(window))
                                .asType(MethodType.methodType(Object.class, Object.class)),
                        w.findVirtual(window, "shouldDiscard", MethodType.methodType(boolean.class, long.class))
                                .asType(MethodType.methodType(boolean.class, Object.class, long.class)),
                        w.findVirtual(window, "reportAuthenticated", MethodType.methodType(boolean.class, long.class))
                                .asType(MethodType.methodType(boolean.class, Object.class, long.class)));
                return a;
            } catch (ReflectiveOperationException | RuntimeException e) {
                LOG.warn("bctls's DTLS record layer is not the shape this build expects ({}); application data goes "
                        + "through bctls, with its two copies", e.toString());
                return null;
            }
        }
    }
}
