package io.javadl.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.training.dataset.Dataset.Usage;
import ai.djl.util.Progress;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The download path of {@link Cifar10}, against archives the tests build and serve on 127.0.0.1. */
class Cifar10DownloadTest {

    @TempDir
    Path workspace;

    private HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.stop(0);
        }
    }

    /** Serves {@code body} at /cifar-10-binary.tar.gz, announcing {@code announcedLength} bytes. */
    private URI serve(byte[] body, long announcedLength, int status) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/cifar-10-binary.tar.gz", exchange -> {
            requests.incrementAndGet();
            exchange.sendResponseHeaders(status, announcedLength);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            } catch (IOException e) {
                // the client gave up on a body shorter than announced
            }
            exchange.close();
        });
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/cifar-10-binary.tar.gz");
    }

    private URI serve(byte[] body) throws IOException {
        return serve(body, body.length, 200);
    }

    private static String md5(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
    }

    private static byte[] officialLayout() {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("cifar-10-batches-bin/batches.meta.txt", CifarFixture.meta());
        entries.put("cifar-10-batches-bin/data_batch_1.bin", CifarFixture.batch(0, 30));
        entries.put("cifar-10-batches-bin/test_batch.bin", CifarFixture.batch(100, 20));
        return CifarFixture.tarGz(entries);
    }

    private Cifar10 testSet(Path root, URI url, String md5) {
        return Cifar10.builder().optRoot(root).optUsage(Usage.TEST).optDownload(true)
                .optDownloadUrl(url).optArchiveMd5(md5).build();
    }

    /** Everything under a folder, as relative paths, so that a test can see what a failure left. */
    private static List<String> contents(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return List.of();
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            return paths.filter(p -> !p.equals(folder)).map(p -> folder.relativize(p).toString()).sorted().toList();
        }
    }

    @Test
    void downloadsVerifiesExtractsAndLoads() throws Exception {
        byte[] archive = officialLayout();
        Path root = workspace.resolve("data");
        RecordingProgress progress = new RecordingProgress();

        try (Cifar10 testSet = testSet(root, serve(archive), md5(archive))) {
            testSet.prepare(progress);

            assertEquals(20, testSet.size());
            assertEquals(List.of("cifar-10-batches-bin", "cifar-10-batches-bin/batches.meta.txt",
                    "cifar-10-batches-bin/data_batch_1.bin", "cifar-10-batches-bin/test_batch.bin"), contents(root));
            assertArrayEquals(CifarFixture.batch(100, 20),
                    Files.readAllBytes(root.resolve("cifar-10-batches-bin/test_batch.bin")));
            assertEquals(archive.length, progress.total);
            assertEquals(archive.length, progress.max);
        }
    }

    @Test
    void aSecondDatasetFindsTheFilesAndDownloadsNothing() throws Exception {
        byte[] archive = officialLayout();
        Path root = workspace.resolve("data");
        URI url = serve(archive);
        try (Cifar10 first = testSet(root, url, md5(archive))) {
            first.prepare(new RecordingProgress());
        }
        try (Cifar10 second = testSet(root, url, md5(archive))) {
            assertEquals(20, second.size());
        }
        assertEquals(1, requests.get());
    }

    @Test
    void presentTrainingBatchesAreUsedWithoutDownloading() throws Exception {
        Path root = workspace.resolve("data");
        CifarFixture.write(root, "data_batch_1.bin", 0, 5);
        URI url = serve(officialLayout());

        try (Cifar10 trainSet = Cifar10.builder().optRoot(root).optDownload(true).optDownloadUrl(url).build()) {
            assertEquals(5, trainSet.size());
        }
        assertEquals(0, requests.get());
    }

    @Test
    void aDownloadAddsOnlyTheFilesThatAreMissing() throws Exception {
        Path root = workspace.resolve("data");
        byte[] ours = CifarFixture.batch(500, 2);
        CifarFixture.writeBytes(root, "data_batch_1.bin", ours);
        byte[] archive = officialLayout();

        try (Cifar10 testSet = testSet(root, serve(archive), md5(archive))) {
            testSet.prepare(new RecordingProgress());
            assertEquals(20, testSet.size());
        }
        assertArrayEquals(ours, Files.readAllBytes(root.resolve("cifar-10-batches-bin/data_batch_1.bin")));
        assertTrue(Files.exists(root.resolve("cifar-10-batches-bin/test_batch.bin")));
    }

    @Test
    void aWrongChecksumKeepsNothing() throws Exception {
        byte[] archive = officialLayout();
        Path root = workspace.resolve("data");
        URI url = serve(archive);

        try (Cifar10 testSet = testSet(root, url, "0123456789abcdef0123456789abcdef")) {
            DatasetException e = assertThrows(DatasetException.class, () -> testSet.prepare(new RecordingProgress()));

            assertEquals("The download of " + url + " is corrupt: its MD5 is " + md5(archive) + ", not "
                    + "0123456789abcdef0123456789abcdef. Nothing was kept; try again, or download the archive "
                    + "yourself.",
                    e.getMessage());
        }
        assertFalse(Files.exists(root), "the failed download left " + contents(root));
    }

    /**
     * Answers one request on a raw socket: headers announcing {@code announcedLength} bytes, then {@code body},
     * then the connection is cut, or, with {@code hang}, kept open and silent.
     */
    private URI serveRaw(byte[] body, long announcedLength, boolean hang) throws IOException {
        ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Thread thread = new Thread(() -> {
            try (socket; java.net.Socket client = socket.accept()) {
                client.getInputStream().read(new byte[8192]);
                OutputStream out = client.getOutputStream();
                out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + announcedLength + "\r\n\r\n").getBytes());
                out.write(body);
                out.flush();
                if (hang) {
                    Thread.sleep(10_000);
                }
            } catch (IOException | InterruptedException e) {
                // the test is over
            }
        });
        thread.setDaemon(true);
        thread.start();
        return URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/cifar-10-binary.tar.gz");
    }

    @Test
    void aConnectionCutHalfwayKeepsNothing() throws Exception {
        byte[] archive = officialLayout();
        Path root = workspace.resolve("data");
        URI url = serveRaw(java.util.Arrays.copyOf(archive, archive.length / 2), archive.length, false);

        try (Cifar10 testSet = testSet(root, url, md5(archive))) {
            DatasetException e = assertThrows(DatasetException.class, () -> testSet.prepare(new RecordingProgress()));

            assertTrue(e.getMessage().startsWith(String.format(java.util.Locale.ROOT,
                    "Downloading %s broke off after %,d of %,d bytes", url, archive.length / 2, archive.length)),
                    e.getMessage());
            assertTrue(e.getMessage().endsWith("Nothing was kept; try again."), e.getMessage());
        }
        assertFalse(Files.exists(root), "the failed download left " + contents(root));
    }

    @Test
    void aServerThatFallsSilentCountsAsCutOff() throws Exception {
        byte[] archive = officialLayout();
        Path root = workspace.resolve("data");
        URI url = serveRaw(java.util.Arrays.copyOf(archive, 100), archive.length, true);
        ArchiveInstaller installer = new ArchiveInstaller(url, md5(archive), java.time.Duration.ofSeconds(1));

        DatasetException e = assertThrows(DatasetException.class,
                () -> installer.install(root, Cifar10.FOLDER, new RecordingProgress()));

        assertTrue(e.getMessage().startsWith(String.format(java.util.Locale.ROOT,
                "Downloading %s broke off after 100 of %,d bytes (Read timed out)", url, archive.length)),
                e.getMessage());
        assertFalse(Files.exists(root), "the failed download left " + contents(root));
    }

    @Test
    void entriesThatClimbOutOfTheFolderAreRefused() throws Exception {
        Path root = workspace.resolve("data");
        for (String evil : List.of("cifar-10-batches-bin/../../../../evil.txt", workspace.resolve("absolute-evil.txt")
                .toString())) {
            Map<String, byte[]> entries = new LinkedHashMap<>();
            entries.put("cifar-10-batches-bin/test_batch.bin", CifarFixture.batch(0, 2));
            entries.put(evil, "owned".getBytes());
            byte[] archive = CifarFixture.tarGz(entries);
            URI url = serve(archive);

            try (Cifar10 testSet = testSet(root, url, md5(archive))) {
                DatasetException e = assertThrows(DatasetException.class,
                        () -> testSet.prepare(new RecordingProgress()));

                assertTrue(e.getMessage().startsWith("cifar-10-binary.tar.gz from " + url + " was refused: it holds an "
                        + "entry that would be written outside the folder it unpacks into"), e.getMessage());
                assertTrue(e.getMessage().contains("evil.txt"), e.getMessage());
            }
            server.stop(0);
            assertFalse(Files.exists(root), evil + " left " + contents(root));
            assertEquals(List.of(), contents(workspace), evil); // and nothing landed beside it either
        }
    }

    @Test
    void anArchiveWithoutTheFolderIsRefused() throws Exception {
        byte[] archive = CifarFixture.tarGz(Map.of("other/test_batch.bin", CifarFixture.batch(0, 1)));
        Path root = workspace.resolve("data");
        URI url = serve(archive);

        try (Cifar10 testSet = testSet(root, url, md5(archive))) {
            DatasetException e = assertThrows(DatasetException.class, () -> testSet.prepare(new RecordingProgress()));
            assertEquals(url + " has no folder cifar-10-batches-bin/; it is not the expected archive.", e.getMessage());
        }
        assertFalse(Files.exists(root), "the failed download left " + contents(root));
    }

    @Test
    void anHttpErrorIsReported() throws Exception {
        Path root = workspace.resolve("data");
        URI url = serve("not here".getBytes(), 8, 404);

        try (Cifar10 testSet = testSet(root, url, "0".repeat(32))) {
            DatasetException e = assertThrows(DatasetException.class, () -> testSet.prepare(new RecordingProgress()));
            assertTrue(e.getMessage().startsWith("Downloading " + url + " failed: the server answered HTTP 404."),
                    e.getMessage());
        }
        assertFalse(Files.exists(root), "the failed download left " + contents(root));
    }

    @Test
    void anUnreachableServerSaysWhatToDoOffline() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        Path root = workspace.resolve("data");
        URI url = URI.create("http://127.0.0.1:" + closedPort + "/cifar-10-binary.tar.gz");

        try (Cifar10 testSet = testSet(root, url, "0".repeat(32))) {
            DatasetException e = assertThrows(DatasetException.class, () -> testSet.prepare(new RecordingProgress()));
            assertTrue(e.getMessage().startsWith("Cannot reach " + url), e.getMessage());
            assertTrue(e.getMessage()
                    .endsWith("If this machine is offline, fetch cifar-10-binary.tar.gz on one that is "
                    + "online and unpack it so that " + root.resolve("cifar-10-batches-bin") + " holds its files."),
                    e.getMessage());
        }
        assertFalse(Files.exists(root), "the failed download left " + contents(root));
    }

    /** Records what a download reports. */
    private static final class RecordingProgress implements Progress {
        long max;
        long total;

        @Override
        public void reset(String message, long max, String trailingMessage) {
            this.max = max;
        }

        @Override
        public void start(long initialProgress) {}

        @Override
        public void end() {}

        @Override
        public void increment(long increment) {
            total += increment;
        }

        @Override
        public void update(long progress, String message) {}
    }
}
