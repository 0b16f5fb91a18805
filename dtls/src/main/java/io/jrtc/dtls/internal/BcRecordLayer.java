package io.jrtc.dtls.internal;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.crypto.TlsCipher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state of bctls 1.84's DTLS record layer that {@link ApplicationDataReader} and {@link ApplicationDataWriter}
 * share with it after the handshake: the read and write epochs (cipher, replay window, sequence numbers), the
 * negotiated record versions, and whether it is closed, failed, still handshaking or still holding its last flight
 * for retransmission. bctls keeps these in package-private classes; they are reached through
 * {@link MethodHandles#privateLookupIn} (bctls runs on the class path, whose packages are open).
 *
 * <p>If bctls's internals are not the expected shape (a version other than the pinned one), {@link #of} returns null
 * after one WARN at class load, and every record goes through bctls's own record layer, as before the fast paths:
 * slower, never wrong. {@code ApplicationDataIsReadWithOneCopy} fails then, so an upgrade cannot lose them silently.
 *
 * <p>Owner thread only (after the handshake bctls's record layer is only touched there; the handshake thread
 * published its state before the outcome).
 */
final class BcRecordLayer {

    private static final Logger LOG = LoggerFactory.getLogger(BcRecordLayer.class);
    private static final Handles H = Handles.load();

    private final Object layer;

    private BcRecordLayer(Object layer) {
        this.layer = layer;
    }

    /** The record layer under {@code transport}, or null if bctls's internals cannot be reached. */
    static BcRecordLayer of(DTLSTransport transport) {
        if (H == null) {
            return null;
        }
        try {
            return new BcRecordLayer(H.recordLayer.get(transport));
        } catch (RuntimeException e) {
            LOG.warn("cannot reach bctls's record layer; records go through bctls", e);
            return null;
        }
    }

    static boolean available() {
        return H != null;
    }

    /** Neither closed nor failed nor in a handshake. */
    boolean open() {
        return !(boolean) H.closed.get(layer) && !(boolean) H.failed.get(layer) && !(boolean) H.inHandshake.get(layer);
    }

    /** Whether bctls still keeps its last flight to retransmit (cleared by the first record it reads in the new epoch). */
    boolean retransmitting() {
        return H.retransmit.get(layer) != null;
    }

    Object readEpoch() {
        return H.readEpoch.get(layer);
    }

    /** The write epoch, or null while it is the one bctls resends an old flight in. */
    Object writeEpoch() {
        Object w = H.writeEpoch.get(layer);
        return w == H.retransmitEpoch.get(layer) ? null : w;
    }

    ProtocolVersion readVersion() {
        return (ProtocolVersion) H.readVersion.get(layer);
    }

    ProtocolVersion writeVersion() {
        return (ProtocolVersion) H.writeVersion.get(layer);
    }

    int plaintextLimit() {
        return (int) H.plaintextLimit.get(layer);
    }

    static int epochNumber(Object epoch) {
        try {
            return (int) H.getEpoch.invokeExact(epoch);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static TlsCipher cipher(Object epoch) {
        try {
            return (TlsCipher) H.getCipher.invokeExact(epoch);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** The next write sequence number of {@code epoch}, from the counter bctls's own records use. */
    static long allocateSequenceNumber(Object epoch) throws IOException {
        try {
            return (long) H.allocateSequenceNumber.invokeExact(epoch);
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static boolean shouldDiscard(Object epoch, long seq) {
        try {
            return (boolean) H.shouldDiscard.invokeExact(replayWindow(epoch), seq);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static void reportAuthenticated(Object epoch, long seq) {
        try {
            boolean ignored = (boolean) H.reportAuthenticated.invokeExact(replayWindow(epoch), seq);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static Object replayWindow(Object epoch) throws Throwable {
        return (Object) H.getReplayWindow.invokeExact(epoch);
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

    /** The handles into bctls's package-private record layer. */
    private record Handles(VarHandle recordLayer, VarHandle readEpoch, VarHandle writeEpoch, VarHandle retransmitEpoch,
                           VarHandle readVersion, VarHandle writeVersion, VarHandle retransmit, VarHandle inHandshake,
                           VarHandle closed, VarHandle failed, VarHandle plaintextLimit,
                           MethodHandle getEpoch, MethodHandle getCipher, MethodHandle getReplayWindow,
                           MethodHandle allocateSequenceNumber, MethodHandle shouldDiscard,
                           MethodHandle reportAuthenticated) {

        static Handles load() {
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
                MethodType objToInt = MethodType.methodType(int.class, Object.class);
                return new Handles(
                        t.findVarHandle(DTLSTransport.class, "recordLayer", layer),
                        l.findVarHandle(layer, "readEpoch", epoch),
                        l.findVarHandle(layer, "writeEpoch", epoch),
                        l.findVarHandle(layer, "retransmitEpoch", epoch),
                        l.findVarHandle(layer, "readVersion", ProtocolVersion.class),
                        l.findVarHandle(layer, "writeVersion", ProtocolVersion.class),
                        l.findVarHandle(layer, "retransmit", retransmit),
                        l.findVarHandle(layer, "inHandshake", boolean.class),
                        l.findVarHandle(layer, "closed", boolean.class),
                        l.findVarHandle(layer, "failed", boolean.class),
                        l.findVarHandle(layer, "plaintextLimit", int.class),
                        e.findVirtual(epoch, "getEpoch", MethodType.methodType(int.class)).asType(objToInt),
                        e.findVirtual(epoch, "getCipher", MethodType.methodType(TlsCipher.class))
                                .asType(MethodType.methodType(TlsCipher.class, Object.class)),
                        e.findVirtual(epoch, "getReplayWindow", MethodType.methodType(window))
                                .asType(MethodType.methodType(Object.class, Object.class)),
                        e.findVirtual(epoch, "allocateSequenceNumber", MethodType.methodType(long.class))
                                .asType(MethodType.methodType(long.class, Object.class)),
                        w.findVirtual(window, "shouldDiscard", MethodType.methodType(boolean.class, long.class))
                                .asType(MethodType.methodType(boolean.class, Object.class, long.class)),
                        w.findVirtual(window, "reportAuthenticated", MethodType.methodType(boolean.class, long.class))
                                .asType(MethodType.methodType(boolean.class, Object.class, long.class)));
            } catch (ReflectiveOperationException | RuntimeException e) {
                LOG.warn("bctls's DTLS record layer is not the shape this build expects ({}); records go through bctls, "
                        + "with its copies", e.toString());
                return null;
            }
        }
    }
}
