package io.jrtc.sctp;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Every line a foreign SCTP peer process prints, collected by a daemon thread, and a latch released when it prints
 * {@code ready}: shared by the raw-SCTP interop tests against werift and Pion.
 */
record PeerProcessOutput(List<String> lines, CountDownLatch ready) {

    static PeerProcessOutput follow(Process process, String threadName) {
        PeerProcessOutput out = new PeerProcessOutput(Collections.synchronizedList(new ArrayList<>()), new CountDownLatch(1));
        Thread reader = new Thread(() -> {
            try (var in = new BufferedReader(new InputStreamReader(process.getInputStream()))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    out.lines.add(line);
                    if (line.equals("ready")) {
                        out.ready.countDown();
                    }
                }
            } catch (IOException e) {
                out.lines.add("reader: " + e);
            }
        }, threadName);
        reader.setDaemon(true);
        reader.start();
        return out;
    }
}
