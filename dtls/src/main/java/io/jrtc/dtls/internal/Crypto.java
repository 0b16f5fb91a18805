package io.jrtc.dtls.internal;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCrypto;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCryptoProvider;

/**
 * The one {@link JcaTlsCrypto} every endpoint shares. It uses the JDK's providers (SunEC, SunJCE: AES-GCM and
 * GHASH run on CPU intrinsics) and a DRBG, which is pure computation after seeding: the default NativePRNG reads
 * {@code /dev/urandom} on every call, and file reads on virtual threads make the scheduler add carrier threads.
 */
public final class Crypto {

    public static final JcaTlsCrypto INSTANCE = new JcaTlsCryptoProvider().create(random());

    private Crypto() {
    }

    private static SecureRandom random() {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (NoSuchAlgorithmException e) {
            return new SecureRandom();
        }
    }
}
