package io.jrtc.examples;

import io.jrtc.datachannel.DataChannel;
import io.jrtc.peer.PeerConnection;
import io.jrtc.peer.PeerConnectionFactory;
import io.jrtc.peer.RtcConfiguration;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a file over a reliable, ordered data channel with back-pressure on both ends, between two PeerConnections
 * in one process over UDP on 127.0.0.1 (the descriptions and candidates are handed across directly; see
 * {@link DataChannelHello} for signaling between processes).
 *
 * <pre>
 * java -cp jrtc-examples.jar io.jrtc.examples.FileTransfer &lt;source-file&gt; &lt;target-file&gt;
 * </pre>
 *
 * <p>What it shows:
 * <ul>
 *   <li><b>Sender:</b> the W3C pattern. Send 64 KiB chunks while {@code bufferedAmount()} is under a high-water mark
 *   ({@value #SEND_HIGH_WATER} bytes); {@code setBufferedAmountLowThreshold} and {@code onBufferedAmountLow} call the
 *   pump again once SCTP has handed enough to the network. The channel's send buffer never holds more than the high
 *   water mark plus one chunk, whatever the file size.</li>
 *   <li><b>Receiver:</b> jrtc's {@code pause()}/{@code resume()}. The data is written to disk on a writer thread,
 *   never on the event loop. While the writer is more than {@value #RECEIVE_HIGH_WATER} bytes behind, the channel is
 *   paused: unread messages stay charged against SCTP's receive window, so the sender slows down instead of the
 *   receiver's memory growing. The writer resumes the channel (on the loop, through {@code pc.execute}) once it
 *   caught up to {@value #RECEIVE_LOW_WATER} bytes.</li>
 * </ul>
 * The first message is a text header with the file's size; the receiver is done when it has written that many bytes.
 * The sender reads its file on the event loop, 64 KiB at a time from a local disk; an application whose source can
 * block for long (a network stream) would read on a thread of its own and hand the chunks over.
 */
public final class FileTransfer {

    private static final Logger LOG = LoggerFactory.getLogger(FileTransfer.class);

    /** Bytes per message. */
    public static final int CHUNK = 64 * 1024;
    /** The sender stops sending while {@code bufferedAmount()} is at or above this. */
    public static final long SEND_HIGH_WATER = 1024 * 1024;
    /** {@code onBufferedAmountLow} fires when {@code bufferedAmount()} falls to this. */
    public static final long SEND_LOW_WATER = 256 * 1024;
    /** The receiver pauses the channel while its writer has this much or more waiting. */
    public static final long RECEIVE_HIGH_WATER = 2 * 1024 * 1024;
    /** The receiver resumes once its writer has no more than this waiting. */
    public static final long RECEIVE_LOW_WATER = 512 * 1024;

    /**
     * What happened.
     *
     * @param bytes              bytes written to the target
     * @param maxBufferedAmount  the sender's largest {@code bufferedAmount()}, read after every send
     * @param bufferedAmountLows how often {@code onBufferedAmountLow} called the sender's pump
     * @param maxWriterBacklog   the most bytes ever waiting for the receiver's writer
     * @param pauses             how often the receiver paused the channel
     * @param sending            from the channel's open to the last byte handed to the sending channel
     * @param elapsed            from the channel's open to the last byte written
     */
    public record Report(long bytes, long maxBufferedAmount, int bufferedAmountLows, long maxWriterBacklog, int pauses,
            Duration sending, Duration elapsed) {
    }

    private FileTransfer() {
    }

    /** Copies {@code source} to {@code target} over a data channel; {@code timeout} bounds the whole transfer. */
    public static Report transfer(Path source, Path target, Duration timeout) throws Exception {
        return transfer(source, target, 0, timeout);
    }

    /**
     * As {@link #transfer(Path, Path, Duration)}, with a receiver whose disk takes at most {@code writeBytesPerSecond}
     * (0: as fast as it can): a slow consumer, to watch the receiver pause and the sender slow down with it.
     */
    public static Report transfer(Path source, Path target, long writeBytesPerSecond, Duration timeout)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        RtcConfiguration config = RtcConfiguration.builder().addBindAddress(InetAddress.getLoopbackAddress()).build();
        try (PeerConnectionFactory factory = new PeerConnectionFactory();
                FileChannel in = FileChannel.open(source, StandardOpenOption.READ);
                PeerConnection sendingPc = factory.createPeerConnection(config);
                PeerConnection receivingPc = factory.createPeerConnection(config)) {
            Receiver receiver = new Receiver(receivingPc, target, writeBytesPerSecond);
            receivingPc.onDataChannel(receiver::attach);
            Sender sender = new Sender(in, sendingPc.createDataChannel("file"));
            InProcess.negotiate(sendingPc, receivingPc, deadline);
            Report report = receiver.done.get(InProcess.remaining(deadline), TimeUnit.NANOSECONDS);
            return new Report(report.bytes(), sender.maxBufferedAmount, sender.lows, report.maxWriterBacklog(),
                    report.pauses(), Duration.ofNanos(sender.finishedAt - sender.openedAt),
                    Duration.ofNanos(System.nanoTime() - sender.openedAt));
        }
    }

    /** The sending side; every method runs on the sending connection's event loop. */
    private static final class Sender {
        private final FileChannel in;
        private final DataChannel channel;
        private final long size;
        private long position;
        private long maxBufferedAmount;
        private int lows;
        private volatile long openedAt;
        private volatile long finishedAt;

        Sender(FileChannel in, DataChannel channel) throws IOException {
            this.in = in;
            this.channel = channel;
            this.size = in.size();
            channel.setBufferedAmountLowThreshold(SEND_LOW_WATER);
            channel.onOpen(() -> {
                openedAt = System.nanoTime();
                channel.send("size " + size);
                pump();
            });
            channel.onBufferedAmountLow(() -> {
                lows++;
                pump();
            });
            channel.onError(e -> {
                if (position < size) {
                    LOG.warn("sender: channel failed at byte {} of {}: {}", position, size, e);
                }
            });
        }

        private void pump() {
            try {
                while (position < size && channel.bufferedAmount() < SEND_HIGH_WATER) {
                    ByteBuffer chunk = ByteBuffer.allocate((int) Math.min(CHUNK, size - position));
                    while (chunk.hasRemaining()) {
                        if (in.read(chunk, position + chunk.position()) < 0) {
                            throw new IOException("file shrank at " + (position + chunk.position()));
                        }
                    }
                    channel.send(chunk.flip());
                    position += chunk.limit();
                    maxBufferedAmount = Math.max(maxBufferedAmount, channel.bufferedAmount());
                }
                if (position == size && finishedAt == 0) {
                    finishedAt = System.nanoTime();
                    LOG.info("sender: all {} bytes handed to the channel", size);
                }
            } catch (IOException e) {
                channel.close();
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The receiving side: listeners on the event loop, the disk writes on a writer thread. */
    private static final class Receiver {
        private static final ByteBuffer END = ByteBuffer.allocate(0);

        final CompletableFuture<Report> done = new CompletableFuture<>();
        private final PeerConnection pc;
        private final Path target;
        private final long writeBytesPerSecond;
        private final LinkedBlockingQueue<ByteBuffer> toWrite = new LinkedBlockingQueue<>();
        private final AtomicLong backlog = new AtomicLong();
        private final AtomicBoolean paused = new AtomicBoolean();
        private volatile long maxBacklog;
        private volatile int pauses;
        private long expected = -1;
        private long received;

        Receiver(PeerConnection pc, Path target, long writeBytesPerSecond) {
            this.pc = pc;
            this.target = target;
            this.writeBytesPerSecond = writeBytesPerSecond;
        }

        void attach(DataChannel channel) {
            channel.onMessage(m -> {
                if (!m.isBinary()) {                                    // the header: "size <n>"
                    expected = Long.parseLong(m.text().substring("size ".length()));
                    Thread.ofPlatform().name("file-writer").daemon().start(() -> write(channel));
                    if (expected == 0) {
                        toWrite.add(END);
                    }
                    return;
                }
                ByteBuffer data = m.data();             // ours to keep (DataChannelMessage): no copy needed
                received += data.remaining();
                long waiting = backlog.addAndGet(data.remaining());
                maxBacklog = Math.max(maxBacklog, waiting);
                toWrite.add(data);
                if (received == expected) {
                    toWrite.add(END);
                }
                if (waiting >= RECEIVE_HIGH_WATER && !channel.isPaused()) {
                    paused.set(true);                   // first: a resume the writer posts now runs after the pause
                    channel.pause();                    // takes effect at once: the next message waits in SCTP
                    pauses++;
                }
            });
            channel.onError(e -> done.completeExceptionally(new IOException("channel failed: " + e)));
        }

        /** The writer thread: writes what the loop queued, and resumes the channel once it caught up. */
        private void write(DataChannel channel) {
            long written = 0;
            long start = System.nanoTime();
            try (FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                for (ByteBuffer b = toWrite.take(); b != END; b = toWrite.take()) {
                    int n = b.remaining();
                    while (b.hasRemaining()) {
                        out.write(b);
                    }
                    written += n;
                    if (writeBytesPerSecond > 0) {          // the slow disk: no faster than its rate
                        LockSupport.parkNanos(start + written * 1_000_000_000L / writeBytesPerSecond - System.nanoTime());
                    }
                    if (backlog.addAndGet(-n) <= RECEIVE_LOW_WATER && paused.compareAndSet(true, false)) {
                        // DataChannel methods belong to the loop: hop there. resume() delivers what queued meanwhile.
                        pc.execute(channel::resume);
                    }
                }
                out.force(true);
                done.complete(new Report(written, 0, 0, maxBacklog, pauses, Duration.ZERO, Duration.ZERO));
            } catch (IOException | InterruptedException | RuntimeException e) {
                done.completeExceptionally(e);
            }
        }
    }

    /**
     * {@code <source> <target> [disk-MiB/s]}: copies the file and prints what the flow control did; with a disk rate,
     * the receiver writes no faster than that.
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: FileTransfer <source-file> <target-file> [receiver-disk-MiB-per-s]");
            System.exit(2);
        }
        long rate = args.length > 2 ? Long.parseLong(args[2]) * 1024 * 1024 : 0;
        Report r = transfer(Path.of(args[0]), Path.of(args[1]), rate, Duration.ofMinutes(10));
        System.out.printf("%,d bytes in %d ms (sender done after %d ms); sender's bufferedAmount at most %,d (%d x onBufferedAmountLow);"
                + " receiver paused %d times, writer backlog at most %,d bytes%n", r.bytes(), r.elapsed().toMillis(), r.sending().toMillis(),
                r.maxBufferedAmount(), r.bufferedAmountLows(), r.pauses(), r.maxWriterBacklog());
    }
}
