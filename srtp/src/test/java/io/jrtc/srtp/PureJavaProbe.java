package io.jrtc.srtp;

import io.jrtc.common.SrtpProfile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import org.jitsi.srtp.crypto.JitsiOpenSslProvider;

/**
 * Run in a forked JVM by {@link SrtpRunsWithoutJitsiNativeLibraries}: exercises SRTP against the libsrtp reference
 * packets and reports, one {@code key=value} per line, what it found. Exit status 0 only if everything held.
 */
public final class PureJavaProbe {

    private PureJavaProbe() {
    }

    public static void main(String[] args) throws IOException {
        boolean ok = true;
        boolean nativesOnClassPath = false;
        for (String res : new String[] {"linux-x86-64/libjitsisrtp_3.so", "linux-x86-64/libjitsisrtp_1.1.so",
                "linux-aarch64/libjitsisrtp_3.so", "darwin-aarch64/libjitsisrtp_3.dylib",
                "darwin-x86-64/libjitsisrtp_3.dylib"}) {
            nativesOnClassPath |= PureJavaProbe.class.getClassLoader().getResource(res) != null;
        }
        System.out.println("natives-on-classpath=" + nativesOnClassPath);

        Set<String> providers = new TreeSet<>();
        boolean vectors = true;
        vectors &= check(SrtpProfile.AES_CM_128_HMAC_SHA1_80, SrtpMatchesPublishedVectors.CM_KEY,
                SrtpMatchesPublishedVectors.CM_SALT, SrtpMatchesPublishedVectors.CM_SRTP,
                SrtpMatchesPublishedVectors.CM_SRTCP, providers);
        vectors &= check(SrtpProfile.AEAD_AES_128_GCM, SrtpMatchesPublishedVectors.GCM_KEY,
                SrtpMatchesPublishedVectors.GCM_SALT, SrtpMatchesPublishedVectors.GCM_SRTP,
                SrtpMatchesPublishedVectors.GCM_SRTCP, providers);
        System.out.println("vectors=" + (vectors ? "ok" : "FAILED"));
        System.out.println("providers=" + providers);
        boolean loaded = JitsiOpenSslProvider.isLoaded();
        System.out.println("native-loaded=" + loaded);
        Path maps = Path.of("/proc/self/maps");
        boolean mapped = Files.isReadable(maps) && Files.readString(maps).contains("jitsisrtp");
        System.out.println("mapped-jitsisrtp=" + mapped);

        ok = !nativesOnClassPath && vectors && providers.equals(Set.of("SunJCE")) && !loaded && !mapped;
        System.out.flush();
        System.exit(ok ? 0 : 1);
    }

    private static boolean check(SrtpProfile profile, byte[] key, byte[] salt, byte[] srtp, byte[] srtcp,
                                 Set<String> providers) {
        byte[] rtp = SrtpMatchesPublishedVectors.RTP_PLAIN;
        byte[] rtcp = SrtpMatchesPublishedVectors.RTCP_PLAIN;
        try (SrtpSession tx = SrtpSession.create(profile, key, salt, key, salt);
             SrtpSession rx = SrtpSession.create(profile, key, salt, key, salt)) {
            byte[] buf = Arrays.copyOf(rtp, rtp.length + 16);
            int n = tx.protectRtp(buf, 0, rtp.length);
            boolean good = Arrays.equals(Arrays.copyOf(buf, n), srtp);
            byte[] first = Arrays.copyOf(rtcp, rtcp.length + 20);
            tx.protectRtcp(first, 0, rtcp.length);
            byte[] c = Arrays.copyOf(rtcp, rtcp.length + 20);
            int m = tx.protectRtcp(c, 0, rtcp.length);
            good &= Arrays.equals(Arrays.copyOf(c, m), srtcp);
            byte[] in = srtp.clone();
            good &= rx.unprotectRtp(in, 0, in.length) == rtp.length && Arrays.equals(Arrays.copyOf(in, rtp.length), rtp);
            byte[] inc = srtcp.clone();
            good &= rx.unprotectRtcp(inc, 0, inc.length) == rtcp.length;
            providers.addAll(tx.cryptoProviders());
            providers.addAll(rx.cryptoProviders());
            System.out.println(profile + "=" + (good ? "ok" : "FAILED"));
            return good;
        }
    }
}
