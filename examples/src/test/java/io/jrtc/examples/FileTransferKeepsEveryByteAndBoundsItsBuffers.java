package io.jrtc.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link FileTransfer} of random bytes: the copy has the same SHA-256, the sender's {@code bufferedAmount} never went
 * past its high-water mark by more than one message, {@code onBufferedAmountLow} paced it, and the receiver's writer
 * backlog stayed within its high-water mark plus one message (what a paused channel guarantees); with a slow disk the
 * receiver pauses and the sender is held back.
 */
class FileTransferKeepsEveryByteAndBoundsItsBuffers {

    private static final Logger LOG = LoggerFactory.getLogger(FileTransferKeepsEveryByteAndBoundsItsBuffers.class);
    private static final int SIZE = 32 * 1024 * 1024 + 12_345;     // not a multiple of the chunk: a short last one

    @Test
    void thirtyTwoMebibytesArriveIntact(@TempDir Path dir) throws Exception {
        Path source = dir.resolve("source.bin");
        Path target = dir.resolve("target.bin");
        byte[] data = new byte[SIZE];
        new SplittableRandom(11).nextBytes(data);
        Files.write(source, data);

        FileTransfer.Report r = FileTransfer.transfer(source, target, Duration.ofSeconds(90));
        LOG.info("{}", r);

        assertThat(r.bytes()).isEqualTo(SIZE);
        assertThat(Files.size(target)).isEqualTo(SIZE);
        assertThat(sha256(target)).isEqualTo(sha256(source));
        assertThat(r.maxBufferedAmount()).isGreaterThanOrEqualTo(FileTransfer.SEND_HIGH_WATER)
                .isLessThanOrEqualTo(FileTransfer.SEND_HIGH_WATER + FileTransfer.CHUNK);
        assertThat(r.bufferedAmountLows()).as("the sender was paced by onBufferedAmountLow").isPositive();
        assertThat(r.maxWriterBacklog()).isLessThanOrEqualTo(FileTransfer.RECEIVE_HIGH_WATER + FileTransfer.CHUNK);
    }

    /**
     * A receiver whose disk takes 3 MiB/s, slower than the network (even a cold JVM's): its channel pauses, and SCTP's window passes that
     * back to the sender, which is done handing over its bytes only when no more than what the buffers on the way can
     * hold (about 7.2 MiB: the sender's 1 MiB + one message, a 4 MiB receive window, the writer's 2 MiB + one message)
     * is left for the disk. Without the pause the sender would finish at network speed and the backlog would grow to
     * the whole file.
     */
    @Test
    void aSlowDiskPausesTheReceiverAndThrottlesTheSender(@TempDir Path dir) throws Exception {
        int size = 12 * 1024 * 1024;
        long rate = 3 * 1024 * 1024;
        Path source = dir.resolve("source.bin");
        Path target = dir.resolve("target.bin");
        byte[] data = new byte[size];
        new SplittableRandom(12).nextBytes(data);
        Files.write(source, data);

        FileTransfer.Report r = FileTransfer.transfer(source, target, rate, Duration.ofSeconds(90));
        LOG.info("{}", r);

        assertThat(sha256(target)).isEqualTo(sha256(source));
        assertThat(r.pauses()).as("the receiver paused its channel").isPositive();
        assertThat(r.maxWriterBacklog()).isGreaterThanOrEqualTo(FileTransfer.RECEIVE_HIGH_WATER)
                .isLessThanOrEqualTo(FileTransfer.RECEIVE_HIGH_WATER + FileTransfer.CHUNK);
        assertThat(r.maxBufferedAmount()).isLessThanOrEqualTo(FileTransfer.SEND_HIGH_WATER + FileTransfer.CHUNK);
        long leftForTheDisk = size - 8L * 1024 * 1024;
        assertThat(r.sending()).as("the sender was held back by the receiver")
                .isGreaterThanOrEqualTo(Duration.ofMillis(leftForTheDisk * 1000 / rate));
    }

    private static String sha256(Path p) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(p)) {
            byte[] buf = new byte[1 << 16];
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
