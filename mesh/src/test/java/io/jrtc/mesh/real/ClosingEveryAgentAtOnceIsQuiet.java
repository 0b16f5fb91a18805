package io.jrtc.mesh.real;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jrtc.dtls.DtlsCertificate;
import io.jrtc.mesh.Identity;
import io.jrtc.mesh.MeshAgent;
import io.jrtc.mesh.MeshStats;
import io.jrtc.mesh.SendResult;
import io.jrtc.peer.PeerConnectionFactory;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SingleThreadIoEventLoop;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Ten agents on one shared factory whose loop group the test owns are all closed at once, from ten threads started in
 * a random order, while an application thread keeps broadcasting and sending with acknowledgement to them; then the
 * group is shut down as an owner does after closing its agents. Nothing may be handed to a loop that has shut down
 * (the group's loops record every task they refuse, with the stack of whoever submitted it: the 1,000-agent
 * {@code mesh-sim} run logged 122 {@code RejectedExecutionException}s there), no exception may reach the application,
 * every close returns within a bounded wait, no connection is left open when the closes have returned, and every
 * acknowledgement future the agents handed out is completed.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ClosingEveryAgentAtOnceIsQuiet {

    private static final int N = 10;

    @Test
    void closingEveryAgentAtOnceWhileTrafficFlowsIsQuiet() throws Exception {
        run(true, 0x5EED1L);
    }

    @Test
    void abortingEveryAgentAtOnceWhileLinksAreSettingUpIsQuiet() throws Exception {
        run(false, 0x5EED2L);
    }

    /**
     * The wrong order: the owner shuts the loops down under two linked, running agents, then closes them. Closing
     * throws nothing (the work for the dead loops is dropped and counted); sends answer NOT_CONNECTED and futures fail
     * at once; a method that needs the agent loop says it has shut down.
     */
    @Test
    void closingAgentsAfterTheirLoopsShutDownThrowsNothing() throws Exception {
        RecordingGroup group = new RecordingGroup(2);
        PeerConnectionFactory factory = new PeerConnectionFactory(group, DtlsCertificate.generate());
        RealMesh mesh = new RealMesh(b -> { }, factory);
        try {
            MeshAgent a = mesh.start(mesh.config(Identity.generate(), 0).degree(2).build());
            MeshAgent b = mesh.start(mesh.config(Identity.generate(), 1).degree(2).build());
            RealMesh.await("the two agents are neighbours", Duration.ofSeconds(30),
                    () -> a.neighbours().contains(b.id()) && b.neighbours().contains(a.id()));
            assertThat(group.shutdownGracefully(0, 2, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS)).isTrue();

            assertThatThrownBy(a::neighbours).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("event loop has shut down");
            assertThatCode(a::close).doesNotThrowAnyException();
            assertThatCode(b::abort).doesNotThrowAnyException();
            assertThat(a.broadcast(new byte[10]).status()).isEqualTo(SendResult.Status.NOT_CONNECTED);
            assertThat(b.send(a.id(), new byte[10]).status()).isEqualTo(SendResult.Status.NOT_CONNECTED);
            assertThat(a.sendWithAck(b.id(), new byte[10])).isCompletedExceptionally();
            assertThat(b.sendBulk(a.id(), new byte[10])).isCompletedExceptionally();
            assertThat(group.rejected).as("the dead loops refused work (the test's own neighbours() call at least)")
                    .isNotEmpty();
        } finally {
            mesh.close();
        }
    }

    /**
     * {@code graceful}: the overlay settles and carries traffic, then every agent is closed with {@link MeshAgent#close}
     * (a DISCONNECT to each neighbour first); otherwise every agent is aborted ({@link MeshAgent#abort}) as soon as
     * one link is up while another is still being set up.
     */
    private static void run(boolean graceful, long seed) throws Exception {
        RecordingGroup group = new RecordingGroup(2);
        List<String> thrown = new ArrayList<>();
        ConcurrentLinkedQueue<CompletableFuture<Long>> acks = new ConcurrentLinkedQueue<>();
        int connectionsLeft;
        long closeMillis;
        List<MeshStats> after = new ArrayList<>();
        PeerConnectionFactory factory = new PeerConnectionFactory(group, DtlsCertificate.generate());
        RealMesh mesh = new RealMesh(b -> { }, factory);
        try {
            for (int i = 0; i < N; i++) {
                mesh.start(mesh.config(Identity.generate(), i).degree(3).maxLinks(5).build());
            }
            if (graceful) {
                RealMesh.await("10 agents in one overlay, no link being set up", Duration.ofSeconds(60), mesh::settled);
            } else {
                RealMesh.await("a link up while another is being set up", Duration.ofSeconds(30), () -> {
                    int up = 0;
                    int settingUp = 0;
                    for (MeshAgent a : mesh.agents) {
                        MeshStats s = a.stats();
                        up += s.linksUp();
                        settingUp += s.linksSettingUp();
                    }
                    return up > 0 && settingUp > 0;
                });
            }

            // an application thread sending to every agent, before, during and after the closes
            AtomicBoolean stop = new AtomicBoolean();
            Thread traffic = Thread.ofPlatform().name("traffic").start(() -> {
                SplittableRandom r = new SplittableRandom(seed);
                byte[] payload = new byte[200];
                for (long n = 0; !stop.get(); n++) {
                    int i = r.nextInt(N);
                    MeshAgent a = mesh.agent(i);
                    try {
                        a.broadcast(payload);
                        if (n % 4 == 0) {
                            int to = r.nextInt(N - 1);
                            MeshAgent b = mesh.agent(to < i ? to : to + 1); // any agent but a
                            acks.add(a.sendWithAck(b.id(), payload));
                        }
                    } catch (RuntimeException e) {
                        synchronized (thrown) {
                            thrown.add(a.id().shortString() + ": " + stackTrace(e));
                        }
                    }
                }
            });
            if (graceful) {
                int before = mesh.deliveries.size();
                RealMesh.await("broadcasts delivered", Duration.ofSeconds(30),
                        () -> mesh.deliveries.size() >= before + 50);
            }

            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < N; i++) {
                order.add(i);
            }
            Collections.shuffle(order, new java.util.Random(seed));
            ExecutorService closers = Executors.newFixedThreadPool(N);
            CountDownLatch go = new CountDownLatch(1);
            List<CompletableFuture<Void>> closes = new ArrayList<>();
            for (int i : order) {
                MeshAgent a = mesh.agent(i);
                closes.add(CompletableFuture.runAsync(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    if (graceful) {
                        a.close();
                    } else {
                        a.abort();
                    }
                }, closers));
            }
            long t0 = System.nanoTime();
            go.countDown();
            // close() waits for its links' last frames (at most 1 s) and its loop; 30 s is a bound, not a wait
            CompletableFuture.allOf(closes.toArray(new CompletableFuture[0])).get(30, TimeUnit.SECONDS);
            closeMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            closers.shutdown();
            connectionsLeft = factory.limitStats().peerConnections();
            for (MeshAgent a : mesh.agents) {
                after.add(a.stats()); // the loops still run: the callbacks queued by the closes have run before this
            }
            stop.set(true);
            traffic.join(10_000);
            assertThat(traffic.isAlive()).as("the traffic thread ended").isFalse();
        } finally {
            // the owner closes its agents, then at once its loops (as MeshSim does), then the signaling server
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
            mesh.close();
        }
        System.out.printf("%s: every close returned after %d ms; %d acknowledgement futures; late callbacks dropped "
                + "per agent %s%n", graceful ? "close()" : "abort()", closeMillis, acks.size(),
                after.stream().map(MeshStats::lateTasksDropped).toList());
        assertThat(group.isTerminated()).as("the loop group terminated").isTrue();
        assertThat(group.rejected).as("tasks handed to a loop that had shut down (submitter's stacks)").isEmpty();
        assertThat(thrown).as("exceptions thrown to the application").isEmpty();
        assertThat(closeMillis).as("ms until every close returned").isLessThan(TimeUnit.SECONDS.toMillis(30));
        assertThat(connectionsLeft).as("connections still open when every close had returned").isZero();
        // the agents' own connections closing fired callbacks after close(): dropped on purpose and counted; no task
        // on an agent loop threw
        assertThat(after.stream().mapToLong(MeshStats::lateTasksDropped).sum()).as("late callbacks dropped").isPositive();
        assertThat(after).allSatisfy(st -> assertThat(st.tasksFailed()).as("tasks that threw on an agent loop").isZero());
        assertThat(acks).as("acknowledgement futures handed out").isNotEmpty()
                .allSatisfy(f -> assertThat(f).as("an acknowledgement future").isDone());
    }

    private static String stackTrace(Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        return w.toString();
    }

    /** NIO loops that record each task they refuse (with the submitter's stack), then refuse it as Netty does. */
    static final class RecordingGroup extends MultiThreadIoEventLoopGroup {

        final ConcurrentLinkedQueue<String> rejected = new ConcurrentLinkedQueue<>();

        RecordingGroup(int loops) {
            super(loops, new DefaultThreadFactory("jrtc-test-loop", true), NioIoHandler.newFactory());
        }

        @Override
        protected IoEventLoop newChild(Executor executor, IoHandlerFactory ioHandlerFactory, Object... args) {
            return new SingleThreadIoEventLoop(this, executor, ioHandlerFactory) {
                @Override
                protected void addTask(Runnable task) {
                    // every task from another thread (execute, submit, schedule) comes through here; a loop that has
                    // shut down refuses it with a RejectedExecutionException
                    try {
                        super.addTask(task);
                    } catch (RejectedExecutionException e) {
                        rejected.add(stackTrace(e));
                        throw e;
                    }
                }
            };
        }
    }
}
