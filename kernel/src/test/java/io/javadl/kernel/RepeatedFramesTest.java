package io.javadl.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Traces built as JShell hands them on: a cell's frames have the class "" and the file "#id". */
class RepeatedFramesTest {

    private static final StackTraceElement DOWN = cellFrame("down", 45);
    private static final StackTraceElement IS_EVEN = cellFrame("isEven", 49);
    private static final StackTraceElement IS_ODD = cellFrame("isOdd", 50);
    private static final StackTraceElement CALL = cellFrame("", 46);

    private static StackTraceElement cellFrame(String method, int snippet) {
        return new StackTraceElement("", method, "#" + snippet, 1);
    }

    /** The frames as the notebook shows each, after "at ". */
    private static List<String> shown(List<StackTraceElement> frames, int traceLimit) {
        return Stream.of(RepeatedFrames.collapse(frames.toArray(StackTraceElement[]::new), traceLimit))
                .map(StackTraceElement::toString).toList();
    }

    private static List<StackTraceElement> copies(int n, StackTraceElement... cycle) {
        List<StackTraceElement> frames = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            frames.addAll(List.of(cycle));
        }
        return frames;
    }

    @Test
    void endlessRecursionShowsThreeFramesAndHowManyMoreTheJvmKept() {
        List<String> shown = shown(Collections.nCopies(1024, DOWN), 1024);

        assertEquals(List.of(".down(#45:1)", ".down(#45:1)", ".down(#45:1)",
                "... (the line above repeated 1021 more times before the JVM cut the trace at 1024 lines)"), shown);
    }

    @Test
    void mutualRecursionShowsTheCycleTwice() {
        List<String> shown = shown(copies(512, IS_EVEN, IS_ODD), 1024);

        assertEquals(List.of(".isEven(#49:1)", ".isOdd(#50:1)", ".isEven(#49:1)", ".isOdd(#50:1)",
                "... (the 2 lines above repeated 510 more times before the JVM cut the trace at 1024 lines)"), shown);
    }

    @Test
    void aCycleCutInItsMiddleKeepsTheCutCopysFrames() {
        StackTraceElement c = cellFrame("c", 51);
        List<StackTraceElement> frames = copies(341, IS_EVEN, IS_ODD, c); // 1023 frames
        frames.add(IS_EVEN);

        assertEquals(List.of(".isEven(#49:1)", ".isOdd(#50:1)", ".c(#51:1)",
                "... (the 3 lines above repeated 340 more times before the JVM cut the trace at 1024 lines)",
                ".isEven(#49:1)"), shown(frames, 1024));
    }

    @Test
    void aRecursionThatEndedKeepsTheFramesAroundItAndSaysNothingOfACut() {
        StackTraceElement divide = new StackTraceElement("java.lang.Math", "floorDiv", "Math.java", 1);
        List<StackTraceElement> frames = new ArrayList<>(List.of(divide));
        frames.addAll(Collections.nCopies(51, DOWN));
        frames.add(CALL);

        assertEquals(List.of("java.lang.Math.floorDiv(Math.java:1)", ".down(#45:1)", ".down(#45:1)", ".down(#45:1)",
                "... (the line above repeated 48 more times)", ".(#46:1)"), shown(frames, 1024));
    }

    @Test
    void aJvmThatKeepsEveryFrameNeverCuts() {
        assertEquals("... (the line above repeated 2 more times)",
                shown(Collections.nCopies(5, DOWN), 0).get(3));
    }

    @Test
    void oneRepeatMoreThanShownIsOneMoreTime() {
        List<StackTraceElement> frames = new ArrayList<>(Collections.nCopies(4, DOWN));
        frames.add(CALL);

        assertEquals(List.of(".down(#45:1)", ".down(#45:1)", ".down(#45:1)",
                "... (the line above repeated 1 more time)", ".(#46:1)"), shown(frames, 1024));
    }

    @Test
    void tracesWithoutRunsStayAsTheyAre() {
        StackTraceElement[] frames = {DOWN, DOWN, DOWN, IS_EVEN, IS_ODD, IS_EVEN, CALL};

        assertArrayEquals(frames, RepeatedFrames.collapse(frames, 1024));
        assertArrayEquals(new StackTraceElement[0], RepeatedFrames.collapse(new StackTraceElement[0], 1024));
    }

    @Test
    void hotSpotsDefaultTraceLimitIsRead() {
        assertEquals(1024, RepeatedFrames.JVM_TRACE_LIMIT); // HotSpot's -XX:MaxJavaStackTraceDepth default
    }
}
