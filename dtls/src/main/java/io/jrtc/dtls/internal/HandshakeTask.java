package io.jrtc.dtls.internal;

import io.jrtc.common.ErrorKind;
import io.jrtc.common.DtlsRole;
import java.io.IOException;
import java.util.function.Consumer;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DTLSServerProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsFatalAlertReceived;
import org.bouncycastle.tls.TlsTimeoutException;

/**
 * Runs BouncyCastle's blocking handshake (on the configured executor, a virtual thread by default) and publishes
 * the outcome once. The thread ends with the handshake.
 */
public final class HandshakeTask implements Runnable {

    private final Session session;
    private final HandoffTransport transport;
    private final Consumer<HandshakeOutcome> done;

    public HandshakeTask(Session session, HandoffTransport transport, Consumer<HandshakeOutcome> done) {
        this.session = session;
        this.transport = transport;
        this.done = done;
    }

    @Override
    public void run() {
        HandshakeOutcome outcome;
        try {
            DTLSTransport t;
            if (session.role() == DtlsRole.CLIENT) {
                t = new DTLSClientProtocol().connect(new WebRtcTlsClient(session), transport);
            } else {
                DTLSServerProtocol server = new DTLSServerProtocol();
                // ICE has already proven the peer's address (RFC 8445 consent), so skip the HelloVerifyRequest
                // cookie round trip, as browsers do.
                server.setVerifyRequests(false);
                t = server.accept(new WebRtcTlsServer(session), transport);
            }
            outcome = new HandshakeOutcome.Succeeded(t);
        } catch (TlsFatalAlertReceived e) {
            short d = e.getAlertDescription();
            outcome = new HandshakeOutcome.Failed(Alerts.kindOfReceived(d), "peer sent fatal alert " + Alerts.describe(d));
        } catch (TlsFatalAlert e) {
            String auth = session.authFailure();
            if (auth != null) {
                outcome = new HandshakeOutcome.Failed(ErrorKind.AUTHENTICATION, auth);
            } else {
                short d = e.getAlertDescription();
                // bctls turns a RuntimeException inside the handshake into internal_error with it as the cause.
                String cause = e.getCause() == null ? "" : " (cause: " + e.getCause() + ")";
                outcome = new HandshakeOutcome.Failed(Alerts.kindOfRaised(d), "handshake aborted with alert "
                        + (e.getMessage() == null ? Alerts.describe(d) : e.getMessage()) + cause);
            }
        } catch (TlsTimeoutException e) {
            outcome = new HandshakeOutcome.Failed(ErrorKind.TIMEOUT, "DTLS handshake did not complete within "
                    + session.config.handshakeTimeout().toMillis() + " ms");
        } catch (IOException e) {
            outcome = new HandshakeOutcome.Failed(ErrorKind.PROTOCOL_VIOLATION, "handshake I/O failed: " + e.getMessage());
        } catch (RuntimeException e) {
            outcome = new HandshakeOutcome.Failed(ErrorKind.PROTOCOL_VIOLATION, "handshake failed: " + e);
        }
        transport.flushFlight(); // the last flight (client Finished or server CCS+Finished), or an alert
        done.accept(outcome);
    }
}
