package io.jrtc.testkit.interop;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Headless Firefox ESR as an interop peer: a fresh profile whose {@code user.js} switches off every background service
 * (so the browser contacts nothing but the harness page), and the command line and environment that start it.
 */
final class Firefox {

    static final Path BINARY = Path.of("/usr/bin/firefox-esr");

    private Firefox() {
    }

    /** Preferences of the throw-away profile. Each group names the service it silences. */
    private static List<String> prefs(boolean mdns) {
        List<String> p = new ArrayList<>(List.of(
                // telemetry, health report, pings
                "toolkit.telemetry.enabled=false", "toolkit.telemetry.unified=false", "toolkit.telemetry.archive.enabled=false",
                "toolkit.telemetry.server=\"\"", "toolkit.telemetry.reportingpolicy.firstRun=false",
                "datareporting.healthreport.uploadEnabled=false", "datareporting.policy.dataSubmissionEnabled=false",
                "datareporting.policy.firstRunURL=\"\"", "browser.ping-centre.telemetry=false",
                "toolkit.telemetry.coverage.opt-out=true", "toolkit.coverage.opt-out=true", "toolkit.coverage.endpoint.base=\"\"",
                // studies (normandy, shield)
                "app.normandy.enabled=false", "app.normandy.api_url=\"\"", "app.shield.optoutstudies.enabled=false",
                // updates: application, add-ons, system add-ons, GMP plug-ins, search engines
                "app.update.auto=false", "app.update.enabled=false", "app.update.disabledForTesting=true", "app.update.url=\"\"",
                "extensions.update.enabled=false", "extensions.update.autoUpdateDefault=false",
                "extensions.systemAddon.update.enabled=false", "extensions.systemAddon.update.url=\"\"",
                "extensions.getAddons.cache.enabled=false", "extensions.blocklist.enabled=false",
                "extensions.pocket.enabled=false", "extensions.autoDisableScopes=15",
                "media.gmp-manager.url=\"\"", "media.gmp-gmpopenh264.autoupdate=false", "media.gmp-gmpopenh264.enabled=false",
                "media.gmp-widevinecdm.enabled=false", "media.gmp-provider.enabled=false",
                "browser.search.update=false", "browser.search.geoip.url=\"\"",
                // safe browsing and its list updates
                "browser.safebrowsing.malware.enabled=false", "browser.safebrowsing.phishing.enabled=false",
                "browser.safebrowsing.downloads.enabled=false", "browser.safebrowsing.downloads.remote.enabled=false",
                "browser.safebrowsing.blockedURIs.enabled=false", "browser.safebrowsing.update.enabled=false",
                "browser.safebrowsing.provider.mozilla.updateURL=\"\"", "browser.safebrowsing.provider.google4.updateURL=\"\"",
                "browser.safebrowsing.provider.google.updateURL=\"\"",
                // push
                "dom.push.enabled=false", "dom.push.connection.enabled=false", "dom.push.serverURL=\"\"",
                // remote settings (honoured only with MOZ_REMOTE_SETTINGS_DEVTOOLS=1 in the environment)
                "services.settings.server=\"http://127.0.0.1:9/v1\"", "services.settings.poll_interval=86400000",
                "security.remote_settings.crlite_filters.enabled=false", "security.remote_settings.intermediates.enabled=false",
                "security.OCSP.enabled=0",
                // captive portal and connectivity checks
                "network.captive-portal-service.enabled=false", "network.connectivity-service.enabled=false",
                "captivedetect.canonicalURL=\"\"",
                // DNS prefetch, speculative connections, DoH
                "network.dns.disablePrefetch=true", "network.prefetch-next=false", "network.predictor.enabled=false",
                "network.http.speculative-parallel-limit=0", "network.trr.mode=5", "network.proxy.type=0",
                // new-tab content, first-run pages, accounts
                "browser.newtabpage.enabled=false", "browser.newtabpage.activity-stream.feeds.topsites=false",
                "browser.newtabpage.activity-stream.feeds.section.topstories=false",
                "browser.newtabpage.activity-stream.feeds.snippets=false", "browser.newtabpage.activity-stream.telemetry=false",
                "browser.newtabpage.activity-stream.feeds.telemetry=false", "browser.topsites.contile.enabled=false",
                "browser.startup.page=0", "browser.startup.homepage=\"about:blank\"",
                "browser.startup.homepage_override.mstone=\"ignore\"", "browser.aboutwelcome.enabled=false",
                "browser.shell.checkDefaultBrowser=false", "identity.fxaccounts.enabled=false",
                "browser.tabs.unloadOnLowMemory=false", "toolkit.startup.max_resumed_crashes=-1",
                // geolocation and region look-ups
                "geo.enabled=false", "geo.provider.network.url=\"\"", "browser.region.network.url=\"\"",
                "browser.region.update.enabled=false",
                // performance.now() at full resolution (Firefox rounds it to 1 ms otherwise), for timings in pages
                "privacy.reduceTimerPrecision=false"));
        // WebRTC: real host addresses in candidates, or .local mDNS names (Firefox's default).
        p.add("media.peerconnection.ice.obfuscate_host_addresses=" + mdns);
        return p;
    }

    /** Writes a fresh profile under {@code dir} and returns it. */
    static Path profile(Path dir, boolean mdns) throws IOException {
        Path profile = Files.createDirectories(dir.resolve("profile"));
        StringBuilder js = new StringBuilder("// written by jrtc's interop tests: no background networking\n");
        for (String pref : prefs(mdns)) {
            int eq = pref.indexOf('=');
            js.append("user_pref(\"").append(pref, 0, eq).append("\", ").append(pref.substring(eq + 1)).append(");\n");
        }
        Files.writeString(profile.resolve("user.js"), js.toString(), StandardCharsets.UTF_8);
        return profile;
    }

    static List<String> argv(Path profile, String url) {
        return List.of(BINARY.toString(), "--headless", "--no-remote", "--profile", profile.toString(), url);
    }

    static Map<String, String> env() {
        return Map.of("MOZ_REMOTE_SETTINGS_DEVTOOLS", "1", "MOZ_CRASHREPORTER_DISABLE", "1", "MOZ_HEADLESS", "1",
                "MOZ_DISABLE_AUTO_SAFE_MODE", "1");
    }
}
