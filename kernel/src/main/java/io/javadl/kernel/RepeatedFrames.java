package io.javadl.kernel;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A stack trace with its repeats collapsed, as Python shows endless recursion ("[Previous line repeated 996 more
 * times]"). A method that calls itself without end fills a {@code StackOverflowError}'s trace with one frame, or with
 * one cycle of frames where two methods call each other; the trace keeps the first copies of the cycle, then one
 * line that says how many more there were, then the frames beyond it, such as the cell's own call:
 *
 * <pre>
 *     at .down(#45:1)
 *     at .down(#45:1)
 *     at .down(#45:1)
 *     at ... (the line above repeated 1021 more times before the JVM cut the trace at 1024 lines)
 * </pre>
 *
 * <p>That line is a frame of its own, since the notebook shows each frame as {@code at} and the frame's text. The JVM
 * keeps only a trace's innermost frames ({@code -XX:MaxJavaStackTraceDepth}, 1024 by default), so a
 * {@code StackOverflowError}'s trace holds neither the recursion's start nor the cell's call; the line says so.
 */
final class RepeatedFrames {

    /** How many lines of a repeated cycle stay: three copies of one frame, two of a cycle of two, one of longer. */
    static final int LINES_SHOWN = 3;

    /** The longest cycle looked for: methods that call each other, also through lambdas and library methods. */
    static final int LONGEST_CYCLE = 16;

    /** The most frames the JVM keeps in a trace ({@code -XX:MaxJavaStackTraceDepth}); 0 where it keeps all. */
    static final int JVM_TRACE_LIMIT = jvmTraceLimit();

    private RepeatedFrames() {
    }

    /**
     * The frames with each run of repeats (of one frame or of a cycle of frames, the longest run found first) cut
     * to its first copies and a line that says how many more times it repeated.
     *
     * @param frames a stack trace, innermost first
     * @param traceLimit the most frames the JVM keeps in a trace, 0 for all: a run that fills a trace this long to
     *     its end was cut short, and its line says so
     * @return the frames, collapsed; as many as given where nothing repeats
     */
    static StackTraceElement[] collapse(StackTraceElement[] frames, int traceLimit) {
        List<StackTraceElement> shown = new ArrayList<>();
        int i = 0;
        while (i < frames.length) {
            int cycle = 0;
            int copies = 0;
            for (int length = 1; length <= LONGEST_CYCLE && i + 2 * length <= frames.length; length++) {
                int found = copies(frames, i, length);
                if (found > copiesShown(length) && found * length > copies * cycle) {
                    cycle = length;
                    copies = found;
                }
            }
            if (cycle == 0) {
                shown.add(frames[i++]);
                continue;
            }
            for (int copy = 0; copy < copiesShown(cycle); copy++) {
                shown.addAll(Arrays.asList(frames).subList(i, i + cycle));
            }
            int end = i + copies * cycle;
            boolean cut = traceLimit > 0 && frames.length > traceLimit - cycle
                    && end + sameAsCycle(frames, i, end, cycle) == frames.length;
            shown.add(note(cycle, copies - copiesShown(cycle), cut ? traceLimit : 0));
            i = end;
        }
        return shown.toArray(StackTraceElement[]::new);
    }

    /**
     * The line that stands for the hidden copies, a frame whose text reads
     * {@code ... (the 2 lines above repeated 510 more times)}.
     *
     * @param cycle the frames in one copy
     * @param hidden the copies not shown
     * @param cutAt the trace's length where the JVM cut it within the run, else 0
     * @return the frame
     */
    static StackTraceElement note(int cycle, int hidden, int cutAt) {
        String what = cycle == 1 ? "the line above" : "the " + cycle + " lines above";
        String times = hidden == 1 ? "1 more time" : hidden + " more times";
        String cut = cutAt > 0 ? " before the JVM cut the trace at " + cutAt + " lines" : "";
        // StackTraceElement's text is class + "." + method + "(" + file + ")": "... (" + the note + ")"
        return new StackTraceElement("", ".. ", what + " repeated " + times + cut, -1);
    }

    private static int copiesShown(int cycle) {
        return Math.max(1, (LINES_SHOWN + cycle - 1) / cycle);
    }

    /** How many copies of frames[start, start + cycle) follow one another from start, the first included. */
    private static int copies(StackTraceElement[] frames, int start, int cycle) {
        int copies = 1;
        while (start + (copies + 1) * cycle <= frames.length
                && sameAsCycle(frames, start, start + copies * cycle, cycle) == cycle) {
            copies++;
        }
        return copies;
    }

    /** How many frames from {@code from} on (at most one cycle's) are the cycle's that starts at {@code start}. */
    private static int sameAsCycle(StackTraceElement[] frames, int start, int from, int cycle) {
        int same = 0;
        while (same < cycle && from + same < frames.length && frames[from + same].equals(frames[start + same])) {
            same++;
        }
        return same;
    }

    private static int jvmTraceLimit() {
        try {
            return Integer.parseInt(ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                    .getVMOption("MaxJavaStackTraceDepth").getValue());
        } catch (RuntimeException | LinkageError e) { // not HotSpot: say nothing of a cut
            return 0;
        }
    }
}
