package io.jrtc.mesh.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.jrtc.mesh.Identity;
import io.jrtc.mesh.audit.AuditVerifier.Expected;
import io.jrtc.mesh.audit.AuditVerifier.Result;
import io.jrtc.mesh.audit.AuditVerifier.Status;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Jazzer target for {@link AuditVerifier}: a closed log (fixed key and clock, so the same bytes in every run) is
 * altered by a script read from the input, or replaced by the input. Contract: verification returns a verdict and
 * never throws; a {@link Status#BROKEN} verdict names a line of the input; and {@link Status#OK} comes only for the log
 * untouched or cut right after one of its checkpoints (the one change the README says cannot be detected).
 *
 * <p>Script: the first byte chooses. 0: verify the rest of the input as a file. 1: byte edits, three input bytes
 * each (position high, low, new value). 2: a splice (position, bytes to delete, then the bytes to insert). 3: line
 * operations, two input bytes each (operation: delete, repeat, swap with the next; line index).
 */
class FuzzedAuditLogsVerifyOnlyWhenUntouched {

    private static byte[] log;
    private static List<byte[]> lines;
    /** Lengths of the prefixes that end right after a checkpoint line. */
    private static Set<Integer> checkpointEnds;
    private static byte[] key;

    private static void prepare() throws IOException {
        if (log != null) {
            return;
        }
        Path dir = Files.createTempDirectory("audit-fuzz");
        Path keyFile = dir.resolve("agent.key");
        try (InputStream in = FuzzedAuditLogsVerifyOnlyWhenUntouched.class.getResourceAsStream("fuzz-agent.key")) {
            Files.write(keyFile, in.readAllBytes());
        }
        Identity agent = Identity.load(keyFile);
        key = agent.publicKey();
        Path file = AuditFiles.write(dir.resolve("a.log"), agent, 10, 4);
        byte[] bytes = Files.readAllBytes(file);
        lines = AuditFiles.lines(file);
        Set<Integer> ends = new HashSet<>();
        int at = 0;
        for (byte[] l : lines) {
            at += l.length + 1;
            if (AuditFiles.text(l).contains("\"kind\":\"audit.checkpoint\"")) {
                ends.add(at);
            }
        }
        Files.delete(file);
        Files.delete(keyFile);
        Files.delete(dir);
        checkpointEnds = ends;
        log = bytes;
    }

    @FuzzTest(maxDuration = "30s")
    void alteredLog(byte[] input) throws IOException {
        prepare();
        byte[] altered = input.length == 0 ? log.clone() : alter(input);
        Result r = AuditVerifier.verify(new ByteArrayInputStream(altered), Expected.ANY);
        Result withKey = AuditVerifier.verify(new ByteArrayInputStream(altered), Expected.key(key));
        assertThat(r).isNotNull();
        assertThat(withKey.status()).isEqualTo(r.status());
        long newlines = 0;
        for (byte b : altered) {
            newlines += b == '\n' ? 1 : 0;
        }
        if (r.status() == Status.BROKEN) {
            assertThat(r.line()).as(r.describe()).isBetween(1L, newlines + 1);
            assertThat(r.problem()).isNotNull();
        }
        if (r.status() == Status.OK) {
            boolean prefix = checkpointEnds.contains(altered.length) && Arrays.equals(altered, 0, altered.length, log, 0,
                    altered.length);
            assertThat(prefix).as("verified OK, yet not the log nor a cut after a checkpoint: %s", r.describe()).isTrue();
        }
    }

    private static byte[] alter(byte[] in) {
        int op = in[0] & 3;
        switch (op) {
            case 0:
                return Arrays.copyOfRange(in, 1, in.length);
            case 1: {
                byte[] b = log.clone();
                for (int i = 1; i + 2 < in.length; i += 3) {
                    int pos = ((in[i] & 0xff) << 8 | in[i + 1] & 0xff) % b.length;
                    b[pos] = in[i + 2];
                }
                return b;
            }
            case 2: {
                int pos = in.length > 2 ? ((in[1] & 0xff) << 8 | in[2] & 0xff) % (log.length + 1) : 0;
                int delete = in.length > 3 ? Math.min(in[3] & 0xff, log.length - pos) : 0;
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                out.write(log, 0, pos);
                if (in.length > 4) {
                    out.write(in, 4, in.length - 4);
                }
                out.write(log, pos + delete, log.length - pos - delete);
                return out.toByteArray();
            }
            default: {
                List<byte[]> l = new ArrayList<>(lines);
                for (int i = 1; i + 1 < in.length && !l.isEmpty(); i += 2) {
                    int at = (in[i + 1] & 0xff) % l.size();
                    switch ((in[i] & 0xff) % 3) {
                        case 0 -> l.remove(at);
                        case 1 -> l.add(at, l.get(at));
                        default -> {
                            if (at + 1 < l.size()) {
                                byte[] t = l.get(at);
                                l.set(at, l.get(at + 1));
                                l.set(at + 1, t);
                            }
                        }
                    }
                }
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                for (byte[] x : l) {
                    out.writeBytes(x);
                    out.write('\n');
                }
                return out.toByteArray();
            }
        }
    }
}
