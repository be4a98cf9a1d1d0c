package io.javadl.data;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The images and labels read from one set of CIFAR-10 batch files, shared by every open {@link Cifar10} that
 * reads the same files with the same limit. A notebook cell that builds a dataset can then be re-run without
 * loading (and holding) a second copy: the new dataset uses the arrays the old one loaded. The arrays are freed
 * when the last dataset that uses them is closed.
 *
 * <p>Files count as the same when their real paths, sizes and modification times are; a file that changed is
 * read again.
 */
final class SharedImages {

    /** What identifies a load: the files as they are on disk, and how many images were taken from them. */
    record Key(List<String> files, long limit) {
        static Key of(List<Path> files, long limit) throws IOException {
            List<String> stamps = new ArrayList<>();
            for (Path file : files) {
                stamps.add(file.toRealPath() + ":" + Files.size(file) + ":"
                        + Files.getLastModifiedTime(file).toMillis());
            }
            return new Key(List.copyOf(stamps), limit);
        }
    }

    /** Reads the arrays into the manager it is given, which then owns them. */
    interface Loader {
        SharedImages load(NDManager owner) throws IOException;
    }

    private static final Map<Key, SharedImages> OPEN = new HashMap<>();

    private final NDManager owner;
    private final NDArray images;
    private final NDArray labels;
    private final List<String> classes;
    private Key key;
    private int users;

    SharedImages(NDManager owner, NDArray images, NDArray labels, List<String> classes) {
        this.owner = owner;
        this.images = images;
        this.labels = labels;
        this.classes = classes;
    }

    /**
     * Returns the arrays of {@code key}, loading them if no open dataset holds them; each call must be matched by
     * one {@link #release()}.
     */
    static SharedImages acquire(Key key, String name, Loader loader) throws IOException {
        synchronized (OPEN) {
            SharedImages shared = OPEN.get(key);
            if (shared == null) {
                NDManager owner = NDManager.newBaseManager(Device.cpu());
                owner.setName(name);
                try {
                    shared = loader.load(owner);
                } catch (IOException | RuntimeException e) {
                    owner.close();
                    throw e;
                }
                shared.key = key;
                OPEN.put(key, shared);
            }
            shared.users++;
            return shared;
        }
    }

    /** Gives the arrays back; the last user frees them. */
    void release() {
        synchronized (OPEN) {
            if (--users == 0) {
                OPEN.remove(key);
                owner.close();
            }
        }
    }

    /** How many sets of files are held now (for tests). */
    static int heldCount() {
        synchronized (OPEN) {
            return OPEN.size();
        }
    }

    /** (N, 3, 32, 32) uint8. */
    NDArray images() {
        return images;
    }

    /** (N) int64. */
    NDArray labels() {
        return labels;
    }

    List<String> classes() {
        return classes;
    }
}
