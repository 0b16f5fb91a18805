package io.jrtc.mesh.audit;

import static io.jrtc.mesh.audit.AuditFiles.lines;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jrtc.mesh.Identity;
import io.jrtc.mesh.audit.AuditFiles.SteppingClock;
import io.jrtc.mesh.audit.AuditVerifier.Result;
import io.jrtc.mesh.audit.AuditVerifier.Status;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A disk that fails under the log: {@link AuditLog#record} never throws, each lost entry is counted, a partly written
 * line is cut back off so the chain stays whole, and the next entry written says how many were lost. A disk that
 * cannot even be cut back stops the log, which keeps counting.
 */
class AFailingDiskNeverThrowsIntoTheRecorder {

    static final Identity AGENT = Identity.generate();

    @TempDir
    Path dir;

    /** The real file, with writes that fail on demand after writing half their bytes. */
    static final class FlakyDisk implements Storage {
        final Storage file;
        volatile boolean failWrites;
        volatile boolean failTruncate;
        int failedWrites;

        FlakyDisk(Path path) throws IOException {
            file = Storage.file(path);
        }

        @Override
        public long size() throws IOException {
            return file.size();
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return file.read(dst, position);
        }

        @Override
        public void write(ByteBuffer bytes, long position) throws IOException {
            if (failWrites) {
                failedWrites++;
                ByteBuffer half = bytes.duplicate();
                half.limit(half.position() + half.remaining() / 2);
                file.write(half, position);
                throw new IOException("No space left on device (test)");
            }
            file.write(bytes, position);
        }

        @Override
        public void force() throws IOException {
            file.force();
        }

        @Override
        public void truncate(long size) throws IOException {
            if (failTruncate) {
                throw new IOException("Input/output error (test)");
            }
            file.truncate(size);
        }

        @Override
        public void close() throws IOException {
            file.close();
        }
    }

    @Test
    void lostEntriesAreCountedCutBackAndRecordedOnceWritingWorksAgain() throws IOException {
        Path f = dir.resolve("a.log");
        FlakyDisk[] disk = new FlakyDisk[1];
        AuditLog log = AuditLog.open(f, AGENT, new AuditLog.Options(4, Duration.ofHours(1)), new SteppingClock(),
                p -> disk[0] = new FlakyDisk(p));
        log.record("ok", Map.of("n", "1"));
        long sizeBefore = Files.size(f);
        disk[0].failWrites = true;
        log.record("lost", Map.of("n", "2"));
        log.record("lost", Map.of("n", "3"));
        log.record("lost", Map.of("n", "4"));
        log.checkpoint(); // fails too: counted as a failure, not as a lost entry
        assertThat(log.lostEntries()).isEqualTo(3);
        assertThat(log.writeFailures()).isEqualTo(4);
        assertThat(disk[0].failedWrites).isEqualTo(4);
        assertThat(Files.size(f)).as("partial lines cut back off").isEqualTo(sizeBefore);
        assertThat(AuditVerifier.verify(f).status()).isEqualTo(Status.UNSIGNED_TAIL);

        disk[0].failWrites = false;
        log.record("ok", Map.of("n", "5"));
        log.close();
        List<String> l = lines(f).stream().map(AuditFiles::text).toList();
        assertThat(l).hasSize(6);
        assertThat(l.get(2)).contains("\"seq\":2,", "\"kind\":\"ok\",\"fields\":{\"n\":\"1\"}");
        assertThat(l.get(3)).contains("\"seq\":3,", "\"kind\":\"audit.lost\",\"fields\":{\"entries\":\"3\"}");
        assertThat(l.get(4)).contains("\"seq\":4,", "\"kind\":\"ok\",\"fields\":{\"n\":\"5\"}");
        assertThat(l.get(5)).contains("\"seq\":5,", "\"reason\":\"close\"");
        Result r = AuditVerifier.verify(f);
        assertThat(r.status()).as(r.describe()).isEqualTo(Status.OK);
    }

    @Test
    void aDiskThatCannotBeCutBackStopsTheLogWhichKeepsCounting() throws IOException {
        Path f = dir.resolve("b.log");
        FlakyDisk[] disk = new FlakyDisk[1];
        AuditLog log = AuditLog.open(f, AGENT, AuditLog.Options.DEFAULTS, new SteppingClock(),
                p -> disk[0] = new FlakyDisk(p));
        log.record("ok", Map.of());
        disk[0].failWrites = true;
        disk[0].failTruncate = true;
        log.record("lost", Map.of());
        disk[0].failWrites = false;
        disk[0].failTruncate = false;
        for (int i = 0; i < 100; i++) {
            log.record("lost", Map.of("i", "" + i));
        }
        assertThat(log.lostEntries()).isEqualTo(101);
        assertThat(disk[0].failedWrites).as("no write tried after the log stopped").isEqualTo(1);
        log.close();
        // the half line stays: the verifier and the next open say so
        Result r = AuditVerifier.verify(f);
        assertThat(r.status()).isEqualTo(Status.BROKEN);
        assertThat(r.line()).isEqualTo(4);
        assertThat(r.detail()).contains("cut short");
        assertThatThrownBy(() -> AuditLog.open(f, AGENT)).hasMessageContaining("line 4: MALFORMED");
    }

    @Test
    void aFileThatCannotBeWrittenAtOpenIsRefusedAtOpen() {
        Path f = dir.resolve("c.log");
        assertThatThrownBy(() -> AuditLog.open(f, AGENT, AuditLog.Options.DEFAULTS, new SteppingClock(), p -> {
            FlakyDisk d = new FlakyDisk(p);
            d.failWrites = true;
            return d;
        })).isInstanceOf(IOException.class).hasMessageContaining("cannot write the audit log");
    }
}
