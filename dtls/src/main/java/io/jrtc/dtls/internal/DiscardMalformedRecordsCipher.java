package io.jrtc.dtls.internal;

import java.io.IOException;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.crypto.TlsCipher;
import org.bouncycastle.tls.crypto.TlsDecodeResult;
import org.bouncycastle.tls.crypto.TlsEncodeResult;

/**
 * Wraps a record cipher so that a record too short or mis-sized for it (bctls raises {@code decode_error} before
 * authenticating) is reported as {@code bad_record_mac}, which bctls's DTLS record layer silently discards, as
 * RFC 6347 section 4.1.2.7 asks for invalid records. Without this, one forged 15-byte datagram (an empty record in
 * the current epoch) from anyone who can reach the port tore down an established association: bctls 1.84 discards
 * only {@code bad_record_mac} and treats every other alert from the cipher as fatal. Found by fuzzing
 * (FuzzedDatagramsNeverReachAConnectedEndpointsApplication).
 */
final class DiscardMalformedRecordsCipher implements TlsCipher {

    private final TlsCipher delegate;

    DiscardMalformedRecordsCipher(TlsCipher delegate) {
        this.delegate = delegate;
    }

    @Override
    public TlsDecodeResult decodeCiphertext(long seqNo, short recordType, ProtocolVersion recordVersion, byte[] ciphertext,
                                            int offset, int len) throws IOException {
        try {
            return delegate.decodeCiphertext(seqNo, recordType, recordVersion, ciphertext, offset, len);
        } catch (TlsFatalAlert e) {
            if (e.getAlertDescription() == AlertDescription.decode_error) {
                throw new TlsFatalAlert(AlertDescription.bad_record_mac, "malformed record discarded", e);
            }
            throw e;
        }
    }

    @Override
    public int getCiphertextDecodeLimit(int plaintextLimit) {
        return delegate.getCiphertextDecodeLimit(plaintextLimit);
    }

    @Override
    public int getCiphertextEncodeLimit(int plaintextLimit) {
        return delegate.getCiphertextEncodeLimit(plaintextLimit);
    }

    @Override
    public int getPlaintextDecodeLimit(int ciphertextLimit) {
        return delegate.getPlaintextDecodeLimit(ciphertextLimit);
    }

    @Override
    public int getPlaintextEncodeLimit(int ciphertextLimit) {
        return delegate.getPlaintextEncodeLimit(ciphertextLimit);
    }

    @Override
    public TlsEncodeResult encodePlaintext(long seqNo, short contentType, ProtocolVersion recordVersion, int headerAllocation,
                                           byte[] plaintext, int offset, int len) throws IOException {
        return delegate.encodePlaintext(seqNo, contentType, recordVersion, headerAllocation, plaintext, offset, len);
    }

    @Override
    public void rekeyDecoder() throws IOException {
        delegate.rekeyDecoder();
    }

    @Override
    public void rekeyEncoder() throws IOException {
        delegate.rekeyEncoder();
    }

    @Override
    public boolean usesOpaqueRecordTypeDecode() {
        return delegate.usesOpaqueRecordTypeDecode();
    }

    @Override
    public boolean usesOpaqueRecordTypeEncode() {
        return delegate.usesOpaqueRecordTypeEncode();
    }
}
