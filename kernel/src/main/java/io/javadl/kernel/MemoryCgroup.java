package io.javadl.kernel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The memory control group (cgroup) the kernel's process runs in: the container's, under Docker or Kubernetes.
 * Linux counts there how many of the group's processes its out-of-memory killer has ended, and keeps the group's
 * memory limit. Both versions of cgroups are read: v2 ({@code memory.events}, {@code memory.max}) and v1
 * ({@code memory.oom_control}, {@code memory.limit_in_bytes}).
 *
 * @param folder the group's folder, whose files hold the count and the limit
 * @param version 1 or 2
 */
record MemoryCgroup(Path folder, int version) {

    /** v1 writes "no limit" as the largest page-aligned long; anything from 2^60 bytes (1 EiB) up is no limit. */
    private static final long V1_NO_LIMIT = 1L << 60;

    /**
     * The group of this process, from {@code /proc/self/cgroup} and the groups mounted under {@code /sys/fs/cgroup}.
     *
     * @return the group, or empty where Linux keeps none (another OS, or no memory controller)
     */
    static Optional<MemoryCgroup> ofThisProcess() {
        Path membership = Path.of("/proc/self/cgroup");
        if (!Files.isReadable(membership)) {
            return Optional.empty();
        }
        try {
            return find(Files.readAllLines(membership), Path.of("/sys/fs/cgroup"));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * The memory group named by the lines of a {@code /proc/<pid>/cgroup}, looked for under {@code root}.
     *
     * <p>A container usually sees its own group mounted as the root of the hierarchy ({@code /sys/fs/cgroup} in
     * v2, {@code /sys/fs/cgroup/memory} in v1) while its membership still names the path on the host, so the group
     * is the named folder where that exists, and the mounted root otherwise.
     *
     * @param membership lines such as {@code 0::/user.slice} (v2) or {@code 4:memory:/docker/abc} (v1)
     * @param root where the hierarchies are mounted, {@code /sys/fs/cgroup}
     * @return the group whose counter file exists, v1's memory controller first (where both are mounted, v1's holds
     *     the memory); empty when there is none
     */
    static Optional<MemoryCgroup> find(List<String> membership, Path root) {
        for (String line : membership) {
            String[] fields = line.split(":", 3);
            if (fields.length == 3 && List.of(fields[1].split(",")).contains("memory")) {
                Optional<MemoryCgroup> v1 = firstWith(root.resolve("memory"), fields[2], 1);
                if (v1.isPresent()) {
                    return v1;
                }
            }
        }
        for (String line : membership) {
            String[] fields = line.split(":", 3);
            if (fields.length == 3 && fields[0].equals("0") && fields[1].isEmpty()) {
                return firstWith(root, fields[2], 2);
            }
        }
        return Optional.empty();
    }

    private static Optional<MemoryCgroup> firstWith(Path hierarchy, String path, int version) {
        for (Path folder : List.of(hierarchy.resolve(path.replaceFirst("^/+", "")), hierarchy)) {
            MemoryCgroup group = new MemoryCgroup(folder, version);
            if (Files.isReadable(group.countFile())) {
                return Optional.of(group);
            }
        }
        return Optional.empty();
    }

    /**
     * How many processes of the group the out-of-memory killer has ended since the group was made: the
     * {@code oom_kill} line of its counter file.
     *
     * @return the count; 0 where the file has no such line (Linux before 4.13)
     */
    long outOfMemoryKills() {
        try {
            for (String line : Files.readAllLines(countFile())) {
                if (line.startsWith("oom_kill ")) {
                    return Long.parseLong(line.substring("oom_kill ".length()).trim());
                }
            }
            return 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The group's memory limit.
     *
     * @return the limit in bytes, or empty where the group has none
     */
    OptionalLong limitBytes() {
        Path file = folder.resolve(version == 2 ? "memory.max" : "memory.limit_in_bytes");
        try {
            String value = Files.readString(file).trim();
            if (value.equals("max")) {
                return OptionalLong.empty();
            }
            long bytes = Long.parseLong(value);
            return bytes >= V1_NO_LIMIT ? OptionalLong.empty() : OptionalLong.of(bytes);
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    private Path countFile() {
        return folder.resolve(version == 2 ? "memory.events" : "memory.oom_control");
    }
}
