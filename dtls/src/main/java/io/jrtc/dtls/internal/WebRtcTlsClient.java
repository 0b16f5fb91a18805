package io.jrtc.dtls.internal;

import io.jrtc.dtls.DtlsCertificate;
import io.jrtc.common.SrtpProfile;
import java.io.IOException;
import java.util.Hashtable;
import java.util.List;
import java.util.Vector;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.ClientCertificateType;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DTLS client side for WebRTC: DTLS 1.2 only, TLS_ECDHE_ECDSA and TLS_ECDHE_RSA suites (the server's
 * certificate may be either, RFC 8827 section 6.5), ECDSA and RSA signature algorithms, use_srtp offered (RFC 5764
 * section 4.1.1), extended_master_secret offered, server certificate checked by fingerprint instead of a chain
 * (RFC 8827 section 6.5), our certificate (ECDSA or RSA) sent when the server accepts its type.
 */
public final class WebRtcTlsClient extends DefaultTlsClient {

    private static final Logger LOG = LoggerFactory.getLogger(WebRtcTlsClient.class);
    private static final byte[] NO_MKI = new byte[0];

    private final Session session;

    public WebRtcTlsClient(Session session) {
        super(Crypto.INSTANCE);
        this.session = session;
    }

    @Override
    protected ProtocolVersion[] getSupportedVersions() {
        return ProtocolVersion.DTLSv12.only();
    }

    @Override
    protected int[] getSupportedCipherSuites() {
        return CipherSuites.CLIENT_OFFER.clone();
    }

    @Override
    @SuppressWarnings("rawtypes")
    protected Vector getSupportedSignatureAlgorithms() {
        return TlsUtils.getSupportedSignatureAlgorithms(context, SignatureAlgorithms.accepted());
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
        return false; // self-signed certificates authenticated by fingerprint, not by their signature
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public Hashtable getClientExtensions() throws IOException {
        Hashtable ext = super.getClientExtensions();
        List<SrtpProfile> profiles = session.config.srtpProfiles();
        if (!profiles.isEmpty()) {
            if (ext == null) {
                ext = new Hashtable();
            }
            TlsSRTPUtils.addUseSRTPExtension(ext, new UseSRTPData(profiles.stream().mapToInt(SrtpProfile::id).toArray(), NO_MKI));
        }
        return ext;
    }

    @Override
    @SuppressWarnings("rawtypes")
    public void processServerExtensions(Hashtable serverExtensions) throws IOException {
        super.processServerExtensions(serverExtensions);
        UseSRTPData data = serverExtensions == null ? null : TlsSRTPUtils.getUseSRTPExtension(serverExtensions);
        if (data == null) {
            if (!session.config.srtpProfiles().isEmpty()) {
                LOG.debug("{}: server did not accept use_srtp; connecting without SRTP keys", session.logId);
            }
            return;
        }
        int[] chosen = data.getProtectionProfiles();
        // RFC 5764 section 4.1.1: exactly one profile, one the client offered.
        if (chosen.length != 1) {
            throw new TlsFatalAlert(AlertDescription.illegal_parameter, "use_srtp: server chose " + chosen.length + " profiles");
        }
        SrtpProfile profile = SrtpProfile.fromId(chosen[0]).filter(session.config.srtpProfiles()::contains).orElse(null);
        if (profile == null) {
            throw new TlsFatalAlert(AlertDescription.illegal_parameter,
                    "use_srtp: server chose profile " + chosen[0] + " which we did not offer");
        }
        if (data.getMki() != null && data.getMki().length != 0) {
            throw new TlsFatalAlert(AlertDescription.illegal_parameter, "use_srtp: server returned an MKI we did not send");
        }
        session.setNegotiatedProfile(profile);
    }

    @Override
    public TlsAuthentication getAuthentication() {
        return new TlsAuthentication() {
            @Override
            public void notifyServerCertificate(TlsServerCertificate serverCertificate) throws IOException {
                session.checkPeerCertificate(serverCertificate.getCertificate());
            }

            @Override
            public TlsCredentials getClientCredentials(CertificateRequest request) throws IOException {
                DtlsCertificate.KeyType ours = session.localKeyType();
                short wanted = ours == DtlsCertificate.KeyType.RSA
                        ? ClientCertificateType.rsa_sign : ClientCertificateType.ecdsa_sign;
                boolean accepted = false;
                for (short t : request.getCertificateTypes()) {
                    accepted |= t == wanted;
                }
                if (!accepted) {
                    LOG.warn("{}: server does not accept {} client certificates; sending none", session.logId, ours);
                    return null;
                }
                return session.signer(context, request.getSupportedSignatureAlgorithms());
            }
        };
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
