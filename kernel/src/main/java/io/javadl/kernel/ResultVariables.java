package io.javadl.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.VarSnippet;
import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.channels.ShellHandler;
import org.dflib.jjava.jupyter.messages.MessageType;
import org.dflib.jjava.jupyter.messages.request.ExecuteRequest;

/**
 * Drops the variables JShell declares for the values of a cell's expressions ({@code $1}, {@code $2}, ...) once the
 * cell is done. JShell keeps each of them for the rest of the session and compiles every later snippet with an
 * import of each, reading its class anew: each cell took about a millisecond longer for every 30 expression cells
 * run before it, and {@code 1 + 1} took 51 ms after 1,000 of them, where it takes 15 ms with this (the kernel on
 * JDK 17). JJava shows a cell's value itself and never names these variables, so nothing a notebook shows goes with
 * them; the variables a cell declares are kept.
 *
 * <p>JShell may only be changed from the thread that evaluates cells, and not while it evaluates, so the variables
 * are dropped after JJava's handler of each execute request returns, on the shell channel's thread. JJava's
 * extension API gives no way to that handler, hence the reflection ({@link JJavaInternals#changeConnection}): where a
 * JJava lays its connection out otherwise, the kernel logs why and keeps the variables, as JJava does.
 */
final class ResultVariables {

    private static final Logger LOG = Logger.getLogger(ResultVariables.class.getName());

    private final JShell shell;
    /** Declared by the running cell; filled by JShell's listener and emptied after the cell, both on its thread. */
    private final List<VarSnippet> declared = new ArrayList<>();
    private boolean settled;

    ResultVariables(JShell shell) {
        this.shell = shell;
    }

    /**
     * Notes a variable JShell has just declared for an expression's value.
     *
     * @param event an event JShell gives its listeners
     */
    synchronized void note(SnippetEvent event) {
        if (event.snippet() instanceof VarSnippet variable
                && variable.subKind() == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND
                && event.previousStatus() == Snippet.Status.NONEXISTENT && event.status().isActive()) {
            declared.add(variable);
        }
    }

    /** Drops the variables noted since the last call; on the thread that evaluates cells, while it does not. */
    void drop() {
        List<VarSnippet> spent;
        synchronized (this) {
            spent = List.copyOf(declared);
            declared.clear();
        }
        for (VarSnippet variable : spent) {
            shell.drop(variable);
        }
    }

    /**
     * Has JJava's execute requests drop the noted variables once JJava has answered them; called from one thread,
     * again until it returns true.
     *
     * @return whether this is done, or cannot be (then the kernel has logged why)
     */
    boolean settle() {
        if (!settled) {
            settled = JJavaInternals.changeConnection(this::dropAfterEachCell, LOG,
                    "JShell keeps each expression's value in a variable, and each cell compiles a little slower than "
                    + "the one before");
        }
        return settled;
    }

    private void dropAfterEachCell(JupyterConnection connection) {
        ShellHandler<ExecuteRequest> jjava = connection.getHandler(MessageType.EXECUTE_REQUEST);
        if (jjava == null) {
            throw new IllegalStateException("no handler of execute requests");
        }
        connection.setHandler(MessageType.EXECUTE_REQUEST, (env, message) -> {
            try {
                jjava.handle(env, message);
            } finally {
                drop();
            }
        });
    }
}
