package io.jrtc.dtls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Objects;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.encoders.DecoderException;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;
import org.bouncycastle.util.io.pem.PemWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A self-signed certificate and its private key: the identity a WebRTC endpoint proves in the DTLS handshake and
 * announces by fingerprint (RFC 8827 section 6.5, RFC 8122). ECDSA P-256 is the default ({@link #generate()}, what
 * browsers generate); RSA ({@link #generateRsa()}, at least 2048 bits) is the other key type WebRTC allows, and
 * decides which suites a DTLS server can pick (ECDHE_ECDSA or ECDHE_RSA). Generate a fresh one per agent, or
 * {@link #save(Path)} and {@link #load(Path)} one so the agent keeps its identity (and its fingerprint) across
 * restarts. Immutable and safe to share between endpoints and threads.
 */
public final class DtlsCertificate {

    private static final Logger LOG = LoggerFactory.getLogger(DtlsCertificate.class);

    /** Subject and issuer common name of generated certificates. */
    public static final String DEFAULT_COMMON_NAME = "jrtc";
    /** Generated certificates are valid from this long before creation, tolerating peers with slow clocks. */
    public static final Duration VALID_BEFORE = Duration.ofDays(30);
    /** Generated certificates are valid for this long after creation. */
    public static final Duration VALID_AFTER = Duration.ofDays(365);
    /** Certificates with a lifetime ({@link #generate(KeyType, Duration)}) are valid from this long before creation. */
    public static final Duration CLOCK_SKEW = Duration.ofMinutes(1);

    /** Modulus length of {@link #generateRsa()} keys. */
    public static final int RSA_KEY_BITS = 2048;
    /** Smallest RSA modulus {@link #load(Path)} accepts (OpenSSL 3's default security level refuses less). */
    public static final int RSA_MIN_BITS = 2048;

    /** The key type of a certificate, which decides the DTLS key exchange a server signs with. */
    public enum KeyType {
        /** ECDSA on P-256 (secp256r1), signed SHA256withECDSA: the default, and what browsers generate. */
        ECDSA_P256,
        /** RSA (rsaEncryption) of at least {@value DtlsCertificate#RSA_MIN_BITS} bits, signed SHA256withRSA. */
        RSA
    }

    private static final ECParameterSpec P256 = p256();

    private final byte[] der;
    private final X509Certificate certificate;
    private final PrivateKey privateKey;
    private final Fingerprint sha256;
    private final KeyType keyType;

    private DtlsCertificate(X509Certificate certificate, PrivateKey privateKey, KeyType keyType)
            throws CertificateException {
        this.certificate = certificate;
        this.der = certificate.getEncoded();
        this.privateKey = privateKey;
        this.sha256 = Fingerprint.of(HashFunction.SHA_256, der);
        this.keyType = keyType;
    }

    /**
     * A new ECDSA P-256 key pair and a self-signed SHA256withECDSA certificate, CN {@value #DEFAULT_COMMON_NAME}:
     * the default identity.
     */
    public static DtlsCertificate generate() {
        return generate(DEFAULT_COMMON_NAME);
    }

    /** As {@link #generate()}, with the given common name. */
    public static DtlsCertificate generate(String commonName) {
        return generate(commonName, KeyType.ECDSA_P256);
    }

    /**
     * A new {@value #RSA_KEY_BITS}-bit RSA key pair (public exponent 65537) and a self-signed SHA256withRSA
     * certificate, CN {@value #DEFAULT_COMMON_NAME}. Key generation takes tens to hundreds of milliseconds.
     */
    public static DtlsCertificate generateRsa() {
        return generateRsa(DEFAULT_COMMON_NAME);
    }

    /** As {@link #generateRsa()}, with the given common name. */
    public static DtlsCertificate generateRsa(String commonName) {
        return generate(commonName, KeyType.RSA);
    }

    /** A new self-signed certificate of the given key type (see {@link #generate()} and {@link #generateRsa()}). */
    public static DtlsCertificate generate(String commonName, KeyType type) {
        Instant now = Instant.now();
        return generate(commonName, type, now.minus(VALID_BEFORE), now.plus(VALID_AFTER));
    }

    /**
     * A new self-signed certificate that expires {@code lifetime} from now (the W3C {@code RTCCertificate.expires}
     * idea, for certificates that are rotated): valid from {@link #CLOCK_SKEW} before now, so a peer whose clock is a
     * little behind still takes it when it checks the dates ({@code DtlsConfig.checkPeerCertificateValidity}).
     */
    public static DtlsCertificate generate(KeyType type, Duration lifetime) {
        if (lifetime.isNegative() || lifetime.isZero()) {
            throw new IllegalArgumentException("lifetime must be positive: " + lifetime);
        }
        Instant now = Instant.now();
        return generate(DEFAULT_COMMON_NAME, type, now.minus(CLOCK_SKEW), now.plus(lifetime));
    }

    /**
     * A new self-signed certificate valid from {@code notBefore} to {@code notAfter} (X.509 keeps whole seconds:
     * both are truncated to the second). Any period is accepted, one in the past too (tests of expiry).
     */
    public static DtlsCertificate generate(String commonName, KeyType type, Instant notBefore, Instant notAfter) {
        Objects.requireNonNull(commonName, "commonName");
        Objects.requireNonNull(type, "type");
        if (!notAfter.isAfter(notBefore)) {
            throw new IllegalArgumentException("notAfter must follow notBefore: " + notBefore + " .. " + notAfter);
        }
        try {
            SecureRandom random = new SecureRandom();
            KeyPairGenerator kpg;
            if (type == KeyType.RSA) {
                kpg = KeyPairGenerator.getInstance("RSA");
                kpg.initialize(new RSAKeyGenParameterSpec(RSA_KEY_BITS, RSAKeyGenParameterSpec.F4), random);
            } else {
                kpg = KeyPairGenerator.getInstance("EC");
                kpg.initialize(new ECGenParameterSpec("secp256r1"), random);
            }
            KeyPair kp = kpg.generateKeyPair();
            X500Name name = new X500Name("CN=" + escapeRdn(commonName));
            BigInteger serial = new BigInteger(63, random).add(BigInteger.ONE);
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial,
                    Date.from(notBefore), Date.from(notAfter), name, kp.getPublic());
            ContentSigner signer = new JcaContentSignerBuilder(signatureAlgorithm(type)).build(kp.getPrivate());
            byte[] certDer = builder.build(signer).getEncoded();
            X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(certDer));
            return new DtlsCertificate(cert, kp.getPrivate(), type);
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot generate a " + type + " certificate: " + e.getMessage(), e);
        }
    }

    private static String signatureAlgorithm(KeyType type) {
        return type == KeyType.RSA ? "SHA256withRSA" : "SHA256withECDSA";
    }

    private static String escapeRdn(String s) {
        return s.replaceAll("([,+\"\\\\<>;=#])", "\\\\$1");
    }

    /**
     * Loads a certificate and its key from one PEM file holding a {@code CERTIFICATE} block and a PKCS#8
     * {@code PRIVATE KEY} block (what {@link #save(Path)} writes). The key must be ECDSA P-256 or RSA of at least
     * {@value #RSA_MIN_BITS} bits, and must belong to the certificate.
     *
     * @throws CertificateFileException if the file lacks either block, a block does not decode, the key is neither
     *                                  P-256 nor RSA of {@value #RSA_MIN_BITS}+ bits, or key and certificate do not
     *                                  match
     * @throws IOException              if the file cannot be read
     */
    public static DtlsCertificate load(Path pemFile) throws IOException {
        String text;
        try {
            text = Files.readString(pemFile, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            throw new CertificateFileException(pemFile + ": no such file", e);
        } catch (java.nio.charset.MalformedInputException e) {
            throw new CertificateFileException(pemFile + ": not a PEM text file", e);
        }
        byte[] certDer = null;
        byte[] keyDer = null;
        int undecodable = 0;
        try (PemReader reader = new PemReader(new StringReader(text))) {
            while (true) {
                PemObject block;
                try {
                    block = reader.readPemObject();
                } catch (DecoderException e) {
                    // a block whose body is not base64: skipped, as text that is no PEM block (the reader has
                    // already consumed it, up to its END line)
                    undecodable++;
                    LOG.debug("{}: ignoring a PEM block that is not valid base64", pemFile);
                    continue;
                } catch (IOException e) {
                    throw new CertificateFileException(pemFile + ": malformed PEM: " + e.getMessage(), e);
                }
                if (block == null) {
                    break;
                }
                String type = block.getType();
                switch (type) {
                    case "CERTIFICATE" -> {
                        if (certDer == null) {
                            certDer = block.getContent();
                        }
                    }
                    case "PRIVATE KEY" -> keyDer = block.getContent();
                    case "EC PRIVATE KEY", "ENCRYPTED PRIVATE KEY" -> throw new CertificateFileException(pemFile + ": "
                            + type + " blocks are not supported; expected an unencrypted PKCS#8 'PRIVATE KEY' block");
                    default -> LOG.debug("{}: ignoring PEM block {}", pemFile, type);
                }
            }
        }
        String skipped = undecodable == 0 ? "" : " (" + undecodable + " block(s) skipped: not valid base64)";
        if (certDer == null) {
            throw new CertificateFileException(pemFile + ": no CERTIFICATE block found" + skipped);
        }
        if (keyDer == null) {
            throw new CertificateFileException(pemFile + ": no PRIVATE KEY block found" + skipped);
        }
        X509Certificate cert;
        try {
            cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(certDer));
        } catch (CertificateException e) {
            throw new CertificateFileException(pemFile + ": CERTIFICATE block is not a valid X.509 certificate", e);
        }
        KeyType type = keyTypeOf(pemFile, cert);
        String keyAlgorithm = type == KeyType.RSA ? "RSA" : "EC";
        PrivateKey key;
        try {
            key = KeyFactory.getInstance(keyAlgorithm).generatePrivate(new PKCS8EncodedKeySpec(keyDer));
        } catch (GeneralSecurityException e) {
            throw new CertificateFileException(pemFile + ": PRIVATE KEY block is not a PKCS#8 " + keyAlgorithm + " key", e);
        }
        if (!keyMatches(key, cert, signatureAlgorithm(type))) {
            throw new CertificateFileException(pemFile + ": the private key does not belong to the certificate");
        }
        try {
            return new DtlsCertificate(cert, key, type);
        } catch (CertificateException e) {
            throw new CertificateFileException(pemFile + ": cannot encode certificate", e);
        }
    }

    private static KeyType keyTypeOf(Path pemFile, X509Certificate cert) throws CertificateFileException {
        if (cert.getPublicKey() instanceof ECPublicKey ecPub && isP256(ecPub.getParams())) {
            return KeyType.ECDSA_P256;
        }
        if (cert.getPublicKey() instanceof RSAPublicKey rsaPub) {
            int bits = rsaPub.getModulus().bitLength();
            if (bits < RSA_MIN_BITS) {
                throw new CertificateFileException(pemFile + ": certificate key is RSA of " + bits
                        + " bits, at least " + RSA_MIN_BITS + " required");
            }
            return KeyType.RSA;
        }
        throw new CertificateFileException(pemFile + ": certificate key is " + cert.getPublicKey().getAlgorithm()
                + ", expected ECDSA P-256 or RSA");
    }

    private static boolean keyMatches(PrivateKey key, X509Certificate cert, String signatureAlgorithm) {
        try {
            byte[] probe = "jrtc key/certificate match probe".getBytes(StandardCharsets.US_ASCII);
            Signature s = Signature.getInstance(signatureAlgorithm);
            s.initSign(key);
            s.update(probe);
            byte[] sig = s.sign();
            Signature v = Signature.getInstance(signatureAlgorithm);
            v.initVerify(cert.getPublicKey());
            v.update(probe);
            return v.verify(sig);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static boolean isP256(ECParameterSpec p) {
        return p.getCurve().equals(P256.getCurve()) && p.getGenerator().equals(P256.getGenerator())
                && p.getOrder().equals(P256.getOrder());
    }

    private static ECParameterSpec p256() {
        try {
            KeyPairGenerator kpg = KeyPairGenerator.getInstance("EC");
            kpg.initialize(new ECGenParameterSpec("secp256r1"));
            return ((ECPublicKey) kpg.generateKeyPair().getPublic()).getParams();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JDK lacks secp256r1", e);
        }
    }

    /**
     * The certificate and its PKCS#8 private key as PEM text (RFC 7468): a {@code CERTIFICATE} block, then a
     * {@code PRIVATE KEY} block, base64 in 64-character lines, each line ended by the platform's line separator.
     * What {@link #save(Path)} writes and {@link #load(Path)} (and OpenSSL) read. It holds the private key.
     */
    String toPem() {
        StringWriter text = new StringWriter();
        try (PemWriter writer = new PemWriter(text)) {
            writer.writeObject(new PemObject("CERTIFICATE", der));
            writer.writeObject(new PemObject("PRIVATE KEY", privateKey.getEncoded()));
        } catch (IOException e) {
            throw new UncheckedIOException("PEM into a StringWriter", e); // a StringWriter does not fail
        }
        return text.toString();
    }

    /**
     * Writes the certificate and its PKCS#8 private key to one PEM file, replacing it atomically where the file
     * system allows. On POSIX file systems the file is created with permissions 0600 (owner read/write only).
     */
    public void save(Path pemFile) throws IOException {
        String pem = toPem();
        Path abs = pemFile.toAbsolutePath();
        Path dir = abs.getParent();
        boolean posix = Files.getFileStore(dir).supportsFileAttributeView("posix");
        Path tmp = posix
                ? Files.createTempFile(dir, ".jrtc-cert", ".tmp",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                : Files.createTempFile(dir, ".jrtc-cert", ".tmp");
        try {
            Files.writeString(tmp, pem, StandardCharsets.US_ASCII);
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException | FileAlreadyExistsException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The fingerprint of this certificate with the given hash function. */
    public Fingerprint fingerprint(HashFunction hash) {
        return hash == HashFunction.SHA_256 ? sha256 : Fingerprint.of(hash, der);
    }

    /** The SHA-256 fingerprint, what goes into {@code a=fingerprint}. */
    public Fingerprint fingerprint() {
        return sha256;
    }

    /** The DER encoding of the certificate (a copy). */
    public byte[] certificateDer() {
        return der.clone();
    }

    /** The certificate. */
    public X509Certificate certificate() {
        return certificate;
    }

    /** The private key, for the handshake's signatures. Treat as secret. */
    public PrivateKey privateKey() {
        return privateKey;
    }

    /** The key type: ECDSA P-256 (the default) or RSA. */
    public KeyType keyType() {
        return keyType;
    }

    /** End of validity (the W3C {@code RTCCertificate.expires}). */
    public Instant notAfter() {
        return certificate.getNotAfter().toInstant();
    }

    /** Start of validity. */
    public Instant notBefore() {
        return certificate.getNotBefore().toInstant();
    }

    /** Whether {@code at} lies inside notBefore..notAfter. */
    public boolean validAt(Instant at) {
        return !at.isBefore(notBefore()) && !at.isAfter(notAfter());
    }

    @Override
    public String toString() {
        return "DtlsCertificate[" + certificate.getSubjectX500Principal().getName() + ", " + keyType + ", " + sha256 + "]";
    }
}
