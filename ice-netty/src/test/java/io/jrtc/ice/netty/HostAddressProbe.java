package io.jrtc.ice.netty;

import io.jrtc.ice.IceCandidate;
import io.jrtc.ice.IceConfig;
import io.jrtc.ice.IceGatheringState;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Not a test: the program {@link DefaultRouteInsideAPrivateNamespace} runs inside a network namespace. It prints the
 * addresses the edge would bind by default and with {@code "*"}, then gathers with the default configuration (no
 * servers: nothing is sent) and prints the host candidates, one {@code PROBE} line each.
 */
public final class HostAddressProbe {

    private HostAddressProbe() {
    }

    public static void main(String[] args) throws Exception {
        IceConfig byDefault = IceConfig.builder().build();
        IceConfig every = IceConfig.builder().bindInterfaces(List.of(IceConfig.EVERY_INTERFACE)).build();
        System.out.println("PROBE default " + text(IceTransport.bindAddresses(byDefault)));
        System.out.println("PROBE every " + text(IceTransport.bindAddresses(every)));
        MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            IceTransport t = new IceTransport(group.next(), byDefault);
            List<IceCandidate> candidates = new CopyOnWriteArrayList<>();
            CompletableFuture<Void> complete = new CompletableFuture<>();
            t.onLocalCandidate(candidates::add);
            t.onGatheringStateChange(s -> {
                if (s == IceGatheringState.COMPLETE) {
                    complete.complete(null);
                }
            });
            t.startGathering().get(10, TimeUnit.SECONDS);
            complete.get(10, TimeUnit.SECONDS);
            System.out.println("PROBE candidates " + String.join(",", candidates.stream()
                    .map(c -> c.type().name().toLowerCase() + ":" + c.address()).toList()));
            t.close().get(10, TimeUnit.SECONDS);
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).get(5, TimeUnit.SECONDS);
        }
    }

    private static String text(List<InetAddress> addresses) {
        return String.join(",", addresses.stream().map(InetAddress::getHostAddress).toList());
    }
}
