package io.javadl.kernel;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Tells the learner, once, that a process of their server, most likely a kernel, was ended for want of memory.
 * Linux's out-of-memory killer ends the group's largest process without a word: for a kernel, the cell gets no reply,
 * and Jupyter starts a new kernel. The count of such kills
 * in the server's memory group ({@link MemoryCgroup}) says that it happened; a small file beside the group's other
 * kernels says which kills were already told. The first cell that runs after a kill, in the new kernel or in a kernel
 * of another notebook, prints the notice on its error stream; no later cell does, and a restart without a kill prints
 * nothing.
 */
final class OutOfMemoryNotice {

    private static final Logger LOG = Logger.getLogger(OutOfMemoryNotice.class.getName());

    private final MemoryCgroup group;
    private final Path toldFile;
    private long told;

    private OutOfMemoryNotice(MemoryCgroup group, Path toldFile, long told) {
        this.group = group;
        this.toldFile = toldFile;
        this.told = told;
    }

    /**
     * Starts watching the kernel's memory group, if it has one. The kills counted before the first kernel of the
     * group started are not told: they are the machine's, not this server's.
     *
     * @return the notice, or null where this process has no memory group or its files cannot be read (logged)
     */
    static OutOfMemoryNotice forThisProcess() {
        Path toldFile = Path.of(System.getProperty("java.io.tmpdir"),
                "javadl-oom-told-" + System.getProperty("user.name"));
        return MemoryCgroup.ofThisProcess().map(group -> start(group, toldFile)).orElse(null);
    }

    /**
     * Starts watching {@code group}, with {@code toldFile} shared by the kernels of that group.
     *
     * @param group the memory group of the kernel's process
     * @param toldFile holds the group's folder and the count of kills already told; made when missing, and made
     *     anew when it names another group or more kills than the group counts (a new group at the same place)
     * @return the notice, or null when the files cannot be read (logged)
     */
    static OutOfMemoryNotice start(MemoryCgroup group, Path toldFile) {
        try {
            long kills = group.outOfMemoryKills();
            long told = withToldFile(toldFile, (channel, record) -> {
                if (record == null || !record.group().equals(group.folder().toString()) || record.told() > kills) {
                    write(channel, group, kills);
                    return kills;
                }
                return record.told();
            });
            return new OutOfMemoryNotice(group, toldFile, told);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "The kernel cannot read its memory group's kills (" + group.folder() + "): a kernel "
                    + "ended for want of memory is not told in the next cell", e);
            return null;
        }
    }

    /**
     * Prints the notice when the group counts a kill that no kernel has told yet, and marks it told.
     *
     * @param out the running cell's error stream
     * @return whether it printed
     */
    boolean printIfKilled(PrintStream out) {
        try {
            long kills = group.outOfMemoryKills();
            if (kills <= told) {
                return false;
            }
            boolean tell = withToldFile(toldFile, (channel, record) -> {
                boolean untold = record == null || record.told() < kills;
                if (untold) {
                    write(channel, group, kills);
                }
                return untold;
            });
            told = kills;
            if (tell) {
                out.println(text(group.limitBytes()));
            }
            return tell;
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "Cannot read the memory group's kills", e);
            return false;
        }
    }

    /**
     * The notice, in plain words: what happened, the limit, and what to do.
     *
     * @param limitBytes the server's memory limit, when it has one
     * @return the text, several lines
     */
    static String text(OptionalLong limitBytes) {
        String what = limitBytes.isPresent()
                ? "this server needed more than its "
                        + String.format(Locale.ROOT, "%.1f GiB", limitBytes.getAsLong() / (double) (1L << 30))
                        + " of memory, and Linux stopped one of its processes"
                : "this machine ran out of memory, and Linux stopped one of this server's processes";
        return "Out of memory: " + what + " to free some, most likely a kernel.\n"
                + "Linux stops a process without a message. For a kernel, Jupyter starts a new one: everything that\n"
                + "kernel held (variables, arrays, models) is gone, so run its notebook's cells again from the top.\n"
                + "To need less memory: use smaller batches, load fewer images at once, and close NDArrays and\n"
                + "NDManagers you no longer need (try-with-resources, or a sub-manager per step).";
    }

    private static void write(FileChannel channel, MemoryCgroup group, long kills) throws IOException {
        channel.truncate(0);
        channel.write(ByteBuffer.wrap((group.folder() + "\n" + kills + "\n").getBytes(StandardCharsets.UTF_8)), 0);
    }

    private record Told(String group, long told) {
    }

    @FunctionalInterface
    private interface Update<T> {
        T apply(FileChannel channel, Told record) throws IOException;
    }

    /** Runs {@code update} with the told file locked against the group's other kernels; a garbled file is null. */
    private static <T> T withToldFile(Path file, Update<T> update) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE); var lock = channel.lock()) {
            ByteBuffer bytes = ByteBuffer.allocate((int) Math.min(channel.size(), 1 << 16));
            channel.read(bytes, 0);
            String[] lines = new String(bytes.array(), 0, bytes.position(), StandardCharsets.UTF_8).split("\n");
            Told record = null;
            if (lines.length == 2 && lines[1].matches("\\d{1,18}")) {
                record = new Told(lines[0], Long.parseLong(lines[1]));
            }
            return update.apply(channel, record);
        }
    }
}
