package io.javadl.data;

import ai.djl.util.Progress;
import ai.djl.util.TarUtils;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Installs a folder from a {@code .tar.gz} archive on the web, so that a failure at any point leaves the
 * destination as it was:
 *
 * <ol>
 *   <li>downloads the archive into a hidden work folder inside the destination's root (same file system),
 *       reporting progress;
 *   <li>checks its length against the server's and its MD5 against the expected one;
 *   <li>extracts it inside the work folder, refusing entries with {@code ..} or absolute paths;
 *   <li>moves the wanted folder into place: the whole folder in one atomic rename when it does not exist
 *       yet, otherwise each file it lacks, one atomic rename each;
 *   <li>deletes the work folder, whatever happened.
 * </ol>
 */
final class ArchiveInstaller {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
    static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

    private final URI url;
    private final String md5;
    private final Duration readTimeout;

    /**
     * @param url where the archive is ({@code http} or {@code https})
     * @param md5 the archive's MD5, in hex
     * @param readTimeout how long the server may stay silent during the download before it counts as cut off
     */
    ArchiveInstaller(URI url, String md5, Duration readTimeout) {
        this.url = url;
        this.md5 = md5.toLowerCase(Locale.ROOT);
        this.readTimeout = readTimeout;
    }

    /**
     * Downloads, verifies and extracts the archive, then moves its folder {@code folderName} to
     * {@code root/folderName}.
     *
     * @param root the folder that receives {@code folderName}; created if missing
     * @param folderName the folder of the archive that is wanted
     * @param progress told about the download's bytes
     * @throws DatasetException for every failure, with what happened; the destination is left as it was
     */
    void install(Path root, String folderName, Progress progress) {
        boolean rootIsNew = !Files.exists(root);
        Path work;
        try {
            Files.createDirectories(root);
            work = Files.createTempDirectory(root, ".download-");
        } catch (IOException e) {
            throw new DatasetException("Cannot write to " + root + " to download " + url + " (" + describe(e)
                    + "). Point JAVADL_DATA at a folder you can write to, or download the archive yourself.", e);
        }
        Path target = root.resolve(folderName);
        boolean installed = false;
        try {
            Path archive = work.resolve(fileName());
            download(archive, target, progress);
            Path extracted = Files.createDirectory(work.resolve("extracted"));
            extract(archive, extracted);
            Path folder = extracted.resolve(folderName);
            if (!Files.isDirectory(folder)) {
                throw new DatasetException(url + " has no folder " + folderName + "/; it is not the expected archive.");
            }
            moveIntoPlace(folder, target);
            installed = true;
        } catch (IOException e) {
            throw new DatasetException("Installing " + url + " into " + root + " failed: " + describe(e)
                    + ". Nothing was changed there.", e);
        } finally {
            deleteRecursively(work);
            if (rootIsNew && !installed) {
                deleteIfEmpty(root);
            }
        }
    }

    private String fileName() {
        String path = url.getPath();
        String name = path == null ? "" : path.substring(path.lastIndexOf('/') + 1);
        return name.isEmpty() ? "archive.tar.gz" : name;
    }

