package io.jrtc.deploy;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.jrtc.mesh.AgentId;
import io.jrtc.mesh.Identity;
import io.jrtc.mesh.MeshAgent;
import io.jrtc.mesh.MeshConfig;
import io.jrtc.mesh.MeshEvent;
import io.jrtc.mesh.SendResult;
import io.jrtc.peer.PeerConnectionFactory;
import io.jrtc.peer.RtcConfiguration;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM's main, run by {@link DrillCNetworkPartition} inside a private network namespace
 * ({@code ip netns exec}): one {@link MeshAgent} per address given, each binding its links to that address only, all on
 * one shared {@link PeerConnectionFactory}. It speaks a line protocol:
 *
 * <pre>
 * out  ID i agentIdHex       once per agent, then READY
 *      NU i j / ND i j       agent i's neighbour j came up / went down (the overlay's active view)
 *      LD i j reason         a link of agent i to j went down
 *      GOT i origin hops payload
 *      SENT i STATUS payload the answer to a B command
 *      PRESENT i n           agents the signaling server lists to agent i (answer to P)
 *      STATS i ...           (answer to S)
 * in   B i payload           agent i broadcasts payload (UTF-8, no spaces)
 *      P / S                 presence / stats of every agent
 * </pre>
 *
 * Standard input closing ends it: every agent closes and the JVM exits. Logs go to standard error.
 */
public final class NamespacedMeshAgents {

    private NamespacedMeshAgents() {
    }

    /** Arguments: the signaling URI, the overlay degree, then one bind address per agent. */
    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, true, UTF_8);
        URI signaling = URI.create(args[0]);
        int degree = Integer.parseInt(args[1]);
        PeerConnectionFactory factory = new PeerConnectionFactory(2);
        List<MeshAgent> agents = new ArrayList<>();
        List<AgentId> ids = new ArrayList<>();
        for (int i = 2; i < args.length; i++) {
            Identity id = Identity.generate();
            ids.add(id.agentId());
            agents.add(new MeshAgent(MeshConfig.builder(id, signaling).name("c" + (i - 2)).factory(factory)
                    .degree(degree).maxLinks(degree + 2).seed(i)
                    .rtcTemplate(RtcConfiguration.builder().addBindAddress(InetAddress.getByName(args[i])).build())
                    .build()));
        }
        for (int i = 0; i < agents.size(); i++) {
            int at = i;
            out.println("ID " + i + " " + ids.get(i));
            agents.get(i).onMessage(m -> out.println("GOT " + at + " " + ids.indexOf(m.origin()) + " " + m.hops() + " "
                    + new String(m.payload(), UTF_8)));
            agents.get(i).onEvent(e -> {
                switch (e) {
                    case MeshEvent.NeighbourUp u -> out.println("NU " + at + " " + ids.indexOf(u.agent()));
                    case MeshEvent.NeighbourDown d -> out.println("ND " + at + " " + ids.indexOf(d.agent()));
                    case MeshEvent.LinkDown d -> out.println("LD " + at + " " + ids.indexOf(d.agent()) + " "
                            + d.reason().replace('\n', ' '));
                    default -> { }
                }
            });
        }
        for (MeshAgent a : agents) {
            a.start().get(30, TimeUnit.SECONDS);
        }
        out.println("READY");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, UTF_8));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            String[] f = line.split(" ", 3);
            switch (f[0]) {
                case "B" -> {
                    SendResult r = agents.get(Integer.parseInt(f[1])).broadcast(f[2].getBytes(UTF_8));
                    out.println("SENT " + f[1] + " " + r.status() + " " + f[2]);
                }
                case "P" -> {
                    for (int i = 0; i < agents.size(); i++) {
                        out.println("PRESENT " + i + " " + agents.get(i).presentAgents().size());
                    }
                }
                case "S" -> {
                    for (int i = 0; i < agents.size(); i++) {
                        out.println("STATS " + i + " " + agents.get(i).stats());
                    }
                }
                default -> out.println("ERR unknown command " + line);
            }
        }
        for (MeshAgent a : agents) {
            a.close();
        }
        factory.close();
        System.exit(0);
    }
}
