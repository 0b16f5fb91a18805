package io.jrtc.cli.interop;

import io.jrtc.testkit.interop.Interop;
import io.jrtc.testkit.interop.PrivateNetwork;
import io.jrtc.testkit.interop.RemotePeer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jrtc.cli.AgentConfig;
import io.jrtc.cli.EchoAgent;
import io.jrtc.peer.PeerConnectionFactory;
import io.jrtc.signaling.server.SignalingServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * End to end in a real browser: the signaling server (what {@code jrtc signaling} runs) serves its page; headless
 * Chromium, inside a private network namespace, opens {@code /?id=browser&auto=echo&count=50}; the page registers,
 * offers a data channel to the echo agent (what {@code jrtc echo} runs), trickles candidates both ways, sends 50
 * messages and POSTs its summary to {@code /results}. The test reads that summary (50 echoes, each with its RTT, over a
 * selected pair on the namespace's addresses) and checks on the agent's side that each of the 50 messages was echoed
 * as the string it was. Run with Chromium hiding its addresses behind mDNS names (browsers' default) and without.
 */
class ChromiumPageEchoesThroughTheEchoAgent {

    private static final int COUNT = 50;
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest(name = "mdns={0}")
    @ValueSource(booleans = {false, true})
    void theBrowserPageGetsFiftyEchoesFromTheEchoAgent(boolean mdns) throws Exception {
        Interop.requirePeer(RemotePeer.Kind.CHROMIUM);
        try (PrivateNetwork net = PrivateNetwork.create();
             PeerConnectionFactory factory = new PeerConnectionFactory(2)) {
            String host = net.hostAddress().getHostAddress();
            SignalingServer server = NamespaceSignaling.start(host);
            int port = server.boundPort();
            List<EchoAgent.Echo> echoed = new CopyOnWriteArrayList<>();
            List<String> texts = new CopyOnWriteArrayList<>();
            CountDownLatch all = new CountDownLatch(COUNT);
            try (EchoAgent echo = new EchoAgent(AgentConfig.builder(URI.create("ws://" + host + ":" + port + "/ws"), "echo")
                    .addBindAddress(net.hostAddress()).build(), factory)) {
                echo.onEcho(e -> {
                    echoed.add(e);
                    texts.add(e.message().isBinary() ? "<binary>" : e.message().text());
                    all.countDown();
                });
                echo.start().get(10, TimeUnit.SECONDS);
                String base = "http://" + host + ":" + port;
                try (RemotePeer chromium = RemotePeer.chromium(net,
                        base + "/?id=browser&auto=echo&count=" + COUNT + "&timeout=30000", mdns, List.of())) {
                    assertThat(all.await(60, TimeUnit.SECONDS))
                            .as("the echo agent echoed %d of %d (Chromium alive: %s, log %s)", COUNT - all.getCount(), COUNT,
                                    chromium.isAlive(), chromium.log()).isTrue();
                    JsonNode summary = awaitSummary(base, "browser", Duration.ofSeconds(30));
                    assertThat(summary).as("the page's summary at %s/results", base).isNotNull();
                    checkSummary(summary, host, mdns);
                }
                // what the echo agent saw: the page's 50 messages, as strings, in order, on its channel
                assertThat(echoed).hasSize(COUNT);
                assertThat(echoed).allSatisfy(e -> {
                    assertThat(e.remoteAgent()).isEqualTo("browser");
                    assertThat(e.channelLabel()).isEqualTo("jrtc");
                    assertThat(e.message().isBinary()).isFalse();
                });
                for (int i = 0; i < COUNT; i++) {
                    JsonNode m = JSON.readTree(texts.get(i));
                    assertThat(m.path("seq").asInt()).isEqualTo(i + 1);
                    assertThat(m.path("from").asText()).isEqualTo("browser");
                    assertThat(m.path("text").asText()).isEqualTo("message " + (i + 1) + " of " + COUNT);
                }
                assertThat(echo.stats().textEchoed()).isEqualTo(COUNT);
                assertThat(echo.stats().binaryEchoed()).isZero();
            } finally {
                server.close();
            }
        }
    }

    private static void checkSummary(JsonNode s, String host, boolean mdns) {
        assertThat(s.path("ok").asBoolean()).as("summary %s", s).isTrue();
        assertThat(s.path("peer").asText()).isEqualTo("echo");
        assertThat(s.path("sent").asInt()).isEqualTo(COUNT);
        assertThat(s.path("received").asInt()).isEqualTo(COUNT);
        assertThat(s.path("rtts")).hasSize(COUNT);
        s.path("rtts").forEach(r -> assertThat(r.asDouble()).isPositive().isLessThan(5000));
        assertThat(s.path("rtt_ms").path("p50").asDouble()).isPositive();
        assertThat(s.path("channel_open_ms").asDouble()).isPositive();
        assertThat(s.path("errors")).isEmpty();
        JsonNode stats = s.path("stats");
        // Chromium re-checks its selected pair all the time; the pair's state shows the latest check
        assertThat(stats.path("state").asText()).isIn("succeeded", "in-progress");
        // the browser's selected pair ends at the echo agent's only host candidate
        assertThat(stats.path("remote").path("address").asText()).isEqualTo(host);
        assertThat(stats.path("bytesSent").asLong()).isPositive();
        assertThat(stats.path("bytesReceived").asLong()).isPositive();
        // the page logs every candidate it sends: with mDNS hiding on they are .local names, else real addresses
        List<String> sentCandidates = new java.util.ArrayList<>();
        s.path("log").forEach(l -> {
            if (l.asText().contains("local candidate for echo: candidate:")) {
                sentCandidates.add(l.asText());
            }
        });
        assertThat(sentCandidates).as("candidates the page trickled").isNotEmpty();
        String subnet = host.substring(0, host.lastIndexOf('.') + 1);
        if (mdns) {
            assertThat(sentCandidates).allSatisfy(c -> assertThat(c).contains(".local").doesNotContain(subnet));
        } else {
            assertThat(sentCandidates).anySatisfy(c -> assertThat(c).contains(subnet));
            assertThat(stats.path("local").path("address").asText()).startsWith(subnet);
        }
    }

    /** Polls {@code /results} (every 200 ms) until the page with {@code agent} has posted its summary. */
    private static JsonNode awaitSummary(String base, String agent, Duration timeout) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/results")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200) {
                for (JsonNode entry : JSON.readTree(r.body())) {
                    JsonNode summary = entry.path("summary");
                    if (agent.equals(summary.path("agent").asText())) {
                        return summary;
                    }
                }
            }
            CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(200, TimeUnit.MILLISECONDS)).get();
        }
        return null;
    }
}
