package io.jrtc.peer;

import io.jrtc.testkit.ProcSockets;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.datachannel.DataChannel;
import io.jrtc.peer.media.MediaKind;
import io.jrtc.peer.media.RtpSender;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/**
 * After {@link PeerConnection#close()} of both ends of a loopback pair and {@link PeerConnectionFactory#close()}, nothing
 * of ours is left in the JVM: the factory's event-loop group is terminated (so no timer of ours can fire: every ICE,
 * DTLS and SCTP timer is scheduled on those loops), no thread we started is alive (platform threads: the factory's
 * {@code jrtc-loop-*}; virtual threads, seen in a JSON thread dump: DTLS's {@code jrtc-dtls-handshake-*} and ICE's
 * {@code ice-resolve}), and no UDP or TCP socket opened since the test began is still open (socket inodes of
 * {@code /proc/self/fd} matched in {@code /proc/net/udp}, {@code udp6}, {@code tcp}, {@code tcp6}). The pair carries two
 * data channels with checked echoes and an audio track with RTP received, so every layer has run. Linux only.
 */
class ClosingEverythingLeavesNoThreadSocketOrLoop {

    /** Names of the threads this stack starts (PeerConnectionFactory, DtlsConfig, IceTransport). */
    private static final List<String> OURS = List.of("jrtc-", "ice-");
    private static final Duration T = Duration.ofSeconds(10);

    @RepeatedTest(3)
    void closeLeavesNothingBehind(RepetitionInfo rep) throws Exception {
        Set<Long> threadsBefore = Thread.getAllStackTraces().keySet().stream().map(Thread::threadId).collect(Collectors.toSet());
        Set<Long> socketsBefore = sockets();

        PeerConnectionFactory factory = new PeerConnectionFactory(2);
        PeerConnection a = factory.createPeerConnection(LoopbackPair.base().build());
        PeerConnection b = factory.createPeerConnection(LoopbackPair.base().build());
        LoopbackPair pair = new LoopbackPair(a, b);
        pair.answererEchoes();
        List<byte[]> rtpAtB = new CopyOnWriteArrayList<>();
        CountDownLatch fiveRtp = new CountDownLatch(5);
        b.onTrack(e -> e.receiver().onRtp(p -> {
            rtpAtB.add(p.payloadCopy());
            fiveRtp.countDown();
        }));
        DataChannel one = a.createDataChannel("one");
        DataChannel two = a.createDataChannel("two");
        RtpSender audio = a.addTrack(MediaKind.AUDIO);
        pair.negotiate();
        ChannelTraffic.opened(a, one).get(T.toSeconds(), TimeUnit.SECONDS);
        ChannelTraffic.opened(a, two).get(T.toSeconds(), TimeUnit.SECONDS);
        ChannelTraffic.echoBinary(a, one, 20, i -> 100 + i * 50, T, i -> "echo " + i + " on one");
        ChannelTraffic.echoBinary(a, two, 5, i -> 20_000, T, i -> "echo " + i + " on two");
        byte[] opus = "twenty ms of opus, more or less".getBytes(StandardCharsets.US_ASCII);
        long[] ts = {0};
        ScheduledFuture<?> source = a.eventLoop().scheduleAtFixedRate(() -> {
            if (audio.sendRtp("opus", ts[0], false, ByteBuffer.wrap(opus))) {
                ts[0] += 960;
            }
        }, 0, 20, TimeUnit.MILLISECONDS);
        assertThat(fiveRtp.await(T.toSeconds(), TimeUnit.SECONDS)).as("RTP reached the answerer").isTrue();
        source.cancel(false);
        assertThat(rtpAtB.getFirst()).isEqualTo(opus);
        pair.assertConnected();

        // While connected, the probes do see what the pair holds: the check below can fail.
        List<Thread> ourThreads = newThreads(threadsBefore).stream().filter(t -> isOurs(t.getName())).toList();
        assertThat(ourThreads).as("the factory's loop threads while connected").isNotEmpty();
        assertThat(newSockets(socketsBefore, "udp", "udp6")).as("the pair's UDP sockets while connected").hasSizeGreaterThanOrEqualTo(2);

        pair.close();
        factory.close();

        assertThat(factory.eventLoopGroup().isTerminated()).as("the factory's event loops are terminated").isTrue();
        assertThat(a.connectionState()).isEqualTo(RtcPeerConnectionState.CLOSED);
        assertThat(b.connectionState()).isEqualTo(RtcPeerConnectionState.CLOSED);
        assertThat(newSockets(socketsBefore, "udp", "udp6", "tcp", "tcp6"))
                .as("UDP/TCP sockets opened since the start and still open (repetition %d)", rep.getCurrentRepetition())
                .isEmpty();
        // A loop thread ends just after it completes the group's termination future: give each a bounded join.
        for (Thread t : ourThreads) {
            t.join(T.toMillis());
        }
        List<String> alive = newThreads(threadsBefore).stream().map(Thread::getName).filter(ClosingEverythingLeavesNoThreadSocketOrLoop::isOurs)
                .toList();
        assertThat(alive).as("platform threads of ours still alive").isEmpty();
        assertThat(ourThreads).allSatisfy(t -> assertThat(t.isAlive()).as(t.getName()).isFalse());
        assertThat(virtualThreadNames()).as("virtual threads of ours in a thread dump").noneMatch(ClosingEverythingLeavesNoThreadSocketOrLoop::isOurs);
    }

    /** The thread dump used above lists a live virtual thread by name (so an alive handshake thread would be seen). */
    @Test
    void theThreadDumpSeesALiveVirtualThread() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        Thread v = Thread.ofVirtual().name("jrtc-probe-check").start(() -> {
            started.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            started.await();
            assertThat(virtualThreadNames()).contains("jrtc-probe-check");
        } finally {
            release.countDown();
            v.join();
        }
    }

    private static boolean isOurs(String name) {
        return OURS.stream().anyMatch(name::startsWith);
    }

    private static List<Thread> newThreads(Set<Long> before) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> !before.contains(t.threadId()) && t.isAlive()).toList();
    }

    /** Names of every thread in a JSON thread dump of this JVM ({@code jcmd <pid> Thread.dump_to_file -format=json}). */
    private static List<String> virtualThreadNames() throws IOException, InterruptedException {
        Path dir = Files.createDirectories(Path.of("target", "thread-dumps"));
        Path file = dir.resolve("dump-" + System.nanoTime() + ".json");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(ProcessHandle.current().pid()), "Thread.dump_to_file", "-format=json", file.toAbsolutePath().toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("jcmd: %s", out).isZero();
        String json = Files.readString(file);
        Files.delete(file);
        List<String> names = new ArrayList<>();
        Matcher m = Pattern.compile("\"name\":\\s*\"([^\"]*)\"").matcher(json);
        while (m.find()) {
            names.add(m.group(1));
        }
        assertThat(names).as("the dump names this thread").contains(Thread.currentThread().getName());
        return names;
    }

    private static Set<Long> sockets() throws IOException {
        return ProcSockets.socketInodes("self");
    }

    /** Socket inodes of this process now, not there before, that are in the given {@code /proc/net} tables. */
    private static Set<Long> newSockets(Set<Long> before, String... tables) throws IOException {
        Set<Long> now = sockets();
        now.removeAll(before);
        now.retainAll(ProcSockets.tableInodes(tables));
        return now;
    }
}