    private void download(Path archive, Path target, Progress progress) throws IOException {
        HttpURLConnection connection = connect(target);
        long expectedLength = connection.getContentLengthLong();
        MessageDigest digest = md5Digest();
        long received = 0;
        progress.reset("Downloading", Math.max(expectedLength, 1), fileName());
        try (InputStream in = connection.getInputStream(); OutputStream out = Files.newOutputStream(archive)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = read(in, buffer, received, expectedLength)) != -1; ) {
                try {
                    out.write(buffer, 0, n);
                } catch (IOException e) {
                    throw new DatasetException(String.format(Locale.ROOT,
                            "Writing the download of %s to %s failed after %,d bytes (%s). Make room there (the "
                                    + "archive needs %s bytes, its contents as much again) or point JAVADL_DATA "
                                    + "elsewhere; nothing was kept.", url, archive.getParent().getParent(), received,
                                    describe(e),
                            expectedLength < 0 ? "?" : String.format(Locale.ROOT, "%,d", expectedLength)), e);
                }
                digest.update(buffer, 0, n);
                received += n;
                progress.increment(n);
            }
        } finally {
            connection.disconnect();
        }
        if (expectedLength >= 0 && received != expectedLength) {
            throw new DatasetException(String.format(Locale.ROOT,
                    "Downloading %s broke off after %,d of %,d bytes. Nothing was kept; try again.",
                    url, received, expectedLength));
        }
        progress.end();
        String actual = HexFormat.of().formatHex(digest.digest());
        if (!actual.equals(md5)) {
            throw new DatasetException("The download of " + url + " is corrupt: its MD5 is " + actual
                    + ", not " + md5 + ". Nothing was kept; try again, or download the archive yourself.");
        }
    }

    /** Reads from the connection; a failure is a download that broke off. */
    private int read(InputStream in, byte[] buffer, long received, long expectedLength) {
        try {
            return in.read(buffer);
        } catch (IOException e) {
            throw new DatasetException(String.format(Locale.ROOT,
                    "Downloading %s broke off after %,d of %s bytes (%s). Nothing was kept; try again.",
                    url, received, expectedLength < 0 ? "?" : String.format(Locale.ROOT, "%,d", expectedLength),
                    describe(e)), e);
        }
    }

    /** Opens the connection and checks the answer; a server silent for longer than the read timeout fails. */
    private HttpURLConnection connect(Path target) {
        try {
            HttpURLConnection connection = (HttpURLConnection) url.toURL().openConnection();
            connection.setConnectTimeout(Math.toIntExact(CONNECT_TIMEOUT.toMillis()));
            connection.setReadTimeout(Math.toIntExact(readTimeout.toMillis()));
            connection.setInstanceFollowRedirects(true);
            int status = connection.getResponseCode();
            if (status != HttpURLConnection.HTTP_OK) {
                connection.disconnect();
                throw new DatasetException("Downloading " + url + " failed: the server answered HTTP " + status
                        + ". " + offlineAdvice(target));
            }
            return connection;
        } catch (ConnectException | UnknownHostException | SocketTimeoutException e) {
            throw new DatasetException("Cannot reach " + url + " (" + describe(e) + "). " + offlineAdvice(target), e);
        } catch (IOException e) {
            throw new DatasetException("Downloading " + url + " failed: " + describe(e) + ". " + offlineAdvice(target),
                    e);
        }
    }

    private String offlineAdvice(Path target) {
        return "If this machine is offline, fetch " + fileName() + " on one that is online and unpack it so that "
                + target + " holds its files.";
    }

    private void extract(Path archive, Path into) throws IOException {
        try (InputStream in = Files.newInputStream(archive)) {
            TarUtils.untar(in, into, true);
        } catch (IOException e) {
            if (String.valueOf(e.getMessage()).contains("archive entry")) {
                throw new DatasetException(fileName() + " from " + url + " was refused: it holds an entry that "
                        + "would be written outside the folder it unpacks into (" + e.getMessage() + "). "
                        + "Nothing was extracted into place.", e);
            }
            if (isOutOfSpace(e)) { // into is <root>/.download-*/extracted
                throw new DatasetException("Unpacking " + fileName() + " into " + into.getParent().getParent()
                        + " failed (" + describe(e) + "). Make room there (the archive's contents need about as much "
                        + "space as the archive again) or point JAVADL_DATA elsewhere; nothing was kept.", e);
            }
            throw new DatasetException(fileName() + " from " + url + " is not a readable .tar.gz archive ("
                    + describe(e) + "). Nothing was kept.", e);
        }
    }

    private static void moveIntoPlace(Path folder, Path target) throws IOException {
        if (!Files.exists(target)) {
            Files.move(folder, target, StandardCopyOption.ATOMIC_MOVE);
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder)) {
            for (Path file : files) {
                Path destination = target.resolve(file.getFileName().toString());
                if (!Files.exists(destination)) {
                    Files.move(file, destination, StandardCopyOption.ATOMIC_MOVE);
                }
            }
        }
    }

    private static MessageDigest md5Digest() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this Java has no MD5", e);
        }
    }

    /** Whether a write failed because the disk (or the user's quota) is full: ENOSPC or EDQUOT. */
    private static boolean isOutOfSpace(IOException e) {
        String message = String.valueOf(e.getMessage());
        return message.contains("No space left on device") || message.contains("Disk quota exceeded");
    }

    private static String describe(IOException e) {
        if (e instanceof FileSystemException fs && fs.getReason() != null) {
            return fs.getReason() + ": " + fs.getFile();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static void deleteIfEmpty(Path folder) {
        try {
            Files.deleteIfExists(folder);
        } catch (IOException e) {
            // not empty after all: someone else put something there
        }
    }

    private static void deleteRecursively(Path folder) {
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // best effort: a leftover hidden work folder is harmless and named .download-*
        }
    }
}
