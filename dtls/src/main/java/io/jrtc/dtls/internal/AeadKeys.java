package io.jrtc.dtls.internal;

import org.bouncycastle.tls.EncryptionAlgorithm;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SecurityParameters;
import org.bouncycastle.tls.TlsUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The write key and implicit IV of one end of an AES-GCM DTLS 1.2 association, derived as the record layer derives
 * them: key_block = PRF(master_secret, "key expansion", server_random + client_random), cut into client_write_key,
 * server_write_key, client_write_IV (4 bytes), server_write_IV (RFC 5246 section 6.3; no MAC keys for AEAD suites,
 * RFC 5288 section 3). Only our write side is kept (one array of key then IV): reading stays on bctls's cipher.
 */
public final class AeadKeys {

    private static final Logger LOG = LoggerFactory.getLogger(AeadKeys.class);
    /** Bytes of the implicit (salt) part of the GCM nonce. */
    static final int FIXED_IV = 4;

    private final byte[] writeKeyAndIv;
    private final int keyLength;

    private AeadKeys(byte[] writeKeyAndIv, int keyLength) {
        this.writeKeyAndIv = writeKeyAndIv;
        this.keyLength = keyLength;
    }

    /**
     * The keys of a DTLS 1.2 AES-GCM association that just completed its handshake, or null for any other suite or
     * if bctls no longer holds the master secret.
     */
    static AeadKeys derive(SecurityParameters sp, boolean client) {
        int keyLength = switch (TlsUtils.getEncryptionAlgorithm(sp.getCipherSuite())) {
            case EncryptionAlgorithm.AES_128_GCM -> 16;
            case EncryptionAlgorithm.AES_256_GCM -> 32;
            default -> 0;
        };
        if (keyLength == 0 || !ProtocolVersion.DTLSv12.equals(sp.getNegotiatedVersion())) {
            return null;
        }
        try {
            byte[] cr = sp.getClientRandom();
            byte[] sr = sp.getServerRandom();
            byte[] seed = new byte[sr.length + cr.length];
            System.arraycopy(sr, 0, seed, 0, sr.length);
            System.arraycopy(cr, 0, seed, sr.length, cr.length);
            byte[] block = sp.getMasterSecret().deriveUsingPRF(sp.getPRFAlgorithm(), "key expansion", seed,
                    2 * keyLength + 2 * FIXED_IV).extract();
            byte[] mine = new byte[keyLength + FIXED_IV];
            System.arraycopy(block, client ? 0 : keyLength, mine, 0, keyLength);
            System.arraycopy(block, 2 * keyLength + (client ? 0 : FIXED_IV), mine, keyLength, FIXED_IV);
            java.util.Arrays.fill(block, (byte) 0);
            return new AeadKeys(mine, keyLength);
        } catch (RuntimeException e) {
            LOG.warn("cannot derive the record keys ({}); application data is encrypted by bctls", e.toString());
            return null;
        }
    }

    /** Our write key and IV: bytes [0, keyLength) the key, then {@link #FIXED_IV} bytes of IV. Never modified. */
    byte[] material() {
        return writeKeyAndIv;
    }

    int keyLength() {
        return keyLength;
    }
}
