package io.jrtc.mesh;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.bouncycastle.util.encoders.DecoderException;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;
import org.bouncycastle.util.io.pem.PemWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An agent's Ed25519 key pair (the JDK's own {@code Ed25519}) and the {@link AgentId} bound to it.
 *
 * <p>{@link #loadOrCreate(Path)} keeps the pair in a file, so an agent keeps its id across restarts. The file is
 * text: a {@code PRIVATE KEY} PEM block (PKCS#8, RFC 5958/8410) followed by a {@code PUBLIC KEY} block (X.509
 * SubjectPublicKeyInfo, RFC 8410); it is created owner-read/write only where the file system has POSIX permissions.
 *
 * <p>Thread-safe: {@link #sign} is synchronized (the overlay core's thread and the audit log's writers share one
 * identity); everything else is immutable.
 */
public final class Identity implements MeshSigner {

    private static final Logger LOG = LoggerFactory.getLogger(Identity.class);

    public static final int PUBLIC_KEY_LENGTH = 32;
    public static final int SIGNATURE_LENGTH = 64;

    /** The fixed 12-byte DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410 section 4); the raw key follows. */
    private static final byte[] SPKI_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};

    private final PrivateKey privateKey;
    private final PublicKey publicKey;
    private final byte[] rawPublicKey;
    private final AgentId agentId;
    private final Signature signature;

    private Identity(PrivateKey privateKey, PublicKey publicKey) {
        this.privateKey = privateKey;
        this.publicKey = publicKey;
        this.rawPublicKey = rawOf(publicKey);
        this.agentId = AgentId.ofPublicKey(rawPublicKey);
        try {
            this.signature = Signature.getInstance("Ed25519");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no Ed25519 provider", e);
        }
    }

    /** A fresh key pair. */
    public static Identity generate() {
        try {
            KeyPair kp = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            return new Identity(kp.getPrivate(), kp.getPublic());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no Ed25519 provider", e);
        }
    }

    /**
     * Loads the identity stored in {@code file}, or creates one there when the file does not exist.
     *
     * @throws IOException when the file cannot be read or written, or does not hold an Ed25519 pair that matches
     */
    public static Identity loadOrCreate(Path file) throws IOException {
        if (Files.exists(file)) {
            return load(file);
        }
        Identity id = generate();
        id.store(file);
        LOG.info("created mesh identity {} in {}", id.agentId, file);
        return id;
    }

    /** Loads an identity written by {@link #store(Path)}. */
    public static Identity load(Path file) throws IOException {
        Map<String, byte[]> blocks = pemBlocks(Files.readString(file, StandardCharsets.US_ASCII), file);
        byte[] pkcs8 = block(blocks, "PRIVATE KEY", file);
        byte[] spki = block(blocks, "PUBLIC KEY", file);
        try {
            KeyFactory kf = KeyFactory.getInstance("Ed25519");
            PrivateKey priv = kf.generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            PublicKey pub = kf.generatePublic(new X509EncodedKeySpec(spki));
            Identity id = new Identity(priv, pub);
            byte[] probe = "jrtc-mesh identity check".getBytes(StandardCharsets.US_ASCII);
            if (!new Ed25519Verifier().verify(id.rawPublicKey, probe, 0, probe.length, id.sign(probe, 0, probe.length))) {
                throw new IOException(file + ": the public key does not belong to the private key");
            }
            return id;
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IOException(file + ": not an Ed25519 key pair: " + e.getMessage(), e);
        }
    }

    /** Writes the pair to {@code file} (atomically, by rename); refuses to overwrite an existing file. */
    public void store(Path file) throws IOException {
        if (Files.exists(file)) {
            throw new FileAlreadyExistsException(file.toString());
        }
        StringWriter text = new StringWriter();
        try (PemWriter pem = new PemWriter(text)) {
            pem.writeObject(new PemObject("PRIVATE KEY", privateKey.getEncoded()));
            pem.writeObject(new PemObject("PUBLIC KEY", publicKey.getEncoded()));
        }
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, ".mesh-key", ".tmp");
        try {
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                LOG.debug("no POSIX permissions on {}; key file keeps the default mode", dir);
            }
            Files.writeString(tmp, text.toString(), StandardCharsets.US_ASCII);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    @Override
    public AgentId agentId() {
        return agentId;
    }

    @Override
    public byte[] publicKey() {
        return rawPublicKey.clone();
    }

    @Override
    public synchronized byte[] sign(byte[] data, int off, int len) {
        try {
            signature.initSign(privateKey);
            signature.update(data, off, len);
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed", e);
        }
    }

    /** The raw 32-byte key inside an Ed25519 SubjectPublicKeyInfo. */
    static byte[] rawOf(PublicKey key) {
        byte[] spki = key.getEncoded();
        if (spki.length != SPKI_PREFIX.length + PUBLIC_KEY_LENGTH
                || !Arrays.equals(spki, 0, SPKI_PREFIX.length, SPKI_PREFIX, 0, SPKI_PREFIX.length)) {
            throw new IllegalArgumentException("not an Ed25519 SubjectPublicKeyInfo");
        }
        return Arrays.copyOfRange(spki, SPKI_PREFIX.length, spki.length);
    }

    /** The SubjectPublicKeyInfo of a raw 32-byte key. */
    static byte[] x509OfRaw(byte[] raw) {
        byte[] spki = Arrays.copyOf(SPKI_PREFIX, SPKI_PREFIX.length + PUBLIC_KEY_LENGTH);
        System.arraycopy(raw, 0, spki, SPKI_PREFIX.length, PUBLIC_KEY_LENGTH);
        return spki;
    }

    /** Every PEM block in {@code text} (RFC 7468), by label; the first of a label wins. */
    private static Map<String, byte[]> pemBlocks(String text, Path file) throws IOException {
        Map<String, byte[]> blocks = new HashMap<>();
        try (PemReader reader = new PemReader(new StringReader(text))) {
            for (PemObject o = reader.readPemObject(); o != null; o = reader.readPemObject()) {
                blocks.putIfAbsent(o.getType(), o.getContent());
            }
        } catch (DecoderException e) {
            throw new IOException(file + ": bad base64 in a PEM block", e);
        } catch (IOException e) {
            throw new IOException(file + ": malformed PEM: " + e.getMessage(), e);
        }
        return blocks;
    }

    private static byte[] block(Map<String, byte[]> blocks, String label, Path file) throws IOException {
        byte[] der = blocks.get(label);
        if (der == null) {
            throw new IOException(file + ": no " + label + " PEM block");
        }
        return der;
    }

    @Override
    public String toString() {
        return "Identity[" + agentId + "]";
    }
}
