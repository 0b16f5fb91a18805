package io.jrtc.deploy;

import io.jrtc.cli.AgentConfig;
import io.jrtc.cli.ClientAgent;
import io.jrtc.cli.EchoAgent;
import io.jrtc.signaling.client.AgentTokens;
import io.jrtc.signaling.client.SignalingClient;
import io.jrtc.signaling.client.SignalingClientConfig;
import io.jrtc.signaling.client.SignalingMessage;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javax.net.ssl.TrustManagerFactory;

/** Agents that reach a {@link LocalDeployment} through nginx ({@code wss://}), and where each one landed. */
final class Agents implements AutoCloseable {

    static final List<String> INSTANCES = List.of("signaling-1", "signaling-2");

    private final LocalDeployment d;
    private final TrustManagerFactory trust;
    private final List<AutoCloseable> owned = new ArrayList<>();

    Agents(LocalDeployment d) throws Exception {
        this.d = d;
        this.trust = d.trust();
    }

    /** A signaling client whose every message lands in {@link Client#inbox}. Not yet connected. */
    record Client(SignalingClient client, BlockingQueue<SignalingMessage> inbox) {
        String id() {
            return client.agentId();
        }
    }

    Client client(String id) {
        SignalingClient c = new SignalingClient(tuning(id).apply(SignalingClientConfig.builder(d.signalingUri(), id)).build());
        BlockingQueue<SignalingMessage> inbox = new LinkedBlockingQueue<>();
        c.onMessage(inbox::add);
        owned.add(c);
        return new Client(c, inbox);
    }

    private java.util.function.UnaryOperator<SignalingClientConfig.Builder> tuning(String id) {
        return b -> b.trustManagerFactory(trust)
                .tokenSupplier(AgentTokens.supplier(d.signalingSecret(), id, Duration.ofHours(1), Clock.systemUTC()));
    }

    AgentConfig agentConfig(String id) throws IOException {
        return AgentConfig.builder(d.signalingUri(), id)
                .tokenSupplier(AgentTokens.supplier(d.signalingSecret(), id, Duration.ofHours(1), Clock.systemUTC()))
                .addBindAddress(d.hostAddress())
                .signalingTuning(b -> b.trustManagerFactory(trust))
                .build();
    }

    EchoAgent echo(String id) throws IOException {
        EchoAgent e = new EchoAgent(agentConfig(id));
        owned.add(e);
        return e;
    }

    ClientAgent clientAgent(String id) throws IOException {
        ClientAgent c = new ClientAgent(agentConfig(id));
        owned.add(c);
        return c;
    }

    /** A started client agent and the signaling instance it registered on. */
    record Placed(ClientAgent agent, String instance) {}

    /**
     * Starts client agents {@code prefix-0}, {@code prefix-1}, … (at most 4) until one lands on another instance than
     * {@code instance} (nginx round-robins, so the next one usually does); {@code created} sees each agent made.
     * Returns the last one started, wherever it landed: the caller asserts the instance.
     */
    Placed clientAgentAwayFrom(String instance, String prefix, java.util.function.Consumer<ClientAgent> created)
            throws Exception {
        ClientAgent agent = null;
        String landed = instance;
        for (int i = 0; i < 4 && landed.equals(instance); i++) {
            ClientAgent c = clientAgent(prefix + "-" + i);
            created.accept(c);
            landed = landing(() -> c.start().get(20, TimeUnit.SECONDS));
            agent = c;
        }
        return new Placed(agent, landed);
    }

    /** Runs {@code register} (which must complete a registration) and returns the instance the agent landed on. */
    String landing(ThrowingRunnable register) throws Exception {
        int[] before = counts();
        register.run();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            int[] after = counts();
            for (int i = 0; i < INSTANCES.size(); i++) {
                if (after[i] > before[i]) {
                    return INSTANCES.get(i);
                }
            }
        }
        throw new AssertionError("no instance's agent count rose after a registration");
    }

    private int[] counts() throws IOException, InterruptedException {
        int[] c = new int[INSTANCES.size()];
        for (int i = 0; i < c.length; i++) {
            c[i] = d.agentsOn(INSTANCES.get(i));
        }
        return c;
    }

    static String other(String instance) {
        return instance.equals(INSTANCES.get(0)) ? INSTANCES.get(1) : INSTANCES.get(0);
    }

    /** Polls {@code condition} until it holds or {@code timeout} passes; returns whether it held. */
    static boolean await(Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            TimeUnit.MILLISECONDS.sleep(20); // polling interval of a condition with a deadline
        }
        return condition.getAsBoolean();
    }

    /** The next message of {@code type} from {@code inbox} within {@code timeout}, or null; others are dropped. */
    static <T extends SignalingMessage> T next(BlockingQueue<SignalingMessage> inbox, Class<T> type, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            SignalingMessage m = inbox.poll(left, TimeUnit.NANOSECONDS);
            if (type.isInstance(m)) {
                return type.cast(m);
            }
        }
    }

    @FunctionalInterface
    interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Override
    public void close() {
        for (AutoCloseable c : owned.reversed()) {
            try {
                c.close();
            } catch (Exception e) {
                // closing during teardown; the deployment goes down next anyway
            }
        }
    }
}
