package io.jrtc.signaling.server;

import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The browser page and its helpers over HTTP: {@code /} (HTML, script and style from the class path, nothing
 * from any CDN), {@code /results} (POST stores a JSON summary, GET lists them), 404 and 405.
 */
class PageAndResultsAreServed {

    private final Servers servers = new Servers();

    @AfterEach
    void tearDown() {
        servers.close();
    }

    @Test
    void pageAndAssetsAreServedWithoutExternalReferences() throws Exception {
        SignalingServer s = servers.start();
        int port = s.boundPort();
        Servers.Http page = Servers.get(port, "/");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.contentType()).startsWith("text/html");
        assertThat(page.body()).contains("<script src=\"/app.js\"").contains("/style.css");
        Servers.Http js = Servers.get(port, "/app.js");
        assertThat(js.status()).isEqualTo(200);
        assertThat(js.contentType()).startsWith("text/javascript");
        assertThat(js.body()).contains("RTCPeerConnection").contains("createDataChannel").contains("getStats")
                .contains("jrtcResults").contains("'/results'");
        Servers.Http css = Servers.get(port, "/style.css");
        assertThat(css.status()).isEqualTo(200);
        Pattern external = Pattern.compile("(https?:)?//[a-z0-9.-]+\\.[a-z]{2,}/", Pattern.CASE_INSENSITIVE);
        for (String body : new String[] {page.body(), js.body(), css.body()}) {
            assertThat(external.matcher(body).find()).as("no external URL in a page asset").isFalse();
        }
    }

    @Test
    void resultsAreStoredAndListed() throws Exception {
        SignalingServer s = servers.start();
        int port = s.boundPort();
        assertThat(Servers.get(port, "/results").body()).isEqualTo("[]");
        Servers.Http post = Servers.request("POST", port, "/results", "{\"agent\":\"web-1\",\"received\":10,\"ok\":true}");
        assertThat(post.status()).isEqualTo(204);
        assertThat(Servers.request("POST", port, "/results", "not json").status()).isEqualTo(400);
        assertThat(Servers.request("POST", port, "/results", "[1]").status()).isEqualTo(400);
        String list = Servers.get(port, "/results").body();
        assertThat(list).contains("\"summary\":{\"agent\":\"web-1\",\"received\":10,\"ok\":true}")
                .contains("\"received_at\":");
        assertThat(Servers.get(port, "/no-such-page").status()).isEqualTo(404);
        // the WebSocket path without an upgrade gets an HTTP error, not a hang
        assertThat(Servers.get(port, "/ws").status()).isBetween(400, 499);
        assertThat(Servers.get(port, "/ws?x=1").status()).isBetween(400, 499);
        assertThat(Servers.request("DELETE", port, "/health", null).status()).isEqualTo(405);
        assertThat(Servers.request("POST", port, "/metrics", "{}").status()).isEqualTo(405);
    }
}
