package io.jrtc.mesh.internal.edge;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The message sequences an agent may use, kept ahead of it in a file across restarts ({@code MeshConfig.sequenceFile}).
 * Receivers take a sequence at or below what they have seen of an origin, less a window, for a replay. An agent that
 * starts from its wall clock alone is safe only while that clock never goes back: a small box without a real-time
 * clock that boots at 1970 until NTP answers, or a clock stepped back by NTP, would restart below its old sequences,
 * and every neighbour would drop its messages as replays for as long as it remembered the origin.
 *
 * <p>At start, {@link #take} returns the first sequence of the run: the largest of the caller's floor (the clock's
 * microseconds) and the ceiling the file holds. It then writes a new ceiling {@link #SPAN} above that, through a
 * temporary file, forced to disk and moved into place, before any sequence of the run is used. A run may use
 * {@code SPAN} sequences (about 35 years at 1,000 messages a second) without passing it. Format: one line of ASCII,
 * {@code jrtc-mesh-sequence-lease/1 CEILING}. Called once, on the thread that builds the agent.
 */
final class SequenceLease {

    /** The sequences a run may use before it would pass the ceiling it wrote: 2^40. */
    static final long SPAN = 1L << 40;
    private static final String FORMAT = "jrtc-mesh-sequence-lease/1";

    private SequenceLease() {
    }

    /**
     * The first sequence of this run, at least {@code floor} and at least the ceiling in {@code file} (none when the
     * file does not exist); the file then holds that sequence plus {@link #SPAN}.
     *
     * @throws IOException when the file cannot be read or written, is not a lease, or holds a ceiling so high that
     *                     no span is left below 2^63
     */
    static long take(Path file, long floor) throws IOException {
        long ceiling = Files.exists(file) ? read(file) : 0;
        long first = Math.max(floor, ceiling);
        if (first > Long.MAX_VALUE - SPAN) {
            throw new IOException(file + ": the sequences are used up (ceiling " + ceiling + ")");
        }
        write(file, first + SPAN);
        return first;
    }

    private static long read(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
        String[] parts = text.split(" ");
        if (parts.length != 2 || !parts[0].equals(FORMAT)) {
            throw new IOException(file + " is not a sequence lease (expected '" + FORMAT + " CEILING')");
        }
        try {
            long ceiling = Long.parseLong(parts[1]);
            if (ceiling < 0) {
                throw new NumberFormatException("negative");
            }
            return ceiling;
        } catch (NumberFormatException e) {
            throw new IOException(file + ": bad ceiling '" + parts[1] + "'", e);
        }
    }

    private static void write(Path file, long ceiling) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = dir.resolve(file.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer b = ByteBuffer.wrap((FORMAT + " " + ceiling + "\n").getBytes(StandardCharsets.US_ASCII));
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
