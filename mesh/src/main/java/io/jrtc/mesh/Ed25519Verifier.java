package io.jrtc.mesh;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Verifies Ed25519 signatures (RFC 8032, pure Ed25519) with the JDK's own provider. Decoded public keys are kept in
 * a small LRU cache, because decoding costs about as much as a hash. Not thread-safe: one per core.
 */
public final class Ed25519Verifier implements MeshVerifier {

    private static final int KEY_CACHE = 1024;

    private final Map<KeyBytes, PublicKey> keys = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<KeyBytes, PublicKey> eldest) {
            return size() > KEY_CACHE;
        }
    };
    private final Signature signature;

    public Ed25519Verifier() {
        try {
            signature = Signature.getInstance("Ed25519");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no Ed25519 provider", e);
        }
    }

    @Override
    public boolean verify(byte[] publicKey, byte[] data, int off, int len, byte[] sig) {
        if (publicKey.length != Identity.PUBLIC_KEY_LENGTH || sig.length != Identity.SIGNATURE_LENGTH) {
            return false;
        }
        try {
            PublicKey key = keys.computeIfAbsent(new KeyBytes(publicKey), k -> decode(k.bytes));
            if (key == null) {
                return false;
            }
            signature.initVerify(key);
            signature.update(data, off, len);
            return signature.verify(sig);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    private static PublicKey decode(byte[] raw) {
        try {
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(Identity.x509OfRaw(raw)));
        } catch (GeneralSecurityException e) {
            return null;
        }
    }

    private record KeyBytes(byte[] bytes) {
        @Override
        public boolean equals(Object o) {
            return o instanceof KeyBytes k && Arrays.equals(bytes, k.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }
    }
}
