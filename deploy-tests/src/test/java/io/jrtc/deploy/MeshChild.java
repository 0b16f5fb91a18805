package io.jrtc.deploy;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives a {@link NamespacedMeshAgents} child process and keeps what it reports: every delivery with the time this JVM
 * read it, each agent's neighbours, link-down counts, send results and presence. Closing it closes the child's
 * standard input (its agents leave and it exits), then kills it if it lingers.
 */
final class MeshChild implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MeshChild.class);

    /** One delivery: agent {@code at} got {@code payload} from agent {@code origin} over {@code hops} links. */
    record Got(int at, int origin, int hops, String payload, long nanos) {
    }

    private final Process process;
    private final OutputStream stdin;
    private final Path log;
    private final int agents;
    final List<String> ids = new java.util.concurrent.CopyOnWriteArrayList<>();
    final ConcurrentLinkedQueue<Got> deliveries = new ConcurrentLinkedQueue<>();
    /** payload to (receiving agent to arrival time); a second copy at one agent is counted in {@link #duplicates}. */
    final Map<String, Map<Integer, Long>> arrivals = new ConcurrentHashMap<>();
    final AtomicInteger duplicates = new AtomicInteger();
    final Map<Integer, Set<Integer>> neighbours = new ConcurrentHashMap<>();
    final Map<String, String> sendStatus = new ConcurrentHashMap<>();
    final Map<Integer, Integer> present = new ConcurrentHashMap<>();
    final AtomicInteger linkDowns = new AtomicInteger();
    final ConcurrentLinkedQueue<String> stats = new ConcurrentLinkedQueue<>();
    /** Neighbour and link events as read ({@code NU}, {@code ND}, {@code LD} lines), with their arrival times. */
    final ConcurrentLinkedQueue<Event> events = new ConcurrentLinkedQueue<>();

    record Event(long nanos, String line) {
    }
    private volatile boolean ready;

    MeshChild(List<String> command, Path log, int agents) throws IOException {
        this.log = log;
        this.agents = agents;
        for (int i = 0; i < agents; i++) {
            neighbours.put(i, ConcurrentHashMap.newKeySet());
        }
        process = new ProcessBuilder(command).redirectError(log.toFile()).start();
        stdin = process.getOutputStream();
        Thread reader = new Thread(this::read, "mesh-child-reader");
        reader.setDaemon(true);
        reader.start();
    }

    private void read() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                long now = System.nanoTime();
                String[] f = line.split(" ", 5);
                if (f[0].equals("NU") || f[0].equals("ND") || f[0].equals("LD")) {
                    events.add(new Event(now, line));
                }
                switch (f[0]) {
                    case "ID" -> ids.add(f[2]);
                    case "READY" -> ready = true;
                    case "NU" -> neighbours.get(Integer.parseInt(f[1])).add(Integer.parseInt(f[2]));
                    case "ND" -> neighbours.get(Integer.parseInt(f[1])).remove(Integer.parseInt(f[2]));
                    case "LD" -> linkDowns.incrementAndGet();
                    case "GOT" -> {
                        Got g = new Got(Integer.parseInt(f[1]), Integer.parseInt(f[2]), Integer.parseInt(f[3]), f[4], now);
                        deliveries.add(g);
                        if (arrivals.computeIfAbsent(g.payload(), k -> new ConcurrentHashMap<>()).putIfAbsent(g.at(), now) != null) {
                            duplicates.incrementAndGet();
                        }
                    }
                    case "SENT" -> sendStatus.put(line.split(" ", 4)[3], f[2]);
                    case "PRESENT" -> present.put(Integer.parseInt(f[1]), Integer.parseInt(f[2]));
                    case "STATS" -> stats.add(line);
                    default -> LOG.info("mesh child: {}", line);
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.info("mesh child output ended: {}", e.toString());
        }
    }

    boolean ready() {
        return ready && process.isAlive();
    }

    boolean alive() {
        return process.isAlive();
    }

    /** Agent {@code i} broadcasts {@code payload} (no spaces); {@link #sendStatus} gets the result. */
    synchronized void broadcast(int i, String payload) throws IOException {
        command("B " + i + " " + payload);
    }

    synchronized void command(String line) throws IOException {
        stdin.write((line + "\n").getBytes(UTF_8));
        stdin.flush();
    }

    /** The agents {@code payload} reached so far. */
    Set<Integer> reached(String payload) {
        return arrivals.getOrDefault(payload, Map.of()).keySet();
    }

    /** Whether the neighbour graph (as reported) is one component over all agents. */
    boolean oneOverlay() {
        Set<Integer> seen = new java.util.HashSet<>(List.of(0));
        java.util.ArrayDeque<Integer> todo = new java.util.ArrayDeque<>(List.of(0));
        while (!todo.isEmpty()) {
            for (int n : neighbours.get(todo.poll())) {
                if (seen.add(n)) {
                    todo.add(n);
                }
            }
        }
        return seen.size() == agents;
    }

    /** The tail of the child's log (its standard error), for failure messages. */
    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, java.nio.charset.StandardCharsets.ISO_8859_1);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        try {
            stdin.close();
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
