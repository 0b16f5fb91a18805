package io.jrtc.dtls.internal;

import io.jrtc.dtls.DtlsCertificate;
import io.jrtc.dtls.DtlsConfig;
import io.jrtc.common.DtlsRole;
import io.jrtc.dtls.Fingerprint;
import io.jrtc.dtls.RefusedCertificate;
import io.jrtc.dtls.SrtpKeyingMaterial;
import io.jrtc.common.SrtpProfile;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.Vector;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.AlertLevel;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.ExporterLabel;
import org.bouncycastle.tls.SecurityParameters;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsContext;
import org.bouncycastle.tls.DefaultTlsCredentialedSigner;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaDefaultTlsCredentialedSigner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one endpoint's client or server peer needs and learns during the handshake: settings, identity, expected
 * fingerprints, and the results (peer certificate, SRTP keys, suite, alerts). Written by whichever thread runs
 * bctls at the time (the handshake thread, later the owner), read by the owner: fields are volatile and written
 * before the handshake outcome is published.
 */
public final class Session {

    private static final Logger LOG = LoggerFactory.getLogger(Session.class);

    final DtlsConfig config;
    final DtlsRole role;
    final DtlsCertificate local;
    final List<Fingerprint> expectedRemote;
    final String logId;

    private volatile String authFailure;
    private volatile RefusedCertificate refusedCertificate;
    private volatile byte[] peerCertificateDer;
    private volatile Fingerprint matchedFingerprint;
    private volatile SrtpProfile negotiatedProfile;
    private volatile SrtpKeyingMaterial srtp;
    private volatile String cipherSuite;
    private volatile boolean extendedMasterSecret;
    private volatile boolean closeNotifyReceived;
    private volatile short fatalAlertReceived = -1;
    /** AES-GCM record keys (RFC 5246 section 6.3), for {@link ApplicationDataWriter}; null for other suites. */
    private volatile AeadKeys aeadKeys;

    public Session(DtlsConfig config, DtlsRole role, DtlsCertificate local, List<Fingerprint> expectedRemote, String logId) {
        Crypto.sessionStarted();
        this.config = config;
        this.role = role;
        this.local = local;
        this.expectedRemote = List.copyOf(expectedRemote);
        this.logId = logId;
    }

    // ---- called by bctls (through the peers) ----

    /** Checks the peer's certificate chain against the expected fingerprints; throws bad_certificate on mismatch. */
    void checkPeerCertificate(Certificate chain) throws IOException {
        if (chain == null || chain.isEmpty()) {
            authFailure = "peer presented no certificate (WebRTC requires one from both ends, RFC 8827 section 6.5)";
            throw new TlsFatalAlert(role == DtlsRole.SERVER ? AlertDescription.handshake_failure
                    : AlertDescription.bad_certificate, authFailure);
        }
        byte[] der = chain.getCertificateAt(0).getEncoded();
        Optional<Fingerprint> match = Fingerprint.matchStrongest(expectedRemote, der);
        if (match.isEmpty()) {
            Fingerprint actual = Fingerprint.of(expectedRemote.isEmpty()
                    ? io.jrtc.dtls.HashFunction.SHA_256 : strongest(), der);
            authFailure = "remote certificate fingerprint " + actual.toSdpValue()
                    + " matches none of the expected " + expectedRemote;
            throw new TlsFatalAlert(AlertDescription.bad_certificate, authFailure);
        }
        if (config.checkPeerCertificateValidity()) {
            checkValidity(der);
        }
        peerCertificateDer = der;
        matchedFingerprint = match.get();
    }

