package io.jrtc.mesh.audit;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Where an {@link AuditLog} writes its lines: a file in production; tests put a failing disk in between. Every method
 * may throw {@link IOException}; the log turns that into a counted, logged loss and never passes it on to a recorder.
 */
interface Storage extends Closeable {

    /** Opens the storage at a path. */
    @FunctionalInterface
    interface Opener {
        Storage open(Path file) throws IOException;
    }

    long size() throws IOException;

    /** Reads into {@code dst} from {@code position}; returns the bytes read, or -1 at the end. */
    int read(ByteBuffer dst, long position) throws IOException;

    /** The content from the start, read through this storage (so through its lock); closing it closes nothing. */
    default InputStream content() {
        return new InputStream() {
            private long at;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) {
                    return 0;
                }
                int n = Storage.this.read(ByteBuffer.wrap(b, off, len), at);
                if (n > 0) {
                    at += n;
                }
                return n;
            }
        };
    }

    /** Writes all of {@code bytes} at {@code position} (the write reaches the operating system before returning). */
    void write(ByteBuffer bytes, long position) throws IOException;

    /** Forces what was written to the device (fsync). */
    void force() throws IOException;

    /** Cuts the storage to {@code size} bytes (to remove a partly written line). */
    void truncate(long size) throws IOException;

    /**
     * The file, opened for reading and writing and locked exclusively (advisory: against a second {@code AuditLog} on
     * the same file, in this process or another, whose appends would break the chain).
     */
    static Storage file(Path file) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        if (lock == null) {
            ch.close();
            throw new IOException(file + ": already open by another audit log (the file is locked)");
        }
        FileLock held = lock;
        return new Storage() {
            @Override
            public long size() throws IOException {
                return ch.size();
            }

            @Override
            public int read(ByteBuffer dst, long position) throws IOException {
                return ch.read(dst, position);
            }

            @Override
            public void write(ByteBuffer bytes, long position) throws IOException {
                long at = position;
                while (bytes.hasRemaining()) {
                    at += ch.write(bytes, at);
                }
            }

            @Override
            public void force() throws IOException {
                ch.force(true);
            }

            @Override
            public void truncate(long size) throws IOException {
                ch.truncate(size);
            }

            @Override
            public void close() throws IOException {
                try {
                    held.release();
                } finally {
                    ch.close();
                }
            }
        };
    }
}
