package io.javadl.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutOfMemoryNoticeTest {

    @TempDir
    Path root;

    private MemoryCgroup group;
    private Path told;
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final PrintStream cell = new PrintStream(printed, true, StandardCharsets.UTF_8);

    @BeforeEach
    void aContainerWith2GiB() throws IOException {
        Path folder = Files.createDirectories(root.resolve("group"));
        Files.writeString(folder.resolve("memory.max"), Long.toString(2L << 30));
        group = new MemoryCgroup(folder, 2);
        told = root.resolve("told");
        kills(0);
    }

    @Test
    void theKernelAfterAKillTellsItInItsFirstCellOnly() throws IOException {
        OutOfMemoryNotice killed = OutOfMemoryNotice.start(group, told);
        kills(1); // the kernel is ended, and Jupyter starts the next one

        OutOfMemoryNotice next = OutOfMemoryNotice.start(group, told);

        assertTrue(next.printIfKilled(cell));
        String text = printed.toString(StandardCharsets.UTF_8);
        assertTrue(text.startsWith("Out of memory: this server needed more than its 2.0 GiB of memory"), text);
        assertFalse(next.printIfKilled(cell), "the second cell told it again");
        assertFalse(OutOfMemoryNotice.start(group, told).printIfKilled(cell), "a restart told it again");
        assertNotNull(killed);
    }

    @Test
    void anotherNotebooksKernelTellsItWhenItsCellRunsFirst() throws IOException {
        OutOfMemoryNotice other = OutOfMemoryNotice.start(group, told);
        OutOfMemoryNotice.start(group, told); // the kernel that will be ended
        kills(1);
        OutOfMemoryNotice next = OutOfMemoryNotice.start(group, told);

        assertTrue(other.printIfKilled(cell));
        assertFalse(next.printIfKilled(cell), "told by two kernels");
    }

    @Test
    void aRestartWithoutAKillTellsNothing() throws IOException {
        OutOfMemoryNotice.start(group, told);
        assertFalse(OutOfMemoryNotice.start(group, told).printIfKilled(cell));
        assertEquals("", printed.toString(StandardCharsets.UTF_8));
    }

    @Test
    void killsBeforeTheFirstKernelAreNotThisServers() throws IOException {
        kills(4);
        assertFalse(OutOfMemoryNotice.start(group, told).printIfKilled(cell));
    }

    @Test
    void aNewGroupAtTheSamePlaceCountsFromItsOwnStart() throws IOException {
        OutOfMemoryNotice.start(group, told);
        kills(2);
        OutOfMemoryNotice.start(group, told).printIfKilled(cell);
        kills(0); // a container started again: a new group, the same temporary folder

        OutOfMemoryNotice restarted = OutOfMemoryNotice.start(group, told);
        kills(1);

        printed.reset();
        assertTrue(restarted.printIfKilled(cell), "a kill in the new group was not told");
    }

    @Test
    void aGarbledToldFileIsMadeAnew() throws IOException {
        Files.writeString(told, "not a record");
        kills(1);
        OutOfMemoryNotice notice = OutOfMemoryNotice.start(group, told);
        assertFalse(notice.printIfKilled(cell));
        kills(2);
        assertTrue(notice.printIfKilled(cell));
    }

    @Test
    void withoutALimitTheNoticeSpeaksOfTheMachine() {
        assertTrue(OutOfMemoryNotice.text(OptionalLong.empty())
                .startsWith("Out of memory: this machine ran out of memory, and Linux stopped one of this server's"));
    }

    private void kills(long count) throws IOException {
        Files.writeString(group.folder().resolve("memory.events"), "oom 0\noom_kill " + count + "\noom_group_kill 0\n");
    }
}