    /**
     * Refuses a peer certificate outside its validity period with certificate_expired (RFC 5246 section 7.2.2 uses
     * it for "expired or not currently valid"). Only when {@link DtlsConfig#checkPeerCertificateValidity()}: RFC 8827
     * authenticates WebRTC peers by fingerprint and does not ask for it.
     */
    private void checkValidity(byte[] der) throws IOException {
        java.security.cert.X509Certificate x509;
        try {
            x509 = (java.security.cert.X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
                    .generateCertificate(new java.io.ByteArrayInputStream(der));
        } catch (java.security.cert.CertificateException e) {
            authFailure = "remote certificate cannot be parsed for its validity dates: " + e.getMessage();
            throw new TlsFatalAlert(AlertDescription.bad_certificate, authFailure);
        }
        java.time.Instant now = config.validityClock().instant();
        java.time.Instant notBefore = x509.getNotBefore().toInstant();
        java.time.Instant notAfter = x509.getNotAfter().toInstant();
        if (now.isBefore(notBefore) || now.isAfter(notAfter)) {
            RefusedCertificate r = new RefusedCertificate(Fingerprint.of(io.jrtc.dtls.HashFunction.SHA_256, der),
                    notBefore, notAfter, now);
            refusedCertificate = r;
            authFailure = "remote certificate " + (r.expired() ? "expired at " + notAfter : "not valid before " + notBefore)
                    + " (checked at " + now + ", fingerprint " + r.fingerprint().toSdpValue() + ")";
            throw new TlsFatalAlert(AlertDescription.certificate_expired, authFailure);
        }
    }

    private io.jrtc.dtls.HashFunction strongest() {
        io.jrtc.dtls.HashFunction best = null;
        for (Fingerprint f : expectedRemote) {
            if (best == null || f.algorithm().length() > best.length()) {
                best = f.algorithm();
            }
        }
        return best;
    }

    /**
     * Our credentials (ECDSA or RSA, as our certificate is), signing with the algorithm {@link SignatureAlgorithms}
     * picks from the peer's list.
     */
    TlsCredentialedSigner signer(TlsContext context, Vector<?> peerSigAlgs) throws IOException {
        SignatureAndHashAlgorithm alg = SignatureAlgorithms.choose(local.keyType(), peerSigAlgs);
        TlsCertificate cert = Crypto.INSTANCE.createCertificate(local.certificateDer());
        if (Crypto.fastEc() && alg.getSignature() == SignatureAlgorithm.ecdsa) {
            FastEc.Signer fast = FastEc.Signer.of(local.privateKey());
            if (fast != null) {
                return new DefaultTlsCredentialedSigner(new TlsCryptoParameters(context), fast,
                        new Certificate(new TlsCertificate[] {cert}), alg);
            }
        }
        return new JcaDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), Crypto.INSTANCE,
                local.privateKey(), new Certificate(new TlsCertificate[] {cert}), alg);
    }

    /** The key type of our certificate. */
    DtlsCertificate.KeyType localKeyType() {
        return local.keyType();
    }

    /** Records what the handshake negotiated and derives the SRTP keys (RFC 5764 section 4.2). */
    void handshakeComplete(TlsContext context) throws IOException {
        SecurityParameters sp = context.getSecurityParametersConnection();
        if (sp == null) {
            sp = context.getSecurityParametersHandshake();
        }
        cipherSuite = CipherSuites.name(sp.getCipherSuite());
        extendedMasterSecret = sp.isExtendedMasterSecret();
        aeadKeys = AeadKeys.derive(sp, role == DtlsRole.CLIENT);
        SrtpProfile profile = negotiatedProfile;
        if (profile != null) {
            srtp = SrtpKeyingMaterial.fromExporterOutput(profile, exportSrtp(context, sp, profile.keyingMaterialLength()));
        }
    }

    /**
     * The RFC 5705 exporter with label {@code EXTRACTOR-dtls_srtp} and no context. bctls refuses to export without
     * extended_master_secret (RFC 7627 section 5.4 advises against it); every browser negotiates EMS, but for a peer
     * that does not we compute the same RFC 5705 PRF over the master secret ourselves, as RFC 5764 specifies and as
     * jitsi-videobridge does, unless the configuration requires EMS (then the handshake already failed).
     */
    private byte[] exportSrtp(TlsContext context, SecurityParameters sp, int length) {
        if (sp.isExtendedMasterSecret()) {
            return context.exportKeyingMaterial(ExporterLabel.dtls_srtp, null, length);
        }
        LOG.info("{}: peer did not negotiate extended_master_secret; exporting SRTP keys with the plain RFC 5705 PRF", logId);
        byte[] cr = sp.getClientRandom();
        byte[] srv = sp.getServerRandom();
        byte[] seed = new byte[cr.length + srv.length];
        System.arraycopy(cr, 0, seed, 0, cr.length);
        System.arraycopy(srv, 0, seed, cr.length, srv.length);
        return sp.getMasterSecret().deriveUsingPRF(sp.getPRFAlgorithm(), ExporterLabel.dtls_srtp, seed, length).extract();
    }

    void alertReceived(short level, short description) {
        if (description == AlertDescription.close_notify) {
            closeNotifyReceived = true;
        } else if (level == AlertLevel.fatal) {
            fatalAlertReceived = description;
        }
        LOG.debug("{}: received {} alert {}", logId, level == AlertLevel.fatal ? "fatal" : "warning",
                Alerts.describe(description));
    }

    void alertRaised(short level, short description, String message, Throwable cause) {
        if (level == AlertLevel.fatal) {
            LOG.debug("{}: raising fatal alert {}: {}", logId, Alerts.describe(description), message, cause);
        }
    }

    void setNegotiatedProfile(SrtpProfile p) {
        negotiatedProfile = p;
    }

    // ---- read by the owner ----

    public String authFailure() {
        return authFailure;
    }

    /** The peer certificate refused for its dates, or null. */
    public RefusedCertificate refusedCertificate() {
        return refusedCertificate;
    }

    public byte[] peerCertificateDer() {
        return peerCertificateDer;
    }

    public Fingerprint matchedFingerprint() {
        return matchedFingerprint;
    }

    public SrtpProfile negotiatedProfile() {
        return negotiatedProfile;
    }

    public SrtpKeyingMaterial srtp() {
        return srtp;
    }

    public String cipherSuite() {
        return cipherSuite;
    }

    public boolean extendedMasterSecret() {
        return extendedMasterSecret;
    }

    /** The record keys of an AES-GCM suite, or null; the session forgets them (the writer keeps them). */
    public AeadKeys takeAeadKeys() {
        AeadKeys k = aeadKeys;
        aeadKeys = null;
        return k;
    }

    public boolean closeNotifyReceived() {
        return closeNotifyReceived;
    }

    public short fatalAlertReceived() {
        return fatalAlertReceived;
    }

    public DtlsRole role() {
        return role;
    }

    public String logId() {
        return logId;
    }
}
