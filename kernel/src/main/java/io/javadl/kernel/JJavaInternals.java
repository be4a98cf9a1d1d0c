package io.javadl.kernel;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.logging.Logger;
import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.channels.Loop;
import org.dflib.jjava.jupyter.channels.ShellChannel;
import org.dflib.jjava.kernel.JavaKernel;
import org.dflib.jjava.kernel.execution.CodeEvaluator;

/**
 * The parts of JJava's kernel that its extension API does not hand out, reached by reflection. Each caller says what
 * the kernel does without its hook where a JJava lays these parts out otherwise. The classes are those of the JJava
 * jar the kernel runs on, which the build compiles against, and JJavaInternalsTest checks that each private member
 * named here is in them: a JJava upgrade that moves one fails the build.
 */
final class JJavaInternals {

    /** JJava's shell channels name their loop threads Shell-0 (shell) and Shell-1 (control). */
    private static final String SHELL_LOOP_PREFIX = "Shell-";
    private static final int SHELL_LOOPS = 2;

    private JJavaInternals() {
    }

    /**
     * The execution control of a JJava kernel's code evaluator (a {@code JJavaExecutionControl}): it runs each
     * snippet on the cell thread and keeps the snippets' results.
     *
     * @param kernel the running JJava kernel (a {@code JavaKernel}, which hands out its evaluator)
     * @return the execution control
     * @throws ReflectiveOperationException where this JJava has no such evaluator or field
     */
    static Object executionControl(Object kernel) throws ReflectiveOperationException {
        return field(CodeEvaluator.class, "execControl").get(evaluator(kernel));
    }

    /** The code evaluator of a JJava kernel. */
    static CodeEvaluator evaluator(Object kernel) {
        return ((JavaKernel) kernel).getEvaluator();
    }

    /**
     * JJava's shell and control channel loops (threads of its {@code Loop} class named {@code Shell-0} and
     * {@code Shell-1}); none before both have started, which is after the extensions are installed.
     *
     * @return the two loops, or none
     * @throws ReflectiveOperationException where this JJava lays its loops out otherwise
     */
    static List<ShellLoop> shellLoops() throws ReflectiveOperationException {
        List<ShellLoop> loops = new ArrayList<>();
        for (Thread thread : allThreads()) {
            if (thread.getClass() == Loop.class && thread.getName().startsWith(SHELL_LOOP_PREFIX)) {
                Field body = field(Loop.class, "loopBody");
                LongSupplier turn = (LongSupplier) body.get(thread);
                loops.add(new ShellLoop(thread, body, turn, channelTurn(turn)));
            }
        }
        return loops.size() == SHELL_LOOPS ? loops : List.of();
    }

    /** A change to JJava's connection to the Jupyter client, which holds the handler of each kind of request. */
    @FunctionalInterface
    interface ConnectionChange {
        void apply(JupyterConnection connection) throws ReflectiveOperationException;
    }

    /**
     * Changes JJava's connection once its channel loops run; the connection is found through the channel the shell
     * loop serves.
     *
     * @param change what to do with the connection
     * @param log where to say why the change could not be made
     * @param otherwise what the kernel does then, for the warning ("Shift+Tab answers as JJava does")
     * @return false while the loops have not started; true once the change is made or cannot be (and was logged)
     */
    static boolean changeConnection(ConnectionChange change, Logger log, String otherwise) {
        try {
            List<ShellLoop> loops = shellLoops();
            if (loops.isEmpty()) {
                return false;
            }
            Object channel = loops.get(0).held(ShellChannel.class);
            change.apply((JupyterConnection) field(ShellChannel.class, "connection").get(channel));
        } catch (ReflectiveOperationException | RuntimeException e) {
            log.warning(() -> "This JJava lays out its connection otherwise: " + otherwise + " (" + e + ")");
        }
        return true;
    }

    /**
     * The turn of the channel (a lambda of JJava's {@code ShellChannel}) that a loop's turn runs: JJava's loop turn
     * holds it as a {@code Runnable}; a turn that wraps another (as {@link ShellPolling}'s does) holds that one.
     */
    private static Object channelTurn(LongSupplier turn) throws ReflectiveOperationException {
        for (Field held : turn.getClass().getDeclaredFields()) {
            if (held.getType() == Runnable.class) {
                return field(turn.getClass(), held.getName()).get(turn);
            }
        }
        for (Field held : turn.getClass().getDeclaredFields()) {
            if (held.getType() == LongSupplier.class) {
                return channelTurn((LongSupplier) field(turn.getClass(), held.getName()).get(turn));
            }
        }
        throw new NoSuchFieldException("a channel turn in " + turn.getClass().getName());
    }

    private static Thread[] allThreads() {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        Thread[] threads = new Thread[root.activeCount() + 16];
        return Arrays.copyOf(threads, root.enumerate(threads, true));
    }

    /**
     * One of JJava's channel loops.
     *
     * @param thread the loop's thread
     * @param body the thread's field that holds its turn
     * @param turn what the loop runs each time round, and returns how long to sleep after
     * @param channelTurn the channel's own turn inside it, which holds the channel and its ZeroMQ poller
     */
    record ShellLoop(Thread thread, Field body, LongSupplier turn, Object channelTurn) {

        /** What the channel's turn holds of {@code type}. */
        Object held(Class<?> type) throws ReflectiveOperationException {
            for (Field held : channelTurn.getClass().getDeclaredFields()) {
                if (held.getType() == type) {
                    return field(channelTurn.getClass(), held.getName()).get(channelTurn);
                }
            }
            throw new NoSuchFieldException("a " + type.getName() + " in " + channelTurn.getClass().getName());
        }
    }

    /** A declared field of {@code type}, made accessible. */
    static Field field(Class<?> type, String name) throws NoSuchFieldException {
        Field field = type.getDeclaredField(name);
        field.setAccessible(true);
        return field;
    }
}
