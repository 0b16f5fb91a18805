package io.jrtc.cli;

import io.jrtc.datachannel.DataChannel;
import io.jrtc.datachannel.DataChannelMessage;
import io.jrtc.datachannel.DataChannelState;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The echo agent's work on one data channel: send every message back, pause the channel's inbound side while its
 * echoes are not going out ({@link EchoAgent#HIGH_WATER_MARK}), resume at {@code onBufferedAmountLow}; and the counters
 * of all of it. The agent has one for its peers; its idle-time warm-up runs another, uncounted, over the same code, so
 * the JIT compiles the path real echoes take before the first real peer arrives. Runs on each connection's loop.
 */
final class ChannelEcho {

    private static final Logger LOG = LoggerFactory.getLogger(ChannelEcho.class);

    final LongAdder channelsOpened = new LongAdder();
    final LongAdder textEchoed = new LongAdder();
    final LongAdder binaryEchoed = new LongAdder();
    final LongAdder bytesEchoed = new LongAdder();
    final LongAdder sendFailures = new LongAdder();
    final LongAdder pauses = new LongAdder();
    /** The most bytes one paused channel held unconsumed (its charge against SCTP's receive window). */
    final LongAccumulator maxQueuedReceive = new LongAccumulator(Math::max, 0);
    final LongAccumulator maxBuffered = new LongAccumulator(Math::max, 0);

    private final String agentId;
    private final Supplier<Consumer<EchoAgent.Echo>> onEcho;
    private final Runnable onActivity;
    private final boolean logChannels;

    /**
     * @param agentId     for log lines
     * @param onEcho      the current observer of echoes (may give null)
     * @param onActivity  called when a channel opens
     * @param logChannels log each channel's opening at INFO (else DEBUG)
     */
    ChannelEcho(String agentId, Supplier<Consumer<EchoAgent.Echo>> onEcho, Runnable onActivity, boolean logChannels) {
        this.agentId = agentId;
        this.onEcho = onEcho;
        this.onActivity = onActivity;
        this.logChannels = logChannels;
    }

    /** Starts echoing on {@code ch}, a channel that {@code remote} opened. On the channel's loop. */
    void wire(DataChannel ch, String remote) {
        channelsOpened.increment();
        onActivity.run();
        if (logChannels || LOG.isDebugEnabled()) {
            String how = (ch.ordered() ? "ordered" : "unordered")
                    + (ch.maxRetransmits() != null ? ", maxRetransmits " + ch.maxRetransmits()
                    : ch.maxPacketLifeTime() != null ? ", maxPacketLifeTime " + ch.maxPacketLifeTime() + " ms" : "");
            if (logChannels) {
                LOG.info("echo {}: {} opened data channel '{}' (id {}, {})", agentId, remote, ch.label(), ch.id(), how);
            } else {
                LOG.debug("echo {}: {} opened data channel '{}' (id {}, {})", agentId, remote, ch.label(), ch.id(), how);
            }
        }
        boolean[] failureLogged = {false};
        ch.setBufferedAmountLowThreshold(EchoAgent.LOW_WATER_MARK);
        ch.onBufferedAmountLow(() -> {
            if (ch.isPaused()) {
                maxQueuedReceive.accumulate(ch.queuedReceiveAmount());
                ch.resume();
            }
        });
        ch.onMessage(m -> echo(ch, remote, m, failureLogged));
        ch.onClose(() -> LOG.debug("echo {}: data channel '{}' with {} closed", agentId, ch.label(), remote));
    }

    private void echo(DataChannel ch, String remote, DataChannelMessage m, boolean[] failureLogged) {
        if (ch.readyState() != DataChannelState.OPEN) {
            return;
        }
        int size = m.size();
        try {
            if (m.isBinary()) {
                ch.send(m);
                binaryEchoed.increment();
            } else {
                ch.send(m.text());
                textEchoed.increment();
            }
            bytesEchoed.add(size);
            long buffered = ch.bufferedAmount();
            maxBuffered.accumulate(buffered);
            if (buffered > EchoAgent.HIGH_WATER_MARK && !ch.isPaused()) {
                // the peer reads our echoes more slowly than it sends: stop reading until they drain
                ch.pause();
                pauses.increment();
            }
        } catch (RuntimeException e) {
            sendFailures.increment();
            if (!failureLogged[0]) {
                failureLogged[0] = true;
                LOG.warn("echo {}: cannot echo on '{}' to {} (further failures on this channel at debug): {}",
                        agentId, ch.label(), remote, e.toString());
            } else {
                LOG.debug("echo {}: cannot echo on '{}' to {}: {}", agentId, ch.label(), remote, e.toString());
            }
            return;
        }
        Consumer<EchoAgent.Echo> l = onEcho.get();
        if (l != null) {
            try {
                l.accept(new EchoAgent.Echo(remote, ch.label(), m));
            } catch (RuntimeException e) {
                LOG.warn("echo {}: onEcho listener failed", agentId, e);
            }
        }
    }
}
