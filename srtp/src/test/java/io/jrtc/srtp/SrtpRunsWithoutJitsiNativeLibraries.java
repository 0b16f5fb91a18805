package io.jrtc.srtp;

import io.jrtc.common.SrtpProfile;
import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.srtp.internal.JitsiCrypto;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.jitsi.srtp.SrtpContextFactory;
import org.jitsi.srtp.crypto.JitsiOpenSslProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pure-Java promise. (1) In a forked JVM whose class path carries jitsi-srtp with its {@code linux-*}/
 * {@code darwin-*} native libraries removed (what our distribution ships), SRTP reproduces the libsrtp reference
 * packets, every cipher and MAC comes from SunJCE, jitsi's OpenSSL provider reports not loaded and no
 * {@code jitsisrtp} library is mapped into the process. (2) In this JVM, whose class path still has the native
 * libraries, every context's cipher and MAC are SunJCE all the same.
 */
class SrtpRunsWithoutJitsiNativeLibraries {

    private static final Logger LOG = LoggerFactory.getLogger(SrtpRunsWithoutJitsiNativeLibraries.class);

    @Test
    void forkedJvmWithoutNativeLibrariesReproducesReferencePackets(@TempDir Path dir) throws Exception {
        Path jitsiJar = Path.of(SrtpContextFactory.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path stripped = dir.resolve("jitsi-srtp-pure-java.jar");
        int removed = stripNativeLibraries(jitsiJar, stripped);
        assertThat(removed).as("native entries removed from %s", jitsiJar).isGreaterThanOrEqualTo(7);

        List<String> classPath = new ArrayList<>();
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        boolean replaced = false;
        for (String entry : cp.split(File.pathSeparator)) {
            if (entry.isEmpty()) {
                continue;
            }
            if (Path.of(entry).toAbsolutePath().normalize().equals(jitsiJar.toAbsolutePath().normalize())) {
                classPath.add(stripped.toString());
                replaced = true;
            } else {
                classPath.add(entry);
            }
        }
        assertThat(replaced).as("jitsi-srtp jar found on the test class path").isTrue();

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-Xmx256m", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp", String.join(File.pathSeparator, classPath), PureJavaProbe.class.getName())
                .redirectErrorStream(true).start();
        byte[] out;
        try (InputStream in = process.getInputStream()) {
            out = in.readAllBytes();
        }
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = new String(out, StandardCharsets.UTF_8);
        LOG.info("forked pure-Java probe said:\n{}", output);
        assertThat(output).contains("natives-on-classpath=false", "AES_CM_128_HMAC_SHA1_80=ok",
                "AEAD_AES_128_GCM=ok", "vectors=ok", "providers=[SunJCE]", "native-loaded=false",
                "mapped-jitsisrtp=false");
        assertThat(process.exitValue()).isZero();
    }

    private static int stripNativeLibraries(Path from, Path to) throws IOException {
        int removed = 0;
        try (ZipFile zip = new ZipFile(from.toFile());
             OutputStream os = Files.newOutputStream(to);
             ZipOutputStream out = new ZipOutputStream(os)) {
            for (ZipEntry e : java.util.Collections.list(zip.entries())) {
                String name = e.getName();
                if (name.startsWith("linux-") || name.startsWith("darwin-") || name.startsWith("win32-")) {
                    if (!e.isDirectory()) {
                        removed++;
                    }
                    continue;
                }
                out.putNextEntry(new ZipEntry(name));
                try (InputStream in = zip.getInputStream(e)) {
                    in.transferTo(out);
                }
                out.closeEntry();
            }
        }
        return removed;
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void everyContextUsesSunJceEvenWithNativeLibrariesOnTheClassPath(SrtpProfile profile) {
        SrtpKeys k = SrtpRoundTripsAcrossProfilesAndSsrcs.keys(profile, 77);
        try (SrtpSession a = SrtpSession.create(k); SrtpSession b = SrtpSession.create(k.reversed())) {
            byte[] rtp = TestPackets.rtp(96, 1, 1, 42, new byte[100], profile.rtpTrailerLength());
            int p = a.protectRtp(rtp, 0, 112);
            assertThat(b.unprotectRtp(rtp, 0, p)).isEqualTo(112);
            byte[] rtcp = TestPackets.rtcpRr(42, 3, profile.rtcpTrailerLength());
            int q = a.protectRtcp(rtcp, 0, 20);
            assertThat(b.unprotectRtcp(rtcp, 0, q)).isEqualTo(20);

            assertThat(JitsiCrypto.providersPinned()).isTrue();
            assertThat(a.cryptoProviders()).containsExactly("SunJCE");
            assertThat(b.cryptoProviders()).containsExactly("SunJCE");
            LOG.info("{}: jitsi native library loaded in this JVM: {}; crypto providers {}", profile,
                    JitsiOpenSslProvider.isLoaded(), b.cryptoProviders());
        }
    }
}
