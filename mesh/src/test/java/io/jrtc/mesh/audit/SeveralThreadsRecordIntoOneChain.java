package io.jrtc.mesh.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.mesh.Identity;
import io.jrtc.mesh.audit.AuditVerifier.Result;
import io.jrtc.mesh.audit.AuditVerifier.Status;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Four threads record 500 entries each at once: one unbroken chain, every entry once, each thread's in its order; the
 * file (several of the verifier's 64 KiB reads) is continued when opened again.
 */
class SeveralThreadsRecordIntoOneChain {

    @TempDir
    Path dir;

    @Test
    void fourThreadsOneChain() throws Exception {
        Path f = dir.resolve("t.log");
        int threads = 4;
        int each = 500;
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> started = new ArrayList<>();
        Identity agent = Identity.generate();
        try (AuditLog log = AuditLog.open(f, agent, new AuditLog.Options(64, Duration.ofSeconds(60)),
                Clock.systemUTC())) {
            for (int t = 0; t < threads; t++) {
                String name = "t" + t;
                Thread th = Thread.ofPlatform().start(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    for (int i = 0; i < each; i++) {
                        log.record("test.thread", Map.of("thread", name, "i", Integer.toString(i)));
                    }
                });
                started.add(th);
            }
            go.countDown();
            for (Thread th : started) {
                th.join();
            }
            assertThat(log.lostEntries()).isZero();
        }
        Result r = AuditVerifier.verify(f);
        assertThat(r.status()).as(r.describe()).isEqualTo(Status.OK);
        // 2 at open, 2000 entries, a checkpoint after every 64 (31), and one at close for the last 16
        assertThat(r.lines()).isEqualTo(2 + threads * each + threads * each / 64 + 1);
        Map<String, Integer> next = new HashMap<>();
        Pattern p = Pattern.compile("\"fields\":\\{(?:\"thread\":\"(t\\d)\",\"i\":\"(\\d+)\"|\"i\":\"(\\d+)\",\"thread\":\"(t\\d)\")\\}");
        int entries = 0;
        for (byte[] line : AuditFiles.lines(f)) {
            Matcher m = p.matcher(AuditFiles.text(line));
            if (m.find()) {
                String thread = m.group(1) != null ? m.group(1) : m.group(4);
                int i = Integer.parseInt(m.group(2) != null ? m.group(2) : m.group(3));
                assertThat(i).as(thread).isEqualTo(next.getOrDefault(thread, 0));
                next.put(thread, i + 1);
                entries++;
            }
        }
        assertThat(entries).isEqualTo(threads * each);
        assertThat(next.values()).containsOnly(each);
        // a file of several read chunks is checked and continued when opened again
        try (AuditLog again = AuditLog.open(f, agent)) {
            assertThat(again.entries()).isEqualTo(r.lines() + 2);
        }
        assertThat(AuditVerifier.verify(f).lines()).isEqualTo(r.lines() + 2);
    }
}
