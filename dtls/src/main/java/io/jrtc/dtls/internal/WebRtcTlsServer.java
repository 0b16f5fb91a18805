package io.jrtc.dtls.internal;

import io.jrtc.common.SrtpProfile;
import java.io.IOException;
import java.util.Hashtable;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.ClientCertificateType;
import org.bouncycastle.tls.DefaultTlsServer;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.UseSRTPData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DTLS server side for WebRTC: DTLS 1.2 only; the TLS_ECDHE_ECDSA suites when our certificate is ECDSA, the
 * TLS_ECDHE_RSA suites when it is RSA, in our preference order; a client certificate always requested, ECDSA or RSA
 * (RFC 8827 section 6.5: both ends are authenticated by fingerprint, whatever their key type) and checked by
 * fingerprint; use_srtp answered with our most preferred profile among the client's (RFC 5764 section 4.1.1).
 */
public final class WebRtcTlsServer extends DefaultTlsServer {

    private static final Logger LOG = LoggerFactory.getLogger(WebRtcTlsServer.class);
    private static final byte[] NO_MKI = new byte[0];

    private final Session session;
    private SrtpProfile chosen;

    public WebRtcTlsServer(Session session) {
        super(Crypto.INSTANCE);
        this.session = session;
    }

    @Override
    protected ProtocolVersion[] getSupportedVersions() {
        return ProtocolVersion.DTLSv12.only();
    }

    @Override
    protected int[] getSupportedCipherSuites() {
        return CipherSuites.forServer(session.localKeyType());
    }

    @Override
    protected boolean preferLocalCipherSuites() {
        return true;
    }

    @Override
    public int getHandshakeTimeoutMillis() {
        return (int) session.config.handshakeTimeout().toMillis();
    }

    @Override
    public int getHandshakeResendTimeMillis() {
        return (int) session.config.initialRetransmit().toMillis();
    }

    @Override
    public boolean requiresExtendedMasterSecret() {
        return session.config.requireExtendedMasterSecret();
    }

    @Override
    public boolean shouldCheckSigAlgOfPeerCerts() {
        return false;
    }

    @Override
    protected TlsCredentialedSigner getECDSASignerCredentials() throws IOException {
        return session.signer(context, context.getSecurityParametersHandshake().getClientSigAlgs());
    }

    @Override
    protected TlsCredentialedSigner getRSASignerCredentials() throws IOException {
        return session.signer(context, context.getSecurityParametersHandshake().getClientSigAlgs());
    }

    /** Both client certificate types, whatever ours is: the remote end's key type is its own choice. */
    @Override
    public CertificateRequest getCertificateRequest() {
        return new CertificateRequest(new short[] {ClientCertificateType.ecdsa_sign, ClientCertificateType.rsa_sign},
                SignatureAlgorithms.accepted(), null);
    }

    @Override
    public void notifyClientCertificate(Certificate clientCertificate) throws IOException {
        session.checkPeerCertificate(clientCertificate);
    }

    @Override
    @SuppressWarnings("rawtypes")
    public void processClientExtensions(Hashtable clientExtensions) throws IOException {
        super.processClientExtensions(clientExtensions);
        UseSRTPData offered = clientExtensions == null ? null : TlsSRTPUtils.getUseSRTPExtension(clientExtensions);
        if (offered == null || session.config.srtpProfiles().isEmpty()) {
            return;
        }
        for (SrtpProfile p : session.config.srtpProfiles()) {
            for (int id : offered.getProtectionProfiles()) {
                if (p.id() == id) {
                    chosen = p;
                    session.setNegotiatedProfile(p);
                    return;
                }
            }
        }
        LOG.debug("{}: no common SRTP profile with the client; connecting without SRTP keys", session.logId);
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public Hashtable getServerExtensions() throws IOException {
        Hashtable ext = super.getServerExtensions();
        if (chosen != null) {
            if (ext == null) {
                ext = new Hashtable();
            }
            TlsSRTPUtils.addUseSRTPExtension(ext, new UseSRTPData(new int[] {chosen.id()}, NO_MKI));
        }
        return ext;
    }

    @Override
    public void notifyHandshakeComplete() throws IOException {
        super.notifyHandshakeComplete();
        session.handshakeComplete(context);
    }

    @Override
    public void notifyAlertReceived(short alertLevel, short alertDescription) {
        session.alertReceived(alertLevel, alertDescription);
    }

    @Override
    public void notifyAlertRaised(short alertLevel, short alertDescription, String message, Throwable cause) {
        session.alertRaised(alertLevel, alertDescription, message, cause);
    }
}
