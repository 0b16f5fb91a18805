package io.jrtc.signaling.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jrtc.signaling.server.SignalingServer;
import java.net.URI;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link SignalingClient#sendLinkReport} against a real server (revision 4): refused before registration, accepted
 * once the server announced the feature, and visible at the server's {@code /mesh}; bad links are refused by the
 * record itself.
 */
class LinkReportsReachTheServersMeshView {

    private final TestServers t = new TestServers();

    @AfterEach
    void tearDown() {
        t.close();
    }

    private static String mesh(SignalingServer s) throws Exception {
        HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + s.boundPort() + "/mesh").toURL()
                .openConnection();
        try {
            assertThat(c.getResponseCode()).isEqualTo(200);
            return new String(c.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            c.disconnect();
        }
    }

    @Test
    void aReportFromARegisteredClientIsShownAtMesh() throws Exception {
        SignalingServer s = t.start();
        SignalingClient alice = t.client(TestServers.uri(s), "alice");
        List<SignalingMessage.LinkReport.Link> links = List.of(new SignalingMessage.LinkReport.Link("bob", "HIGH", 0.75),
                new SignalingMessage.LinkReport.Link("carol", "LOW", null));
        assertThat(alice.sendLinkReport(links)).as("not registered yet: nothing sent").isFalse();

        SignalingMessage.Registered r = alice.connect().get(10, TimeUnit.SECONDS);
        assertThat(r.acceptsLinkReports()).isTrue();
        assertThat(alice.sendLinkReport(links)).isTrue();
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        String body = mesh(s);
        while (!body.contains("carol") && System.nanoTime() < deadline) {
            LockSupport.parkNanos(20_000_000L); // /mesh has no push: ask again
            body = mesh(s);
        }
        assertThat(body).contains("\"id\":\"alice\"")
                .contains("{\"agent\":\"bob\",\"mode\":\"HIGH\",\"rtt_ms\":0.75}")
                .contains("{\"agent\":\"carol\",\"mode\":\"LOW\",\"rtt_ms\":null}");
    }

    @Test
    void badLinksAreRefusedBeforeSending() {
        assertThatThrownBy(() -> new SignalingMessage.LinkReport.Link("bob", "fast", 1.0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SignalingMessage.LinkReport.Link("bob", "HIGH", -1.0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SignalingMessage.LinkReport(java.util.Collections.nCopies(65,
                new SignalingMessage.LinkReport.Link("bob", "HIGH", null)))).isInstanceOf(IllegalArgumentException.class);
    }
}
