package io.jrtc.dtls.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.ContentType;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.crypto.TlsCipher;
import org.bouncycastle.tls.crypto.TlsDecodeResult;

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
 * <p>bctls's state is reached through {@link BcRecordLayer}; without it every record goes through bctls.
 *
 * <p>Owner thread only, like {@code DtlsEndpoint} after the handshake (bctls's record layer is then only touched
 * there; the handshake thread published its state before the outcome).
 */
public final class ApplicationDataReader {

    /** {@link #read}: the record is not one this reader handles; hand it to bctls. */
    public static final int NOT_MINE = -2;
    /** {@link #read}: the record was a replay or failed authentication, and was discarded (RFC 6347 4.1.2.7). */
    public static final int DISCARDED = -1;
    /** {@link #read}: the record was decrypted; its plaintext is {@link #plaintext()}. */
    public static final int DELIVERED = 0;

    private static final int HEADER = HandoffTransport.RECORD_HEADER_LENGTH;

    private final BcRecordLayer layer;
    private ByteBuffer plaintext;
    private long discarded;

    private ApplicationDataReader(BcRecordLayer layer) {
        this.layer = layer;
    }

    /** A reader over {@code transport}'s record layer, or {@code null} if bctls's internals could not be reached. */
    public static ApplicationDataReader of(DTLSTransport transport) {
        BcRecordLayer l = BcRecordLayer.of(transport);
        return l == null ? null : new ApplicationDataReader(l);
    }

    BcRecordLayer layer() {
        return layer;
    }

    /** Whether the fast path is available with this bctls (false: every record goes through bctls). */
    public static boolean available() {
        return BcRecordLayer.available();
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
        if (!layer.open() || layer.retransmitting()) {
            return NOT_MINE;
        }
        Object epoch = layer.readEpoch();
        ProtocolVersion readVersion = layer.readVersion();
        int recordEpoch = ((datagram.get(at + 3) & 0xFF) << 8) | (datagram.get(at + 4) & 0xFF);
        if (epoch == null || readVersion == null || recordEpoch != BcRecordLayer.epochNumber(epoch)) {
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
        if (BcRecordLayer.shouldDiscard(epoch, seq)) {
            discarded++;
            return DISCARDED;
        }
        byte[] record = new byte[fragmentLength];
        datagram.get(at + HEADER, record, 0, fragmentLength);
        TlsCipher cipher = BcRecordLayer.cipher(epoch);
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
        BcRecordLayer.reportAuthenticated(epoch, seq);
        if (decoded.len > layer.plaintextLimit() || decoded.contentType != ContentType.application_data) {
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
}
