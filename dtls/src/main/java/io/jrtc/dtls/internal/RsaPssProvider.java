package io.jrtc.dtls.internal;

import java.security.AlgorithmParameters;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.InvalidParameterException;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.SignatureException;
import java.security.SignatureSpi;
import java.security.spec.AlgorithmParameterSpec;
import java.util.List;
import java.util.Map;

/**
 * A private provider (never registered with the JVM) that answers the names bctls uses for RSA-PSS signatures,
 * {@code SHA256WITHRSAANDMGF1}, {@code SHA384WITHRSAANDMGF1} and {@code SHA512WITHRSAANDMGF1} (the names of
 * BouncyCastle's own provider), with the JDK's {@code RSASSA-PSS}. bctls always sets the PSS parameters (hash,
 * MGF1 with the same hash, salt as long as the hash, RFC 8446 section 4.2.3) before use, which is what the JDK's
 * {@code RSASSA-PSS} requires. This keeps every signature on the JDK's providers; the alternative, BouncyCastle's
 * provider, costs about a second of class loading on a cold JVM.
 */
final class RsaPssProvider extends Provider {

    static final RsaPssProvider INSTANCE = new RsaPssProvider();

    private RsaPssProvider() {
        super("jrtc-rsa-pss", "1.0", "bctls RSA-PSS signature names mapped to the JDK's RSASSA-PSS");
        for (String hash : List.of("SHA256", "SHA384", "SHA512")) {
            putService(new Service(this, "Signature", hash + "WITHRSAANDMGF1", Delegating.class.getName(),
                    List.of(hash + "withRSAandMGF1"), Map.of()) {
                @Override
                public Object newInstance(Object constructorParameter) throws NoSuchAlgorithmException {
                    return new Delegating(Signature.getInstance("RSASSA-PSS"));
                }
            });
        }
    }

    /** Forwards every operation to a JDK {@code RSASSA-PSS} signature. */
    static final class Delegating extends SignatureSpi {
        private final Signature jdk;

        Delegating(Signature jdk) {
            this.jdk = jdk;
        }

        @Override
        protected void engineInitVerify(PublicKey publicKey) throws InvalidKeyException {
            jdk.initVerify(publicKey);
        }

        @Override
        protected void engineInitSign(PrivateKey privateKey) throws InvalidKeyException {
            jdk.initSign(privateKey);
        }

        @Override
        protected void engineInitSign(PrivateKey privateKey, SecureRandom random) throws InvalidKeyException {
            jdk.initSign(privateKey, random);
        }

        @Override
        protected void engineUpdate(byte b) throws SignatureException {
            jdk.update(b);
        }

        @Override
        protected void engineUpdate(byte[] b, int off, int len) throws SignatureException {
            jdk.update(b, off, len);
        }

        @Override
        protected byte[] engineSign() throws SignatureException {
            return jdk.sign();
        }

        @Override
        protected boolean engineVerify(byte[] sigBytes) throws SignatureException {
            return jdk.verify(sigBytes);
        }

        @Override
        protected void engineSetParameter(AlgorithmParameterSpec params) throws InvalidAlgorithmParameterException {
            jdk.setParameter(params);
        }

        @Override
        protected AlgorithmParameters engineGetParameters() {
            return jdk.getParameters();
        }

        @Override
        @Deprecated
        protected void engineSetParameter(String param, Object value) throws InvalidParameterException {
            throw new InvalidParameterException("not supported; use a PSSParameterSpec");
        }

        @Override
        @Deprecated
        protected Object engineGetParameter(String param) throws InvalidParameterException {
            throw new InvalidParameterException("not supported");
        }
    }
}
