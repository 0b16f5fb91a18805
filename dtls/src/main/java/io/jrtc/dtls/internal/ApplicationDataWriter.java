package io.jrtc.dtls.internal;

import io.jrtc.common.Gather;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.tls.ContentType;
import org.bouncycastle.tls.ProtocolVersion;

/**
 * Encrypts application data of an AES-GCM association into a DTLS 1.2 record straight from the ranges it is given
 * ({@link Gather}), so an SCTP packet whose user data still lies in the arrays the messages were stored in at
 * {@code send} is never copied together first: bctls's {@code TlsCipher} takes one contiguous plaintext. The record is
 * what bctls would write: header, 8-byte explicit nonce (the epoch and sequence number, as bctls uses), ciphertext and
 * 16-byte tag, with AAD = sequence number, type, version and length (RFC 5246 section 6.2.3.3, RFC 5288, RFC 6347
 * section 4.1.2.1). The sequence number comes from bctls's own counter for the epoch, so records written here and
 * bctls's own (alerts) never share one.
 *
 * <p>The cipher is the JDK's AES-GCM (SunJCE, on CPU intrinsics), one instance per thread, initialised per record
 * with our key and that record's nonce. {@link #write} returns null (the caller hands the bytes to bctls instead)
 * while bctls is handshaking, closed or failed, or resending an old flight. Owner thread only.
 */
public final class ApplicationDataWriter {

    private static final int HEADER = HandoffTransport.RECORD_HEADER_LENGTH;
    private static final int EXPLICIT_NONCE = 8;
    private static final int TAG = 16;
    private static final ThreadLocal<Cipher> GCM = ThreadLocal.withInitial(ApplicationDataWriter::newCipher);

    private final BcRecordLayer layer;
    private final AeadKeys keys;

    private ApplicationDataWriter(BcRecordLayer layer, AeadKeys keys) {
        this.layer = layer;
        this.keys = keys;
    }

    /**
     * A writer sharing {@code reader}'s view of bctls's record layer, or null when the suite is not AES-GCM or there is
     * no reader (bctls's state cannot be reached). Takes the keys out of {@code session}.
     */
    public static ApplicationDataWriter of(ApplicationDataReader reader, Session session) {
        AeadKeys k = session.takeAeadKeys();
        return k == null || reader == null ? null : new ApplicationDataWriter(reader.layer(), k);
    }

    /**
     * One application-data record holding {@code plaintext}'s bytes (read, not kept), as a buffer the caller owns; or
     * null when bctls must write it (see the class comment) or the plaintext is over bctls's limit.
     *
     * @throws IOException if the epoch's sequence numbers are exhausted (bctls would fail the same way)
     */
    public ByteBuffer write(Gather plaintext) throws IOException {
        if (!layer.open()) {
            return null;
        }
        Object epoch = layer.writeEpoch();
        ProtocolVersion version = layer.writeVersion();
        int len = plaintext.length();
        if (epoch == null || version == null || len > layer.plaintextLimit()) {
            return null;
        }
        int epochNumber = BcRecordLayer.epochNumber(epoch);
        long seq = BcRecordLayer.allocateSequenceNumber(epoch);
        long seqNum = ((epochNumber & 0xFFFFL) << 48) | seq;
        int fragment = EXPLICIT_NONCE + len + TAG;
        byte[] record = new byte[HEADER + fragment];
        record[0] = ContentType.application_data;
        record[1] = (byte) version.getMajorVersion();
        record[2] = (byte) version.getMinorVersion();
        putLong(record, 3, seqNum); // epoch (2 bytes) and sequence number (6), big-endian
        record[11] = (byte) (fragment >>> 8);
        record[12] = (byte) fragment;
        putLong(record, HEADER, seqNum); // the explicit nonce
        byte[] key = keys.material();
        int keyLength = keys.keyLength();
        byte[] nonce = new byte[AeadKeys.FIXED_IV + EXPLICIT_NONCE];
        System.arraycopy(key, keyLength, nonce, 0, AeadKeys.FIXED_IV);
        putLong(nonce, AeadKeys.FIXED_IV, seqNum);
        byte[] aad = new byte[13];
        putLong(aad, 0, seqNum);
        aad[8] = ContentType.application_data;
        aad[9] = record[1];
        aad[10] = record[2];
        aad[11] = (byte) (len >>> 8);
        aad[12] = (byte) len;
        Cipher c = GCM.get();
        try {
            c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, 0, keyLength, "AES"), new GCMParameterSpec(TAG * 8, nonce));
            c.updateAAD(aad);
            int at = HEADER + EXPLICIT_NONCE;
            for (int i = 0; i < plaintext.pieces(); i++) {
                at += c.update(plaintext.array(i), plaintext.offset(i), plaintext.length(i), record, at);
            }
            at += c.doFinal(record, at);
            if (at != record.length) {
                throw new IllegalStateException("AES-GCM wrote " + (at - HEADER - EXPLICIT_NONCE) + " bytes for "
                        + len + " of plaintext");
            }
        } catch (GeneralSecurityException e) {
            throw new IOException("AES-GCM record encryption failed", e);
        }
        return ByteBuffer.wrap(record);
    }

    private static void putLong(byte[] b, int at, long v) {
        for (int i = 7; i >= 0; i--) {
            b[at + i] = (byte) v;
            v >>>= 8;
        }
    }

    private static Cipher newCipher() {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no AES/GCM/NoPadding", e);
        }
    }
}
