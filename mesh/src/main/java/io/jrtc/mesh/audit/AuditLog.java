package io.jrtc.mesh.audit;

import io.jrtc.mesh.AuditSink;
import io.jrtc.mesh.MeshSigner;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's audit trail: an append-only file, one JSON line per entry, each entry carrying the SHA-256 of the line
 * before; every {@link Options#checkpointEvery} entries, every {@link Options#checkpointInterval} and at
 * {@link #close()}, a checkpoint entry signed with the agent's Ed25519 key over everything before it. The first line
 * names the key. {@link AuditVerifier} (and {@code jrtc audit verify}) checks a file. The format, and what it proves,
 * are in mesh/README.md, "Audit trail".
 *
 * <p><b>Durability.</b> Each entry reaches the operating system before {@link #record} returns; a checkpoint is also
 * forced to the device (fsync). A crash can therefore lose at most what the operating system had not written, and can
 * leave a last line cut short, which the verifier reports and which makes {@link #open} refuse the file.
 *
 * <p><b>Failures.</b> {@link #record} never throws. A write that fails is logged once (SLF4J, with the file, the entry
 * and the error), counted in {@link #lostEntries()}, and cut back off the file, so the chain stays whole; the next entry
 * written after a loss is {@code audit.lost}, with how many entries were lost. If the file cannot even be cut back, the
 * log stops writing and counts every later entry as lost.
 *
 * <p><b>Threads.</b> Thread-safe: entries are appended under one lock, in the order the calls take it. A checkpoint
 * (one Ed25519 signature and an fsync) is written by whichever call makes it due. The log signs with its
 * {@link MeshSigner} under that lock; {@link io.jrtc.mesh.Identity} is not thread-safe, so give the log its own
 * instance (load the key file again) when the agent signs envelopes from another thread.
 *
 * <p><b>Time.</b> Entry times and the checkpoint interval come from the {@link Clock} given to {@link #open}. A log
 * that records nothing writes no checkpoint by itself: an owner with a timer calls {@link #checkpointIfDue()}.
 */
public final class AuditLog implements AuditSink, Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);

    /**
     * When checkpoints are written.
     *
     * @param checkpointEvery    after this many entries since the last checkpoint (at least 1)
     * @param checkpointInterval or when this much time has passed since the last one and an entry is unsigned
     */
    public record Options(int checkpointEvery, Duration checkpointInterval) {

        public static final Options DEFAULTS = new Options(256, Duration.ofSeconds(60));

        public Options {
            if (checkpointEvery < 1) {
                throw new IllegalArgumentException("checkpointEvery must be at least 1: " + checkpointEvery);
            }
            if (checkpointInterval.isNegative() || checkpointInterval.isZero()) {
                throw new IllegalArgumentException("checkpointInterval must be positive: " + checkpointInterval);
            }
        }
    }

    private final Path file;
    private final MeshSigner signer;
    private final Options options;
    private final Clock clock;
    private final Storage storage;
    private final Object lock = new Object();

    // guarded by lock
    private long nextSeq;
    private String prevHash;
    private long size;
    private long unsigned;
    private long lastCheckpointMillis;
    private long pendingLost;
    private long lostEntries;
    private long writeFailures;
    private long checkpoints;
    private boolean failureLogged;
    private boolean failed;
    private boolean closed;

    private AuditLog(Path file, MeshSigner signer, Options options, Clock clock, Storage storage) {
        this.file = file;
        this.signer = signer;
        this.options = options;
        this.clock = clock;
        this.storage = storage;
    }

    /** {@link #open(Path, MeshSigner, Options, Clock)} with the default options and the system clock (UTC). */
    public static AuditLog open(Path file, MeshSigner signer) throws IOException {
        return open(file, signer, Options.DEFAULTS, Clock.systemUTC());
    }

    /**
     * Opens the log in {@code file}: a new or empty file starts a chain (a start entry naming the signer's key, then a
     * checkpoint); an existing one is verified first and continued (an {@code audit.resume} entry saying how many
     * unsigned entries were found after its last checkpoint, then a checkpoint).
     *
     * @throws IOException when the file cannot be opened, locked or written, is locked by another log, or holds a log
     *                     that does not verify or belongs to another key (the message says which line and why)
     */
    public static AuditLog open(Path file, MeshSigner signer, Options options, Clock clock) throws IOException {
        return open(file, signer, options, clock, Storage::file);
    }

    static AuditLog open(Path file, MeshSigner signer, Options options, Clock clock, Storage.Opener opener)
            throws IOException {
        Objects.requireNonNull(signer, "signer");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(clock, "clock");
        Storage storage = opener.open(file);
        try {
            AuditLog log = new AuditLog(file, signer, options, clock, storage);
            log.start();
            return log;
        } catch (IOException | RuntimeException e) {
            storage.close();
            throw e;
        }
    }

    private void start() throws IOException {
        synchronized (lock) {
            size = storage.size();
            lastCheckpointMillis = clock.millis();
            Map<String, String> fields = new LinkedHashMap<>();
            String kind;
            if (size == 0) {
                nextSeq = 0;
                prevHash = AuditFormat.GENESIS;
                kind = AuditFormat.KIND_START;
                fields.put("format", AuditFormat.VERSION);
                fields.put("agent", signer.agentId().toString());
                fields.put("public_key", AuditFormat.hex(signer.publicKey()));
            } else {
                AuditVerifier.Result r;
                r = AuditVerifier.verify(storage.content(), AuditVerifier.Expected.key(signer.publicKey()));
                if (r.status() == AuditVerifier.Status.BROKEN) {
                    throw new IOException(file + ": refusing to continue an audit log that does not verify: "
                            + r.describe());
                }
                nextSeq = r.lastSeq() + 1;
                prevHash = r.lastHash();
                unsigned = r.unsignedTail();
                kind = AuditFormat.KIND_RESUME;
                fields.put("unsigned_tail", Long.toString(r.unsignedTail()));
                LOG.info("audit log {}: continuing after {} entries ({} unsigned after the last checkpoint)", file,
                        r.lines(), r.unsignedTail());
            }
            IOException why = append(kind, fields, false);
            if (why == null) {
                why = append(AuditFormat.KIND_CHECKPOINT, Map.of("reason", "open"), true);
            }
            if (why != null) {
                throw new IOException(file + ": cannot write the audit log: " + why.getMessage(), why);
            }
        }
    }

    /** Appends one entry; never throws (see the class comment for what happens when writing fails). */
    @Override
    public void record(String kind, Map<String, String> fields) {
        try {
            String k = kind == null ? "null" : kind;
            Map<String, String> f = new LinkedHashMap<>();
            if (k.startsWith(AuditFormat.RESERVED_PREFIX)) {
                f.put("requested_kind", k);
                k = AuditFormat.KIND_RESERVED;
            }
            if (fields != null) {
                for (Map.Entry<String, String> e : fields.entrySet()) {
                    f.putIfAbsent(String.valueOf(e.getKey()), String.valueOf(e.getValue()));
                }
            }
            synchronized (lock) {
                if (closed || failed) {
                    lost(null, k);
                    return;
                }
                if (pendingLost > 0) {
                    Map<String, String> lost = new LinkedHashMap<>();
                    lost.put("entries", Long.toString(pendingLost));
                    IOException why = append(AuditFormat.KIND_LOST, lost, false);
                    if (why != null) {
                        lost(why, k); // the entry is not written either: the loss must be on record first
                        return;
                    }
                    LOG.warn("audit log {}: writing again; {} entries were lost (recorded as {})", file, pendingLost,
                            AuditFormat.KIND_LOST);
                    pendingLost = 0;
                }
                IOException error = append(k, f, false);
                if (error != null) {
                    lost(error, k);
                    return;
                }
                if (unsigned >= options.checkpointEvery()) {
                    checkpointLocked("entries");
                } else {
                    checkpointIfDueLocked();
                }
            }
        } catch (RuntimeException e) {
            synchronized (lock) {
                lost(new IOException("unexpected: " + e, e), String.valueOf(kind));
            }
        }
    }

    /** Writes a checkpoint now if an entry is unsigned. Never throws. */
    public void checkpoint() {
        synchronized (lock) {
            if (!closed && !failed && unsigned > 0) {
                checkpointLocked("requested");
            }
        }
    }

    /** Writes a checkpoint if an entry is unsigned and the interval has passed; for an owner's timer. Never throws. */
    public void checkpointIfDue() {
        synchronized (lock) {
            if (!closed && !failed) {
                checkpointIfDueLocked();
            }
        }
    }

    /** Writes a last checkpoint (if an entry is unsigned), forces the file to the device and closes it. */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            if (!failed && unsigned > 0) {
                checkpointLocked("close");
            }
            closed = true;
            try {
                storage.force();
            } catch (IOException e) {
                LOG.warn("audit log {}: fsync at close failed: {}", file, e.toString());
            }
            try {
                storage.close();
            } catch (IOException e) {
                LOG.warn("audit log {}: close failed: {}", file, e.toString());
            }
        }
    }

    public Path file() {
        return file;
    }

    /** Entries in the file (this session's and earlier ones), checkpoints included. */
    public long entries() {
        synchronized (lock) {
            return nextSeq;
        }
    }

    /** Checkpoints written since {@link #open}. */
    public long checkpoints() {
        synchronized (lock) {
            return checkpoints;
        }
    }

    /** Entries given to {@link #record} that are not in the file (a write failed, or the log was closed). */
    public long lostEntries() {
        synchronized (lock) {
            return lostEntries;
        }
    }

    /** Writes that failed (entries and checkpoints). */
    public long writeFailures() {
        synchronized (lock) {
            return writeFailures;
        }
    }

    /** Entries written after the last checkpoint. */
    public long unsignedEntries() {
        synchronized (lock) {
            return unsigned;
        }
    }

    private void checkpointIfDueLocked() {
        long now = clock.millis();
        if (now < lastCheckpointMillis) {
            lastCheckpointMillis = now; // the wall clock went back: count the interval from here
        }
        if (unsigned > 0 && now - lastCheckpointMillis >= options.checkpointInterval().toMillis()) {
            checkpointLocked("interval");
        }
    }

    private void checkpointLocked(String reason) {
        IOException why = append(AuditFormat.KIND_CHECKPOINT, Map.of("reason", reason), true);
        if (why != null) {
            failure(why, AuditFormat.KIND_CHECKPOINT);
        }
    }

    /** Writes one line; returns null, or the failure (after cutting a partial line back off the file). */
    private IOException append(String kind, Map<String, String> fields, boolean checkpoint) {
        byte[] line;
        try {
            String time = clock.instant().toString();
            line = AuditFormat.encode(nextSeq, time, kind, fields, prevHash);
            if (line.length > AuditFormat.MAX_LINE && !checkpoint) {
                Map<String, String> f = new LinkedHashMap<>();
                f.put("requested_kind", kind);
                f.put("bytes", Integer.toString(line.length));
                line = AuditFormat.encode(nextSeq, time, AuditFormat.KIND_OVERSIZED, f, prevHash);
            }
            if (checkpoint) {
                byte[] signed = AuditFormat.signedBytes(line);
                line = AuditFormat.withSignature(line, AuditFormat.hex(signer.sign(signed, 0, signed.length)));
            }
        } catch (RuntimeException e) {
            return new IOException("cannot encode or sign: " + e, e);
        }
        ByteBuffer buf = ByteBuffer.allocate(line.length + 1).put(line).put((byte) '\n').flip();
        try {
            storage.write(buf, size);
            if (checkpoint) {
                storage.force();
            }
        } catch (IOException e) {
            try {
                storage.truncate(size);
            } catch (IOException | RuntimeException t) {
                failed = true;
                e.addSuppressed(t);
                LOG.error("audit log {}: cannot cut a failed write back off the file ({}); the log stops writing",
                        file, t.toString());
            }
            return e;
        }
        size += buf.limit();
        prevHash = AuditFormat.sha256Hex(line);
        nextSeq++;
        if (checkpoint) {
            unsigned = 0;
            checkpoints++;
            lastCheckpointMillis = clock.millis();
        } else {
            unsigned++;
        }
        return null;
    }

    /** An entry that is not in the file. */
    private void lost(IOException why, String kind) {
        lostEntries++;
        pendingLost++;
        if (why != null) {
            failure(why, kind);
        } else if (!failureLogged) {
            failureLogged = true;
            LOG.error("audit log {}: entry {} ({}) not written: the log is {}; later losses are counted, not logged",
                    file, nextSeq, kind, closed ? "closed" : "stopped after a failure");
        }
    }

    private void failure(IOException why, String kind) {
        writeFailures++;
        if (!failureLogged) {
            failureLogged = true;
            LOG.error("audit log {}: cannot write entry {} ({}); it is counted as lost, later failures are counted, "
                    + "not logged", file, nextSeq, kind, why);
        } else {
            LOG.debug("audit log {}: cannot write entry {} ({}): {}", file, nextSeq, kind, why.toString());
        }
    }
}
