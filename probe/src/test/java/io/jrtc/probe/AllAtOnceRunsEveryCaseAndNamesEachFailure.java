package io.jrtc.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link AllAtOnce}, the side-by-side runner of the slow probe tests: its cases really overlap, and no failure hides. */
class AllAtOnceRunsEveryCaseAndNamesEachFailure {

    @Test
    void casesRunAtTheSameTimeAndEveryCheckSeesItsOwnResult() throws Exception {
        int n = 4;
        CountDownLatch allStarted = new CountDownLatch(n);
        Map<String, Callable<Integer>> cases = new LinkedHashMap<>();
        Map<String, AllAtOnce.Check<Integer>> checks = new LinkedHashMap<>();
        List<String> checked = new CopyOnWriteArrayList<>();
        for (int i = 0; i < n; i++) {
            int v = i;
            // each case waits for all the others to have started: one after another, the first would never finish
            cases.put("case " + i, () -> {
                allStarted.countDown();
                assertThat(allStarted.await(10, TimeUnit.SECONDS)).as("all cases running at once").isTrue();
                return v * 10;
            });
            checks.put("case " + i, r -> {
                assertThat(r).isEqualTo(v * 10);
                checked.add("case " + v);
            });
        }
        AllAtOnce.run(cases, checks);
        assertThat(checked).containsExactly("case 0", "case 1", "case 2", "case 3");
    }

    @Test
    void aFailedRunAndAFailedCheckAreBothNamedAndTheRestStillChecked() {
        Map<String, Callable<String>> cases = new LinkedHashMap<>();
        Map<String, AllAtOnce.Check<String>> checks = new LinkedHashMap<>();
        List<String> checked = new CopyOnWriteArrayList<>();
        cases.put("throws", () -> {
            throw new IllegalStateException("peer never ready");
        });
        checks.put("throws", r -> checked.add("throws"));
        cases.put("wrong verdict", () -> "FAIL");
        checks.put("wrong verdict", r -> assertThat(r).as("verdict").isEqualTo("PASS"));
        cases.put("fine", () -> "PASS");
        checks.put("fine", r -> checked.add("fine"));

        AssertionError e = catchThrowableOfType(AssertionError.class, () -> AllAtOnce.run(cases, checks));
        assertThat(e).hasMessageStartingWith("2 of 3 cases failed: [throws, wrong verdict]")
                .hasMessageContaining("peer never ready");
        assertThat(e.getCause()).isInstanceOf(IllegalStateException.class);
        assertThat(e.getSuppressed()).singleElement().satisfies(s -> assertThat(s).hasMessageContaining("[verdict]"));
        assertThat(checked).as("the passing case was still checked; the failed run's check never ran").containsExactly("fine");
    }
}
