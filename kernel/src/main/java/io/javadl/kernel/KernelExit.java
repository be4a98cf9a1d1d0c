package io.javadl.kernel;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntConsumer;
import java.util.logging.Logger;

/**
 * Ends the kernel's JVM as soon as JJava's main thread ends, which it does once a shutdown request has closed the
 * connection. Left to itself the JVM lives on for another minute: JJava runs cells on a pooled thread that is not a
 * daemon and idles for 60 s before it ends, so Jupyter waits for the process on every restart and shutdown (2.5 s in
 * jupyter_client, which then sends SIGTERM).
 */
final class KernelExit {

    private static final Logger LOG = Logger.getLogger(KernelExit.class.getName());

    private KernelExit() {
    }

    /**
     * Watches {@code main} from a daemon thread of its own and calls {@code exit} with 0 once it has ended, or with
     * 1 when it ended with an exception (which its handler still reports as before).
     *
     * @param main the thread whose end ends the kernel: JJava's main thread, which installs the extensions
     * @param exit what ends the JVM, {@link System#exit(int)} in the kernel
     */
    static void whenEnded(Thread main, IntConsumer exit) {
        AtomicBoolean failed = new AtomicBoolean();
        Thread.UncaughtExceptionHandler reporter = main.getUncaughtExceptionHandler();
        main.setUncaughtExceptionHandler((thread, error) -> {
            failed.set(true);
            reporter.uncaughtException(thread, error);
        });
        Thread watcher = new Thread(() -> {
            try {
                main.join();
            } catch (InterruptedException e) {
                return;
            }
            LOG.fine("JJava's main thread has ended: the kernel exits");
            exit.accept(failed.get() ? 1 : 0);
        }, "javadl-exit");
        watcher.setDaemon(true);
        watcher.start();
    }
}
