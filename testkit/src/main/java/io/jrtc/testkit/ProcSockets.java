package io.jrtc.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A process's sockets as Linux's {@code /proc} shows them, from outside any library: the socket inodes among its file
 * descriptors, and the inodes of a {@code /proc/net} table ({@code udp}, {@code udp6}, {@code tcp}, {@code tcp6}).
 * Their intersection is, for example, the process's UDP sockets. Used by leak tests and soak harnesses.
 */
public final class ProcSockets {

    private static final Pattern SOCKET = Pattern.compile("socket:\\[(\\d+)]");

    private ProcSockets() {
    }

    /**
     * The inodes of the sockets among the file descriptors of {@code pid} ({@code "self"} for this process);
     * descriptors that close meanwhile are skipped.
     */
    public static Set<Long> socketInodes(String pid) throws IOException {
        Set<Long> inodes = new HashSet<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(Path.of("/proc", pid, "fd"))) {
            for (Path fd : s) {
                try {
                    Matcher m = SOCKET.matcher(Files.readSymbolicLink(fd).toString());
                    if (m.matches()) {
                        inodes.add(Long.parseLong(m.group(1)));
                    }
                } catch (IOException closedMeanwhile) {
                    // the descriptor went away between the listing and the read (the directory stream's own, for one)
                }
            }
        }
        return inodes;
    }

    /** The inodes listed in the given {@code /proc/net/<table>} files (column 10 of each row); absent tables add none. */
    public static Set<Long> tableInodes(String... tables) throws IOException {
        Set<Long> inodes = new HashSet<>();
        for (String t : tables) {
            Path p = Path.of("/proc/net", t);
            if (!Files.exists(p)) {
                continue;
            }
            List<String> lines = Files.readAllLines(p, StandardCharsets.US_ASCII);
            for (int i = 1; i < lines.size(); i++) {
                String[] f = lines.get(i).trim().split("\\s+");
                if (f.length > 9) {
                    inodes.add(Long.parseLong(f[9]));
                }
            }
        }
        return inodes;
    }
}
