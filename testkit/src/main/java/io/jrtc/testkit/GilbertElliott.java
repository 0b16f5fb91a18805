package io.jrtc.testkit;

/**
 * Two-state Markov loss model (Gilbert-Elliott) for bursty loss. Each packet first moves the chain
 * (good to bad with {@code pGoodToBad}, bad to good with {@code pBadToGood}), then is lost with the loss
 * probability of the state it is in.
 *
 * <p>Mean burst length in the bad state is {@code 1 / pBadToGood} packets; the long-run share of packets sent in
 * the bad state is {@code pGoodToBad / (pGoodToBad + pBadToGood)}.
 */
public record GilbertElliott(double pGoodToBad, double pBadToGood, double lossInGood, double lossInBad) {

    public GilbertElliott {
        check("pGoodToBad", pGoodToBad);
        check("pBadToGood", pBadToGood);
        check("lossInGood", lossInGood);
        check("lossInBad", lossInBad);
    }

    /** A chain whose long-run loss is {@code meanLoss} with bursts of {@code meanBurst} packets, lost for sure in the bad state. */
    public static GilbertElliott ofMeanLoss(double meanLoss, double meanBurst) {
        if (meanBurst < 1) {
            throw new IllegalArgumentException("meanBurst must be >= 1, was " + meanBurst);
        }
        double r = 1.0 / meanBurst;
        double p = meanLoss * r / (1 - meanLoss);
        return new GilbertElliott(p, r, 0.0, 1.0);
    }

    /** Long-run loss probability of this chain. */
    public double meanLoss() {
        double bad = pGoodToBad / (pGoodToBad + pBadToGood);
        return bad * lossInBad + (1 - bad) * lossInGood;
    }

    private static void check(String name, double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException(name + " must be within [0,1], was " + p);
        }
    }
}
