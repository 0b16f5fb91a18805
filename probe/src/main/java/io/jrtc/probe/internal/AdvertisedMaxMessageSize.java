package io.jrtc.probe.internal;

import io.jrtc.probe.Evidence;
import io.jrtc.probe.Verdict;
import java.util.List;

/** The a=max-message-size the target advertises in its SDP. */
final class AdvertisedMaxMessageSize extends Scenario {

    @Override
    public String id() {
        return "advertised-max-message-size";
    }

    @Override
    public String clause() {
        return "RFC 8841 §6";
    }

    @Override
    public String description() {
        return "Reads a=max-message-size from the target's SDP (65,536 when absent, 0 unlimited). DEVIATION at 65,536 "
                + "or less: legal, but browsers advertise 256 KiB (Chromium) or more (Firefox: 1 GiB), so a larger message "
                + "an application sends to a browser fails against this target unless it is configured otherwise.";
    }

    @Override
    public Outcome run(Session s) {
        String sdp = s.remoteSdp();
        boolean given = sdp != null && sdp.contains("a=max-message-size:");
        long mms = MaxMessageSize.advertised(sdp);
        List<Evidence> ev = List.of(Evidence.note(given ? "remote SDP: a=max-message-size:" + mms
                : "remote SDP: no a=max-message-size (RFC 8841 §6.1 default: 65536)"));
        if (mms != 0 && mms <= 65_536) {
            return outcome(Verdict.DEVIATION, "the target advertises a=max-message-size:" + mms
                    + (given ? "" : " (by omission)") + ", 64 KiB or less", ev);
        }
        return outcome(Verdict.PASS, mms == 0 ? "no limit (0)" : "a=max-message-size:" + mms, ev);
    }
}
