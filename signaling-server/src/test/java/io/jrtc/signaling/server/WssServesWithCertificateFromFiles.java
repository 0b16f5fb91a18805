package io.jrtc.signaling.server;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * TLS from a PEM certificate and key on disk: wss:// registration and relay, https:// /health, and a
 * plain-text client is refused.
 */
class WssServesWithCertificateFromFiles {

    private final Servers servers = new Servers();

    @AfterEach
    void tearDown() {
        servers.close();
    }

    @Test
    void wssAndHttpsWorkWithTheConfiguredCertificate(@TempDir Path dir) throws Exception {
        SelfSignedCert cert = SelfSignedCert.create(dir);
        SignalingServer s = servers.start(SignalingServerConfig.builder().tls(cert.certFile(), cert.keyFile()));
        // The certificate's notAfter is exported for the expiry alert (deploy/prometheus/alerts.yml).
        String expiry = s.scrapeMetrics().lines()
                .filter(l -> l.startsWith("jrtc_signaling_tls_certificate_expiry_timestamp_seconds "))
                .findFirst().orElseThrow();
        assertThat(Double.parseDouble(expiry.substring(expiry.indexOf(' ') + 1)))
                .isEqualTo((double) cert.certificate().getNotAfter().toInstant().getEpochSecond());
        SSLContext ctx = cert.trustingContext();
        int port = s.boundPort();
        try (RawWebSocket a = RawWebSocket.connect(ctx.getSocketFactory(), port, "/ws");
             RawWebSocket b = RawWebSocket.connect(ctx.getSocketFactory(), port, "/ws")) {
            a.sendJson("{\"type\":\"register\",\"agent_id\":\"tls-a\"}");
            assertThat(a.readJson().get("type").asText()).isEqualTo("registered");
            b.sendJson("{\"type\":\"register\",\"agent_id\":\"tls-b\"}");
            assertThat(b.readJson().get("type").asText()).isEqualTo("registered");
            assertThat(a.readJson().get("type").asText()).isEqualTo("agent_joined");
            a.sendJson("{\"type\":\"offer\",\"to\":\"tls-b\",\"sdp\":\"v=0 over tls\"}");
            assertThat(b.readJson().get("sdp").asText()).isEqualTo("v=0 over tls");
        }
        HttpsURLConnection c = (HttpsURLConnection) URI.create("https://127.0.0.1:" + port + "/health").toURL()
                .openConnection(java.net.Proxy.NO_PROXY);
        c.setSSLSocketFactory(ctx.getSocketFactory());
        assertThat(c.getResponseCode()).isEqualTo(200);
        assertThat(new String(c.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).contains("serving");
        c.disconnect();
        assertThatThrownBy(() -> RawWebSocket.connect(port)).isInstanceOf(IOException.class);
    }
}
