package io.jrtc.cli.internal;

import io.jrtc.common.ParseException;
import io.jrtc.ice.nat.NatBehaviorResult;
import io.jrtc.mesh.AgentId;
import io.jrtc.mesh.MeshAgent;
import io.jrtc.mesh.MeshEvent;
import io.jrtc.mesh.MeshMessage;
import io.jrtc.mesh.Revocation;
import io.jrtc.mesh.SendResult;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * The text console of {@code jrtc mesh}: a line is broadcast, {@code @target text} is sent to one agent with an
 * acknowledgement, and what arrives is printed with its origin and hop count, e.g. {@code bob (1a2b3c4d) [2 hops]:
 * hello} or {@code bob (1a2b3c4d) [1 hop, to you]: hi}. A target is a full agent id, a signaling id
 * ({@code name.hex}), a name, or a unique prefix of at least 4 hex digits of a present agent's id.
 *
 * <p>A line that starts with {@code /} is a command: {@code /revoke HEX} publishes an operator's revocation (a line
 * of {@code jrtc revoke}'s output) from this agent to the whole mesh, {@code /revoked} lists the revoked agents,
 * {@code /help} lists the commands. {@code //text} broadcasts {@code /text}.
 *
 * <p>Received messages and events are printed on the agent's loop; lines are handled on the caller's thread. The
 * writer is used under its own lock.
 */
public final class MeshConsole {

    private final MeshAgent agent;
    private final PrintWriter out;

    public MeshConsole(MeshAgent agent, PrintWriter out) {
        this.agent = agent;
        this.out = out;
    }

    /** Prints every delivered message and neighbour change from now on. */
    public MeshConsole attach() {
        agent.onMessage(this::print);
        agent.onEvent(e -> {
            switch (e) {
                case MeshEvent.NeighbourUp u -> println("* neighbour up: " + describe(u.agent()));
                case MeshEvent.NeighbourDown d -> println("* neighbour down: " + describe(d.agent()));
                case MeshEvent.NatDiscovered n -> println(nat(n));
                case MeshEvent.Revoked r -> println("* revoked by the operator: " + describe(r.agent()) + " (" + r.reason() + ")");
                default -> { }
            }
        });
        return this;
    }

    /**
     * {@code * nat: no NAT, mapping endpoint-independent, filtering endpoint-independent (127.0.0.1:3478, complete)},
     * or why there is no answer.
     */
    public static String nat(MeshEvent.NatDiscovered n) {
        NatBehaviorResult r = n.result();
        if (r == null) {
            return "! nat: the check could not run: " + n.error();
        }
        String server = r.server().getAddress().getHostAddress() + ":" + r.server().getPort();
        return switch (r.status()) {
            case SERVER_UNREACHABLE -> "! nat: no answer from the STUN server " + server;
            case SERVER_ERROR -> "! nat: the STUN server " + server + " answered with an error";
            case COMPLETE, NO_RFC5780_SUPPORT -> "* nat: " + (r.behindNat() ? "behind a NAT (mapped " + r.mappedAddress()
                    .getAddress().getHostAddress() + ":" + r.mappedAddress().getPort() + ")" : "no NAT")
                    + ", mapping " + r.mapping().label() + ", filtering " + r.filtering().label() + " (" + server + ", "
                    + (r.status() == NatBehaviorResult.Status.COMPLETE ? "RFC 5780" : "the server lacks RFC 5780 support")
                    + ")";
        };
    }

    /** Handles one typed line. */
    public void handleLine(String line) {
        String text = line.strip();
        if (text.isEmpty()) {
            return;
        }
        if (text.startsWith("//")) {
            text = text.substring(1);
        } else if (text.startsWith("/")) {
            command(text);
            return;
        } else if (text.startsWith("@")) {
            int sp = text.indexOf(' ');
            String target = sp < 0 ? text.substring(1) : text.substring(1, sp);
            String body = sp < 0 ? "" : text.substring(sp + 1);
            AgentId to = resolve(target);
            if (to == null) {
                println("! no single present agent matches '" + target + "'");
                return;
            }
            String who = describe(to);
            agent.sendWithAck(to, body.getBytes(StandardCharsets.UTF_8)).whenComplete((seq, e) -> {
                if (e == null) {
                    println("* delivered to " + who);
                } else if (e instanceof TimeoutException || e.getCause() instanceof TimeoutException) {
                    println("! no acknowledgement from " + who);
                } else {
                    println("! not sent to " + who + ": " + (e.getCause() != null ? e.getCause() : e).getMessage());
                }
            });
            return;
        }
        SendResult r = agent.broadcast(text.getBytes(StandardCharsets.UTF_8));
        if (!r.accepted()) {
            println("! not broadcast: " + r.status().name().toLowerCase().replace('_', ' '));
        }
    }

    static final String COMMANDS = "/revoke HEX (publish an operator's revocation: a line of 'jrtc revoke'), "
            + "/revoked (list the revoked agents), /help; start a line with // to broadcast one that begins with /";

    private void command(String text) {
        int sp = text.indexOf(' ');
        String name = sp < 0 ? text : text.substring(0, sp);
        String arg = sp < 0 ? "" : text.substring(sp + 1).strip();
        switch (name) {
            case "/revoke" -> revoke(arg);
            case "/revoked" -> {
                List<AgentId> revoked = agent.revoked();
                println(revoked.isEmpty() ? "* revoked: none" : "* revoked: " + String.join(", ",
                        revoked.stream().map(this::describe).toList()));
            }
            case "/help" -> println("* commands: " + COMMANDS);
            default -> println("! unknown command '" + name + "': " + COMMANDS);
        }
    }

    /** Publishes the revocation in {@code hex}; every outcome, refusals included, is one line. */
    private void revoke(String hex) {
        Revocation r;
        try {
            r = Revocation.parse(HexFormat.of().parseHex(hex));
        } catch (IllegalArgumentException | ParseException e) {
            println("! /revoke needs one revocation in hex, as 'jrtc revoke' prints it: " + e.getMessage());
            return;
        }
        String who = describe(AgentId.ofPublicKey(r.revokedKey()));
        SendResult sent;
        try {
            sent = agent.publishRevocation(r);
        } catch (IllegalArgumentException e) {
            println("! revocation of " + who + " refused: " + e.getMessage());
            return;
        }
        println(switch (sent.status()) {
            case ACCEPTED -> "* revocation of " + who + " published (" + r.reason() + ")";
            case NOT_CONNECTED -> "* revocation of " + who + " applied here; no neighbour to pass it to yet";
            case BACKPRESSURE -> "! revocation of " + who + " applied here, not sent on: the links are full; try again";
        });
    }

    private void print(MeshMessage m) {
        String hops = m.hops() + (m.hops() == 1 ? " hop" : " hops") + (m.broadcast() ? "" : ", to you");
        println(describe(m.origin()) + " [" + hops + "]: " + new String(m.payload(), StandardCharsets.UTF_8));
    }

    /** {@code name (1a2b3c4d)} for a present agent with a name, else the first 8 hex digits. */
    String describe(AgentId id) {
        String sid = agent.presentAgents().get(id);
        int dot = sid == null ? -1 : sid.lastIndexOf('.');
        return dot > 0 ? sid.substring(0, dot) + " (" + id.shortString() + ")" : id.shortString();
    }

    /** The present agent {@code target} names, or null when none or several. */
    AgentId resolve(String target) {
        Map<AgentId, String> present = agent.presentAgents();
        List<AgentId> hits = new ArrayList<>();
        for (Map.Entry<AgentId, String> e : present.entrySet()) {
            String sid = e.getValue();
            String hex = e.getKey().toString();
            int dot = sid.lastIndexOf('.');
            String name = dot > 0 ? sid.substring(0, dot) : null;
            if (target.equals(hex) || target.equals(sid) || target.equals(name)
                    || (target.length() >= 4 && hex.startsWith(target))) {
                hits.add(e.getKey());
            }
        }
        return hits.size() == 1 ? hits.get(0) : null;
    }

    private void println(String s) {
        synchronized (out) {
            out.println(s);
            out.flush();
        }
    }
}
