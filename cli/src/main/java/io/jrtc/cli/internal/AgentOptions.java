package io.jrtc.cli.internal;

import io.jrtc.cli.AgentConfig;
import io.jrtc.ice.IceServer;
import io.jrtc.signaling.client.AgentTokens;
import java.net.InetAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import picocli.CommandLine.Option;

/** The options an agent ({@code echo}, {@code agent}) shares: signaling, authentication and ICE. */
public final class AgentOptions {

    @Option(names = "--signaling", required = true, paramLabel = "URL", converter = Converters.WebSocketUriConverter.class,
            description = "The signaling server, e.g. ws://127.0.0.1:8080/ws (wss:// for TLS).")
    URI signaling;

    @Option(names = "--token", paramLabel = "TOKEN", description = "A token for a server with a secret (env JRTC_TOKEN).")
    String token;

    @Option(names = "--secret", paramLabel = "SECRET",
            description = "Mint tokens with the server's secret instead (env JRTC_SIGNALING_SECRET).")
    String secret;

    @Option(names = "--token-lifetime", paramLabel = "DURATION", defaultValue = "1h", converter = Converters.DurationConverter.class,
            description = "Lifetime of minted tokens (default: ${DEFAULT-VALUE}).")
    Duration tokenLifetime;

    @Option(names = "--relay-only", description = "Use TURN relay candidates only (W3C iceTransportPolicy \"relay\").")
    boolean relayOnly;

    @Option(names = "--ice-server", paramLabel = "URL[,USER,CREDENTIAL]", converter = Converters.IceServerConverter.class,
            description = "A STUN or TURN server, in addition to the signaling server's ice_servers. Repeatable. "
                    + "E.g. stun:10.0.0.1:3478 or turn:10.0.0.1:3478?transport=tcp,alice,secret")
    List<IceServer> iceServers = new ArrayList<>();

    @Option(names = "--bind", paramLabel = "ADDR", converter = Converters.AddressConverter.class,
            description = "Gather host candidates only on this address. Repeatable. "
                    + "Default: the interfaces that carry a default route (others, such as bridges and tunnels, only when named).")
    List<InetAddress> bind = new ArrayList<>();

    /** The agent configuration for {@code agentId}. */
    public AgentConfig toConfig(String agentId) {
        return AgentConfig.builder(signaling, agentId)
                .tokenSupplier(tokenSupplier(agentId))
                .iceServers(iceServers)
                .relayOnly(relayOnly)
                .bindAddresses(bind)
                .build();
    }

    private Supplier<String> tokenSupplier(String agentId) {
        String t = token != null ? token : System.getenv("JRTC_TOKEN");
        if (t != null && !t.isEmpty()) {
            return () -> t;
        }
        String s = secret != null ? secret : System.getenv("JRTC_SIGNALING_SECRET");
        if (s != null && !s.isEmpty()) {
            return AgentTokens.supplier(s, agentId, tokenLifetime, Clock.systemUTC());
        }
        return null;
    }

    public URI signaling() {
        return signaling;
    }
}
