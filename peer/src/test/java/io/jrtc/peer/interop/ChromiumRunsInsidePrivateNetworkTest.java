package io.jrtc.peer.interop;

import io.jrtc.testkit.interop.HarnessServer;
import io.jrtc.testkit.interop.Interop;
import io.jrtc.testkit.interop.PrivateNetwork;
import io.jrtc.testkit.interop.RemotePeer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The interop plumbing itself: a private namespace, the harness server on its host end, and headless Chromium inside
 * it connecting two of its own peer connections over the namespace's veth address.
 */
class ChromiumRunsInsidePrivateNetworkTest {

    @Test
    void chromiumOpensDataChannelsInsideTheNamespaceAndReportsBack() throws Exception {
        Interop.requirePeer(RemotePeer.Kind.CHROMIUM);
        try (PrivateNetwork net = PrivateNetwork.create();
             HarnessServer harness = new HarnessServer(net.hostAddress());
             RemotePeer chromium = RemotePeer.chromium(net, harness.baseUrl() + "/page.html?mode=c2c-setup&n=5", false, List.of())) {
            JsonNode result = harness.awaitResult("c2c-setup", Duration.ofSeconds(60));
            assertThat(result).as("Chromium's result (process alive: %s)", chromium.isAlive()).isNotNull();
            assertThat(result.path("n").asInt()).isEqualTo(5);
            assertThat(result.path("p50").asDouble()).isPositive();
        }
    }
}
