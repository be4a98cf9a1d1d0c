package io.javadl.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StopCheckInserterTest {

    private static final String LOOPS = Loops.class.getName();

    /** How long a stopped loop may take to end: a check comes every iteration, so this is generous. */
    private static final long STOPS_WITHIN_MS = 1_000;

    private final AtomicBoolean finallyRan = new AtomicBoolean();
    private final AtomicReference<Throwable> thrown = new AtomicReference<>();
    private Class<?> loops;

    @AfterEach
    void releaseLoops() throws Exception {
        if (loops != null) {
            loops.getField("release").setBoolean(null, true);
        }
    }

    @Test
    void anInterruptedCellThreadLeavesAnEndlessLoopAndRunsItsFinallyBlock() throws Exception {
        loops = load(true);
        Thread cell = start(CellStop.CELL_THREAD_PREFIX + "test-1", "spin");

        cell.interrupt();
        cell.join(STOPS_WITHIN_MS);

        assertFalse(cell.isAlive(), "the interrupted loop ended");
        assertTrue(finallyRan.get(), "its finally block ran");
        assertInstanceOf(CellStoppedError.class, thrown.get());
    }

    @Test
    void catchingThrowableInsideTheLoopDoesNotKeepItGoing() throws Exception {
        loops = load(true);
        Thread cell = start(CellStop.CELL_THREAD_PREFIX + "test-2", "swallowEverything");

        cell.interrupt();
        cell.join(STOPS_WITHIN_MS);

        assertFalse(cell.isAlive(), "the check at the back edge, outside the try, ended it");
        assertInstanceOf(CellStoppedError.class, thrown.get());
    }

    @Test
    void withoutTheChecksTheSameLoopRunsOn() throws Exception {
        loops = load(false);
        Thread cell = start(CellStop.CELL_THREAD_PREFIX + "test-3", "spin");

        cell.interrupt();
        cell.join(STOPS_WITHIN_MS);

        assertTrue(cell.isAlive(), "an interrupt alone does not stop a loop that ignores it");
        loops.getField("release").setBoolean(null, true);
        cell.join(5_000);
        assertTrue(finallyRan.get());
        assertNull(thrown.get(), "released, it ended normally");
    }

    @Test
    void threadsThatAreNotCellsAreLeftToUseInterruptsTheirOwnWay() throws Exception {
        loops = load(true);
        Thread worker = start("a-cells-own-worker", "spin");

        worker.interrupt();
        worker.join(STOPS_WITHIN_MS);

        assertTrue(worker.isAlive(), "a thread the cell started itself is not stopped by the check");
        loops.getField("release").setBoolean(null, true);
        worker.join(5_000);
        assertNull(thrown.get());
    }

    @Test
    void theTransformerChangesJShellsClassesOnly() throws IOException {
        CellClassTransformer transformer = new CellClassTransformer();
        byte[] original = classFile(LOOPS);

        assertNull(transformer.transform(null, "io/javadl/agent/Loops", null, null, original), "not a cell");
        assertNull(transformer.transform(null, null, null, null, original), "a hidden class has no name");
        byte[] changed = transformer.transform(null, "REPL/$JShell$12", null, null, original);
        assertNotNull(changed, "a snippet class");
        assertTrue(new String(changed, StandardCharsets.ISO_8859_1).contains("io/javadl/agent/CellStop"),
                "it calls the check");
    }

    @Test
    void classFilesOfJava25AreRead() throws IOException {
        byte[] java25 = classFile(LOOPS);
        java25[6] = 0;
        java25[7] = 69; // the class-file version of Java 25: what JShell compiles on that JDK

        byte[] changed = StopCheckInserter.instrument(java25);

        assertArrayEquals(new byte[] {0, 69}, new byte[] {changed[6], changed[7]}, "the version is kept");
        assertTrue(changed.length > java25.length);
    }

    @Test
    void aDamagedClassFileIsLeftAloneWithAWarning() {
        byte[] damaged = {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE, 0, 0, 0, 61, 0, 9};
        Logger log = Logger.getLogger(CellClassTransformer.class.getName());
        List<LogRecord> records = new ArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        log.addHandler(handler);
        log.setUseParentHandlers(false);
        try {
            assertNull(new CellClassTransformer().transform(null, "REPL/$JShell$13", null, null, damaged),
                    "the JVM then loads the class as compiled (and reports the damage itself)");
        } finally {
            log.removeHandler(handler);
            log.setUseParentHandlers(true);
        }

        assertEquals(1, records.size());
        assertEquals(Level.WARNING, records.get(0).getLevel());
        assertTrue(records.get(0).getMessage().startsWith("Could not add the interrupt checks to REPL/$JShell$13"),
                records.get(0).getMessage());
    }

    private Thread start(String name, String loop) throws Exception {
        Method method = loops.getMethod(loop, CountDownLatch.class, AtomicBoolean.class);
        CountDownLatch started = new CountDownLatch(1);
        Thread thread = new Thread(() -> {
            try {
                method.invoke(null, started, finallyRan);
            } catch (InvocationTargetException e) {
                thrown.set(e.getCause());
            } catch (ReflectiveOperationException e) {
                thrown.set(e);
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
        assertTrue(started.await(5, TimeUnit.SECONDS));
        Thread.sleep(100); // well inside the loop
        return thread;
    }

    /** Loads a fresh copy of {@link Loops}, with or without the checks; other classes come from the parent. */
    private static Class<?> load(boolean withChecks) throws Exception {
        byte[] bytes = classFile(LOOPS);
        byte[] defined = withChecks ? StopCheckInserter.instrument(bytes) : bytes;
        ClassLoader loader = new ClassLoader(StopCheckInserterTest.class.getClassLoader()) {
            @Override
            protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                if (!name.equals(LOOPS)) {
                    return super.loadClass(name, resolve);
                }
                synchronized (getClassLoadingLock(name)) {
                    Class<?> loaded = findLoadedClass(name);
                    return loaded != null ? loaded : defineClass(name, defined, 0, defined.length);
                }
            }
        };
        return loader.loadClass(LOOPS);
    }

    private static byte[] classFile(String className) throws IOException {
        String resource = "/" + className.replace('.', '/') + ".class";
        try (InputStream in = StopCheckInserterTest.class.getResourceAsStream(resource)) {
            return in.readAllBytes();
        }
    }
}
