package io.jrtc.testkit.soak;

import io.jrtc.testkit.ProcSockets;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resource figures of another JVM on this (Linux) machine, from outside: heap used right after a full GC (two
 * {@code jcmd} calls: {@code GC.run}, then {@code GC.heap_info}), threads ({@code /proc/<pid>/task}), open file
 * descriptors ({@code /proc/<pid>/fd}), and UDP and TCP sockets: the socket inodes among those descriptors that appear
 * in {@code /proc/net/udp}, {@code udp6}, {@code tcp}, {@code tcp6} (the process must be in this network namespace).
 */
public final class ProcessProbe {

    private static final Pattern USED = Pattern.compile("(?i)heap\\s+total[^\\n]*?used\\s+(\\d+)K");

    private final long pid;
    private final Path jcmd;

    /** One sample. */
    public record Sample(long heapAfterGcBytes, int threads, int fds, int udpSockets, int tcpSockets) {
        public double heapMiB() {
            return heapAfterGcBytes / (1024.0 * 1024.0);
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "heap %.2f MiB, %d threads, %d fds, %d UDP, %d TCP", heapMiB(), threads, fds,
                    udpSockets, tcpSockets);
        }
    }

    public ProcessProbe(long pid) {
        this.pid = pid;
        this.jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    }

    public long pid() {
        return pid;
    }

    /** All figures; the heap one forces a full GC in the target first. */
    public Sample sample() throws IOException, InterruptedException {
        jcmd("GC.run");
        long heap = parseUsed(jcmd("GC.heap_info"));
        Set<Long> sockets = socketInodes(pid);
        return new Sample(heap, count(Path.of("/proc", Long.toString(pid), "task")),
                count(Path.of("/proc", Long.toString(pid), "fd")),
                matching(sockets, "udp", "udp6"), matching(sockets, "tcp", "tcp6"));
    }

    /** The head of a class histogram of the live objects ({@code jcmd <pid> GC.class_histogram}, itself after a full GC). */
    public String histogram(int top) throws IOException, InterruptedException {
        String[] lines = jcmd("GC.class_histogram").split("\n");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < lines.length && i < top + 3; i++) {
            sb.append(lines[i]).append('\n');
        }
        sb.append(lines[lines.length - 1]).append('\n'); // the total
        return sb.toString();
    }

    /** Live instances of the class named exactly {@code className} (a class histogram, so after a full GC); 0 if none. */
    public long liveInstances(String className) throws IOException, InterruptedException {
        for (String line : jcmd("GC.class_histogram").split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 4 && f[3].equals(className)) {
                return Long.parseLong(f[1]);
            }
        }
        return 0;
    }

    static long parseUsed(String heapInfo) {
        Matcher m = USED.matcher(heapInfo);
        if (!m.find()) {
            throw new IllegalStateException("no 'used' figure in GC.heap_info output:\n" + heapInfo);
        }
        return Long.parseLong(m.group(1)) * 1024;
    }

    private String jcmd(String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("jcmd " + pid + " " + command + " failed: " + new String(out, StandardCharsets.UTF_8));
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    /** Entries of a directory (descriptors or tasks); 0 for a process that has gone. */
    public static int count(Path dir) throws IOException {
        int n = 0;
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            for (Path ignored : s) {
                n++;
            }
        }
        return n;
    }

    /** The inodes of the sockets among {@code pid}'s file descriptors (descriptors closing meanwhile are skipped). */
    public static Set<Long> socketInodes(long pid) throws IOException {
        return ProcSockets.socketInodes(Long.toString(pid));
    }

    /** The inodes listed in {@code /proc/net/<table>} files (column 10 of each row). */
    public static Set<Long> tableInodes(String... tables) throws IOException {
        return ProcSockets.tableInodes(tables);
    }

    /** How many of {@code sockets} are in the given {@code /proc/net} tables. */
    public static int matching(Set<Long> sockets, String... tables) throws IOException {
        Set<Long> table = tableInodes(tables);
        int n = 0;
        for (Long s : sockets) {
            if (table.contains(s)) {
                n++;
            }
        }
        return n;
    }
}
