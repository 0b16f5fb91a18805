package io.jrtc.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code jrtc probe --serve-page}: the page is served on 127.0.0.1 at {@code --port} (its WebSocket only to itself),
 * the URL goes to standard error, and with no browser the run gives up after {@code --page-wait}; the option's bad
 * combinations are usage errors. A browser opening the page is tested in the probe module
 * ({@code ServedPageRouteProbesBrowsers}).
 */
class ProbeCommandServesAPage {

    @Test
    void thePageIsServedAndTheRunGivesUpWithoutABrowser() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        CompletableFuture<Run> run = CompletableFuture.supplyAsync(() -> Run.of("probe", "--serve-page", "--port",
                String.valueOf(port), "--page-wait", "3", "--only", "dcep-non-ascii-strings"));
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        URI page = URI.create("http://127.0.0.1:" + port + "/");
        HttpResponse<String> res = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        while (res == null) {
            try {
                res = http.send(HttpRequest.newBuilder(page).build(), HttpResponse.BodyHandlers.ofString());
            } catch (ConnectException e) {
                assertThat(System.nanoTime()).as("the page server listens on port " + port).isLessThan(deadline);
                java.util.concurrent.locks.LockSupport.parkNanos(20_000_000); // poll until the command has bound its port
            }
        }
        assertThat(res.statusCode()).isEqualTo(200);
        assertThat(res.headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");
        assertThat(res.body()).contains("<title>jrtc probe target</title>", "new WebSocket(", "/ws", "createDataChannel",
                "close-pc");
        assertThat(res.body()).doesNotContain("<script src", "<link ");
        HttpResponse<String> missing = http.send(HttpRequest.newBuilder(page.resolve("/other.js")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(missing.statusCode()).isEqualTo(404);
        HttpResponse<String> crossOrigin = http.send(HttpRequest.newBuilder(page.resolve("/ws"))
                .header("Origin", "http://elsewhere.example").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(crossOrigin.statusCode()).as("another site's page may not take the page's place").isEqualTo(403);
        Run r = run.get(30, TimeUnit.SECONDS);
        assertThat(r.code()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).contains("open http://127.0.0.1:" + port + "/ in the browser", "no page connected within 3 s");
    }

    @Test
    void badCombinationsAreUsageErrors() {
        assertThat(Run.of("probe", "--self", "--port", "8090").code()).isEqualTo(2);
        assertThat(Run.of("probe", "--serve-page", "--self").code()).isEqualTo(2);
        assertThat(Run.of("probe", "--serve-page", "--sdp-stdio").code()).isEqualTo(2);
        assertThat(Run.of("probe", "--serve-page", "--target", "echo-1").code()).isEqualTo(2);
        assertThat(Run.of("probe", "--serve-page", "--break", "IGNORE_A_RWND").code()).isEqualTo(2);
        assertThat(Run.of("probe", "--serve-page", "--port", "70000").code()).isEqualTo(2);
        assertThat(Run.of("probe", "--serve-page", "--page-wait", "0").code()).isEqualTo(2);
        Run help = Run.of("probe", "--help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).contains("--serve-page", "--port=N", "--page-wait=SECONDS");
    }
}
