package io.jrtc.srtp.internal;

import io.jrtc.common.SrtpProfile;
import java.lang.reflect.Field;
import java.security.Provider;
import java.security.Security;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import org.jitsi.srtp.BaseSrtpCryptoContext;
import org.jitsi.srtp.SrtpPolicy;
import org.jitsi.srtp.crypto.Aes;
import org.jitsi.srtp.crypto.CipherFactory;
import org.jitsi.srtp.crypto.HmacSha1;
import org.jitsi.srtp.crypto.SrtpCipher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps jitsi-srtp on the JDK's own crypto (SunJCE, which the JIT backs with AES-NI, CLMUL and SHA intrinsics), never
 * on its bundled OpenSSL library, and maps our {@link SrtpProfile}s to jitsi-srtp policies.
 *
 * <p>What it pins, once, before any context exists (checked against jitsi-srtp 1.1-23-gaf3cd06):
 * <ul>
 *   <li>{@code Aes.setFactoryClassName("SunJCE")}, the library's own switch for AES (CTR, GCM, ECB);</li>
 *   <li>{@code Aes.factories} and {@code Aes.factoryClass} preset to the SunJCE factory alone. Otherwise the library
 *       instantiates every known factory, including the OpenSSL one, whose provider loads {@code libjitsisrtp}, and
 *       benchmarks them (11,000 warm-up rounds) on first use;</li>
 *   <li>{@code HmacSha1.providers} preset to [SunJCE]. There is no public switch for the HMAC: the library puts its
 *       OpenSSL provider first whenever the native library loads, so on a class path that still carries the
 *       {@code .so} files the HMAC would otherwise run in C.</li>
 * </ul>
 * The last two are private statics set by reflection (the jar is an automatic module, so its packages are open). If
 * that ever fails, a WARN says so and the library falls back to its defaults, which are still pure Java when the
 * native libraries are absent (our distribution strips them).
 *
 * <p>One thing this cannot change: a receive context for AEAD-AES-GCM asks {@code JitsiOpenSslProvider.isLoaded()},
 * which tries to load the native library if it is on the class path; the auth-only cipher it would build is used
 * only for "skip decryption", which we never request.
 */
public final class JitsiCrypto {

    private static final Logger LOG = LoggerFactory.getLogger(JitsiCrypto.class);

    /** The JCE provider every jitsi-srtp cipher and MAC must come from. */
    public static final String PROVIDER = "SunJCE";

    private static final boolean PINNED = pin();

    private JitsiCrypto() {
    }

    /** Forces the static initialiser to have run. Call before building any jitsi-srtp context. */
    public static void ensureInitialized() {
        if (!PINNED && LOG.isDebugEnabled()) {
            LOG.debug("jitsi-srtp crypto providers are not pinned; see the earlier warning");
        }
    }

    /** Whether every pin above took effect. */
    public static boolean providersPinned() {
        return PINNED;
    }

    private static boolean pin() {
        Aes.setFactoryClassName(PROVIDER);
        Provider sunJce = Security.getProvider(PROVIDER);
        if (sunJce == null) {
            LOG.warn("JCE provider {} is not installed; jitsi-srtp will pick its own crypto providers", PROVIDER);
            return false;
        }
        try {
            Field factories = Aes.class.getDeclaredField("factories");
            Field factoryClass = Aes.class.getDeclaredField("factoryClass");
            Field macProviders = HmacSha1.class.getDeclaredField("providers");
            factories.setAccessible(true);
            factoryClass.setAccessible(true);
            macProviders.setAccessible(true);
            synchronized (Aes.class) {
                factories.set(null, new CipherFactory[] {new Aes.SunJCECipherFactory()});
                factoryClass.set(null, Aes.SunJCECipherFactory.class);
            }
            List<Provider> providers = new ArrayList<>(1);
            providers.add(sunJce);
            synchronized (HmacSha1.class) {
                macProviders.set(null, providers);
            }
            LOG.debug("jitsi-srtp pinned to {} for AES and HMAC-SHA1", PROVIDER);
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warn("Could not pin jitsi-srtp's AES/HMAC providers to {} ({}); it will choose its own, which may be "
                    + "its native OpenSSL library if that is on the class path", PROVIDER, e.toString());
            return false;
        }
    }

    /** The jitsi-srtp policy for SRTP (RTP) packets under {@code profile}. */
    public static SrtpPolicy rtpPolicy(SrtpProfile profile) {
        return policy(profile, profile.rtpAuthTagLength());
    }

    /** The jitsi-srtp policy for SRTCP packets under {@code profile}. */
    public static SrtpPolicy rtcpPolicy(SrtpProfile profile) {
        return policy(profile, profile.rtcpAuthTagLength());
    }

    private static SrtpPolicy policy(SrtpProfile profile, int tagLength) {
        SrtpPolicy policy = profile.isAead()
                ? new SrtpPolicy(SrtpPolicy.AESGCM_ENCRYPTION, profile.masterKeyLength(),
                        SrtpPolicy.NULL_AUTHENTICATION, 0, tagLength, profile.masterSaltLength())
                : new SrtpPolicy(SrtpPolicy.AESCM_ENCRYPTION, profile.masterKeyLength(),
                        SrtpPolicy.HMACSHA1_AUTHENTICATION, 20, tagLength, profile.masterSaltLength());
        // The sender-side check refuses to reuse a packet index (keystream / GCM nonce reuse); the receiver side is
        // RFC 3711 section 3.3.2 replay protection.
        policy.setSendReplayEnabled(true);
        policy.setReceiveReplayEnabled(true);
        return policy;
    }

    /**
     * Names of the JCE providers behind a context's cipher and MAC, read from jitsi-srtp's protected fields. Used to
     * prove (in tests and diagnostics) that no native provider is in use.
     */
    public static Set<String> providersOf(BaseSrtpCryptoContext context) {
        Set<String> names = new TreeSet<>();
        try {
            Field cipherField = BaseSrtpCryptoContext.class.getDeclaredField("cipher");
            Field macField = BaseSrtpCryptoContext.class.getDeclaredField("mac");
            Field jceCipherField = SrtpCipher.class.getDeclaredField("cipher");
            cipherField.setAccessible(true);
            macField.setAccessible(true);
            jceCipherField.setAccessible(true);
            Object srtpCipher = cipherField.get(context);
            if (srtpCipher != null) {
                Cipher cipher = (Cipher) jceCipherField.get(srtpCipher);
                names.add(cipher.getProvider().getName());
            }
            Mac mac = (Mac) macField.get(context);
            if (mac != null) {
                names.add(mac.getProvider().getName());
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            names.add("unknown(" + e.getClass().getSimpleName() + ")");
        }
        return names;
    }
}
