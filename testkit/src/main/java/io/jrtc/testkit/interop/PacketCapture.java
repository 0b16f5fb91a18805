package io.jrtc.testkit.interop;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An independent witness of what went on the wire: {@code tcpdump} (Debian's, run as root) capturing into a pcap
 * file, read back with {@link PcapFile}. A test starts it before its scenario and {@link #stop()}s it after, then
 * checks the packets: the proof does not rest on counters inside the code under test.
 *
 * <p>Requires root and {@code /usr/bin/tcpdump} ({@link #unavailableReason()}; gate it with {@link Interop}).
 */
public final class PacketCapture implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PacketCapture.class);

    public static final Path TCPDUMP = Path.of("/usr/bin/tcpdump");
    private static final Pattern DROPPED = Pattern.compile("(\\d+) packets? dropped by kernel");

    private final Process process;
    private final Path pcap;
    private final Path log;
    private boolean stopped;

    private PacketCapture(Process process, Path pcap, Path log) {
        this.process = process;
        this.pcap = pcap;
        this.log = log;
    }

    /** Why a capture cannot be made here, or null. */
    public static String unavailableReason() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return "a packet capture needs root (running as " + System.getProperty("user.name") + ")";
        }
        return Files.isExecutable(TCPDUMP) ? null : "tcpdump is not installed (apt-get install tcpdump)";
    }

    /**
     * Starts capturing on {@code iface} ({@code "any"} for every interface of this namespace) the packets matching
     * the BPF {@code filter}, into {@code pcap}; returns once tcpdump listens.
     */
    public static PacketCapture start(String iface, String filter, Path pcap) throws IOException {
        Files.createDirectories(pcap.toAbsolutePath().getParent());
        Path log = pcap.resolveSibling(pcap.getFileName() + ".log");
        // --immediate-mode: the kernel hands each packet over at once (not in blocks that a stop would lose); -U: it is
        // written at once; -s 256: headers are enough (payload lengths come from the IP header).
        List<String> argv = List.of(TCPDUMP.toString(), "-i", iface, "-n", "--immediate-mode", "-U", "-s", "256",
                "-w", pcap.toString(), filter);
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        PacketCapture c = new PacketCapture(p, pcap, log);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!c.logText().contains("listening on")) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                c.close();
                throw new IOException("tcpdump did not start (" + String.join(" ", argv) + "): " + c.logText());
            }
            try {
                p.waitFor(20, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                c.close();
                throw new IOException("interrupted while tcpdump started", e);
            }
        }
        LOG.info("capturing on {} ({}) into {}", iface, filter, pcap);
        return c;
    }

    /**
     * Waits until the file stops growing (the traffic is over), stops tcpdump (SIGTERM, so it flushes the file) and
     * returns the captured IPv4 packets. Fails when the kernel dropped a packet: a capture with holes proves nothing.
     * (tcpdump's "received by filter" is no check: on {@code any} it counts each loopback packet twice, once going
     * out and once coming in, and keeps one.)
     */
    public List<PcapFile.Packet> stop() throws IOException {
        if (!stopped) {
            stopped = true;
            awaitQuiet();
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new IOException("tcpdump did not stop within 10 s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while tcpdump stopped", e);
            }
        }
        String text = logText();
        if (statistic(DROPPED, text) != 0) {
            throw new IOException("the kernel dropped packets during the capture, so it is incomplete: " + text);
        }
        List<PcapFile.Packet> packets = PcapFile.read(pcap);
        LOG.info("capture {}: {} IPv4 packets ({})", pcap, packets.size(), text.replace('\n', ' ').trim());
        return new ArrayList<>(packets);
    }

    private static long statistic(Pattern p, String text) throws IOException {
        Matcher m = p.matcher(text);
        if (!m.find()) {
            throw new IOException("tcpdump printed no capture statistics (" + p.pattern() + "): " + text);
        }
        return Long.parseLong(m.group(1));
    }

    /** Polls the file's size until it has not changed for 300 ms (at most 5 s). */
    private void awaitQuiet() throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        long size = -1;
        long stableSince = System.nanoTime();
        while (System.nanoTime() < deadline) {
            long now = Files.size(pcap);
            if (now != size) {
                size = now;
                stableSince = System.nanoTime();
            } else if (System.nanoTime() - stableSince >= TimeUnit.MILLISECONDS.toNanos(300)) {
                return;
            }
            try {
                process.waitFor(50, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for the capture to settle", e);
            }
        }
    }

    /** The pcap file, to open in Wireshark when a check fails. */
    public Path file() {
        return pcap;
    }

    private String logText() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
