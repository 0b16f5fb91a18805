package io.jrtc.examples;

import io.jrtc.mesh.AgentId;
import io.jrtc.mesh.Identity;
import io.jrtc.mesh.MeshAgent;
import io.jrtc.mesh.MeshConfig;
import io.jrtc.mesh.MeshMessage;
import io.jrtc.mesh.SendResult;
import io.jrtc.peer.PeerConnectionFactory;
import io.jrtc.peer.RtcConfiguration;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A chat over the agent mesh: each participant is a {@link MeshAgent}, which finds the others through a signaling
 * server, links to some of them over PeerConnection data channels, and carries a line to everyone (broadcast, over
 * several hops if need be) or to one participant (unicast, acknowledged end to end). Every message is signed by its
 * sender's Ed25519 key and checked at every hop, so {@link MeshMessage#origin()} is who really wrote it.
 *
 * <pre>
 * java -cp jrtc-examples.jar io.jrtc.signaling.server.SignalingServerMain --host 127.0.0.1 --port 8080
 * java -cp jrtc-examples.jar io.jrtc.examples.MeshChat ws://127.0.0.1:8080/ws alice
 * java -cp jrtc-examples.jar io.jrtc.examples.MeshChat ws://127.0.0.1:8080/ws bob
 * </pre>
 * Type a line to send it to everyone, {@code @bob text} to send it to bob only.
 *
 * <p>What it shows: {@link MeshConfig} (an identity, the signaling URI, a display name, a shared
 * {@link PeerConnectionFactory}, a template for the connections), {@code start()}, {@code broadcast},
 * {@code sendWithAck}, {@code onMessage}, {@code neighbours()} and {@code presentAgents()}, which maps each agent id
 * to its signaling id ({@code name.hex}): the chat shows names from there.
 *
 * <p>Threads: {@code onMessage} runs on the agent's event loop; the chat only formats the line there and hands it to
 * the {@code Consumer<String>} it was given, which must not block.
 */
public final class MeshChat implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MeshChat.class);

    private final String name;
    private final MeshAgent agent;

    /**
     * A participant named {@code name} (letters and digits), not started yet.
     *
     * @param factory shared by the participants of one process (null: the agent makes its own)
     * @param display receives every line to show, on the agent's event loop
     */
    public MeshChat(String name, URI signaling, PeerConnectionFactory factory, Consumer<String> display) {
        this.name = name;
        this.agent = new MeshAgent(MeshConfig.builder(Identity.generate(), signaling)
                .name(name)
                .factory(factory)
                // loopback only, as every example here; leave the template out to use every interface
                .rtcTemplate(RtcConfiguration.builder().addBindAddress(InetAddress.getLoopbackAddress()).build())
                .build());
        agent.onMessage(m -> display.accept(format(m)));
    }

    private String format(MeshMessage m) {
        String text = new String(m.payload(), StandardCharsets.UTF_8);
        String from = nameOf(m.origin());
        return m.broadcast() ? from + ": " + text : from + " (to you): " + text;
    }

    /** The display name of an agent: the part of its signaling id before the dot, else its short id. */
    private String nameOf(AgentId id) {
        String signalingId = agent.presentAgents().get(id);
        int dot = signalingId == null ? -1 : signalingId.lastIndexOf('.');
        return dot > 0 ? signalingId.substring(0, dot) : id.shortString();
    }

    /** Registers with the signaling server; links to the others form from then on. */
    public void start(Duration timeout) throws Exception {
        agent.start().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        LOG.info("{}: registered as {}", name, agent.signalingId());
    }

    /** Sends a line to everyone. {@code ACCEPTED}, or why not: no neighbour yet, or the links are full. */
    public SendResult.Status say(String text) {
        return agent.broadcast(text.getBytes(StandardCharsets.UTF_8)).status();
    }

    /**
     * Sends a line to one participant, by name; completes when that participant acknowledged it (the mesh finds a
     * route on demand), or fails when it did not within the mesh's acknowledgement timeout.
     */
    public CompletableFuture<Long> tell(String to, String text) {
        Optional<AgentId> target = agentNamed(to);
        if (target.isEmpty()) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("nobody called " + to + " is here"));
        }
        return agent.sendWithAck(target.get(), text.getBytes(StandardCharsets.UTF_8));
    }

    /** The agent whose signaling id is {@code name.hex}, among those present. */
    public Optional<AgentId> agentNamed(String participant) {
        for (Map.Entry<AgentId, String> e : agent.presentAgents().entrySet()) {
            if (e.getValue().startsWith(participant + ".")) {
                return Optional.of(e.getKey());
            }
        }
        return Optional.empty();
    }

    public String name() {
        return name;
    }

    /** The underlying agent (its id, neighbours, stats). */
    public MeshAgent agent() {
        return agent;
    }

    /** Says goodbye to the neighbours and closes every link. */
    @Override
    public void close() {
        agent.close();
    }

    /** {@code <ws-uri> <name>}: reads lines from standard input until it ends. */
    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: MeshChat ws://127.0.0.1:8080/ws <name>");
            System.exit(2);
        }
        try (MeshChat chat = new MeshChat(args[1], URI.create(args[0]), null, System.out::println)) {
            chat.start(Duration.ofSeconds(10));
            System.out.println("joined as " + chat.name() + "; type a line, or @name text");
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.startsWith("@") && line.indexOf(' ') > 1) {
                    String to = line.substring(1, line.indexOf(' '));
                    chat.tell(to, line.substring(line.indexOf(' ') + 1)).whenComplete((seq, e) ->
                            System.out.println(e == null ? "* delivered to " + to : "* not delivered to " + to
                                    + ": " + e.getMessage()));
                } else if (!line.isBlank()) {
                    SendResult.Status s = chat.say(line);
                    if (s != SendResult.Status.ACCEPTED) {
                        System.out.println("* not sent: " + s);
                    }
                }
            }
        }
    }
}
