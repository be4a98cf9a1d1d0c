package io.javadl.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MemoryCgroupTest {

    @TempDir
    Path root;

    @Test
    void aV1ContainerSeesItsOwnGroupAtTheRootOfTheMemoryHierarchy() throws IOException {
        Path memory = Files.createDirectories(root.resolve("memory"));
        Files.writeString(memory.resolve("memory.oom_control"), "oom_kill_disable 0\nunder_oom 0\noom_kill 3\n");
        Files.writeString(memory.resolve("memory.limit_in_bytes"), "2147483648\n");

        MemoryCgroup group = MemoryCgroup.find(List.of("12:pids:/docker/abc", "4:memory:/docker/abc", "0::/"), root)
                .orElseThrow();

        assertEquals(new MemoryCgroup(memory, 1), group);
        assertEquals(3, group.outOfMemoryKills());
        assertEquals(OptionalLong.of(2L << 30), group.limitBytes());
    }

    @Test
    void aV2GroupIsTheFolderItsMembershipNames() throws IOException {
        Path folder = Files.createDirectories(root.resolve("user.slice/session-1.scope"));
        Files.writeString(folder.resolve("memory.events"), "low 0\nhigh 0\nmax 7\noom 2\noom_kill 1\n");
        Files.writeString(folder.resolve("memory.max"), "max\n");

        MemoryCgroup group = MemoryCgroup.find(List.of("0::/user.slice/session-1.scope"), root).orElseThrow();

        assertEquals(new MemoryCgroup(folder, 2), group);
        assertEquals(1, group.outOfMemoryKills());
        assertEquals(OptionalLong.empty(), group.limitBytes());
    }

    @Test
    void v1sLargestPageAlignedLongIsNoLimit() throws IOException {
        Path memory = Files.createDirectories(root.resolve("memory"));
        Files.writeString(memory.resolve("memory.oom_control"), "oom_kill_disable 0\n");
        Files.writeString(memory.resolve("memory.limit_in_bytes"), Long.toString(Long.MAX_VALUE & ~4095L));

        MemoryCgroup group = MemoryCgroup.find(List.of("4:memory:/"), root).orElseThrow();

        assertEquals(OptionalLong.empty(), group.limitBytes());
        assertEquals(0, group.outOfMemoryKills(), "a kernel before 4.13 counts no kills");
    }

    @Test
    void noMemoryControllerIsNoGroup() {
        assertTrue(MemoryCgroup.find(List.of("0::/", "3:cpu:/"), root).isEmpty());
    }
}
