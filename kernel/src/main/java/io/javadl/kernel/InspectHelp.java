package io.javadl.kernel;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import jdk.jshell.JShell;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.SourceCodeAnalysis.Documentation;
import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.MessageType;
import org.dflib.jjava.jupyter.messages.reply.ErrorReply;
import org.dflib.jjava.jupyter.messages.reply.InspectReply;
import org.dflib.jjava.jupyter.messages.request.InspectRequest;

/**
 * Answers Jupyter's inspect requests (Shift+Tab in JupyterLab): the signatures of the method whose call the cursor is
 * in or names, also while the call is unfinished ({@code a.reshape(}, {@code a.reshape}), and their Javadoc where
 * the sources can be read.
 *
 * <p>JJava's own answer asks JShell one character past the cursor, so it found nothing at the end of an unfinished
 * call, and JShell reads Javadoc from the JDK's {@code src.zip} only. This handler asks at the cursor (or just inside
 * the parentheses when the cursor is on the method's name), and gives JShell the sources in the kernel's
 * {@code JAVADL_SOURCES} folder (the jars of DJL's API and the course library, and the JDK's {@code src.zip} where
 * the JDK has none of its own, which the installer puts there) besides the JDK's. Javadoc is laid out as the
 * {@code jshell} tool does it, with JShell's formatter where the kernel may use it (python/javadl/jdk.py exports its
 * package from the JDK module that holds it); it is shown as written otherwise.
 *
 * <p>JJava's extension API gives no way to its connection or to JShell's sources, hence the reflection: the
 * connection is found from JJava's channel loops, which start after extensions are installed, so {@link #settle}
 * is tried until it has found them. Where a JJava lays its connection out otherwise, the kernel logs why and
 * answers as JJava does; where a JDK keeps JShell's sources otherwise, it logs why and shows the JDK's Javadoc only.
 */
final class InspectHelp {

    /** The kernel's environment variable that names the folder of sources (jars, and a JDK's {@code src.zip}). */
    static final String SOURCES_ENV = "JAVADL_SOURCES";

    private static final Logger LOG = Logger.getLogger(InspectHelp.class.getName());
    private static final String FORMATTER_CLASS = "jdk.internal.shellsupport.doc.JavadocFormatter";
    private static final int LINE_LIMIT = 100;

    private final JShell shell;
    private final JavadocLayout layout = JavadocLayout.find();
    private boolean settled;

    InspectHelp(JShell shell) {
        this.shell = shell;
    }

    /**
     * Gives JShell the sources and takes over JJava's inspect requests once JJava's loops run; called from one
     * thread, again until it returns true.
     *
     * @return whether this is done, or cannot be (then the kernel has logged why)
     */
    boolean settle() {
        if (settled) {
            return true;
        }
        if (!JJavaInternals.changeConnection(connection -> connection.setHandler(MessageType.INSPECT_REQUEST,
                this::answer), LOG, "Shift+Tab answers as JJava does")) {
            return false;
        }
        try {
            addSources(shell.sourceCodeAnalysis(), sourceLocations(System.getenv(SOURCES_ENV)));
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warning(() -> "This JDK's JShell keeps its sources otherwise: Shift+Tab shows Javadoc of the JDK only ("
                    + e + ")");
        }
        settled = true;
        return true;
    }

    private void answer(ShellReplyEnvironment env, Message<InspectRequest> message) {
        InspectRequest request = message.getContent();
        env.setBusyDeferIdle();
        try {
            DisplayData help = help(request.getCode(), request.getCursorPos());
            env.reply(new InspectReply(help != null, DisplayData.emptyIfNull(help)));
        } catch (RuntimeException e) {
            env.replyError(InspectReply.MESSAGE_TYPE.error(), ErrorReply.of(e));
        }
    }

    /**
     * What Shift+Tab shows at {@code cursor} in {@code code}: each signature, with its Javadoc where JShell has it.
     *
     * @return the text, or null when JShell knows nothing there
     */
    DisplayData help(String code, int cursor) {
        SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
        List<Documentation> found = analysis.documentation(code, callCursor(code, cursor), true);
        int nameEnd = nameEnd(code, cursor);
        if (found.isEmpty() && nameEnd > 0 && Character.isJavaIdentifierPart(code.charAt(nameEnd - 1))) {
            found = analysis.documentation(code.substring(0, nameEnd) + "(", nameEnd + 1, true); // a.reshape|
        }
        if (found.isEmpty()) {
            return null;
        }
        return new DisplayData(found.stream().map(layout::text).collect(Collectors.joining("\n\n")));
    }

    /**
     * Where to ask JShell: just inside the parentheses when the cursor is on or right after the name of a called
     * method ({@code a.resh|ape(}), else at the cursor (inside an unfinished call's parentheses, JShell finds the
     * call).
     */
    static int callCursor(String code, int cursor) {
        int at = Math.max(0, Math.min(cursor, code.length()));
        int nameEnd = nameEnd(code, at);
        int next = nameEnd;
        while (next < code.length() && Character.isWhitespace(code.charAt(next))) {
            next++;
        }
        boolean onName = nameEnd > at || (at > 0 && Character.isJavaIdentifierPart(code.charAt(at - 1)));
        return onName && next < code.length() && code.charAt(next) == '(' ? next + 1 : at;
    }

    /** Where the name the cursor is in or after ends; the cursor itself when it is on none. */
    private static int nameEnd(String code, int cursor) {
        int end = Math.max(0, Math.min(cursor, code.length()));
        while (end < code.length() && Character.isJavaIdentifierPart(code.charAt(end))) {
            end++;
        }
        return end;
    }

    /**
     * Where JShell should read Javadoc from in {@code folder}, sorted: each sources jar ({@code .jar}), and each
     * {@code .zip} of a JDK's sources (the installer fetches Debian's {@code src.zip} for a JDK that lacks its own):
     * JShell reads the JDK's modular layout ({@code java.base/java/lang/Math.java}) one module folder at a time, so
     * such a zip gives its module folders, each a folder of the zip's file system, which stays open for the
     * kernel's life. None when the folder is unset or missing.
     */
    static List<Path> sourceLocations(String folder) {
        if (folder == null || !Files.isDirectory(Path.of(folder))) {
            return List.of();
        }
        List<Path> files;
        try (Stream<Path> listed = Files.list(Path.of(folder))) {
            files = listed.sorted().toList();
        } catch (IOException e) {
            LOG.warning(() -> "Cannot list " + folder + ": Shift+Tab shows the JDK's Javadoc only (" + e + ")");
            return List.of();
        }
        List<Path> locations = new ArrayList<>();
        for (Path file : files) {
            String name = file.getFileName().toString();
            if (name.endsWith(".jar")) {
                locations.add(file);
            } else if (name.endsWith(".zip")) {
                try {
                    locations.addAll(moduleFolders(file));
                } catch (IOException | RuntimeException e) {
                    LOG.warning(() -> "Cannot read " + file + ": Shift+Tab shows no Javadoc from it (" + e + ")");
                }
            }
        }
        return locations;
    }

    /** The module folders of a zip of a JDK's sources, or the zip itself where its packages are at the top. */
    private static List<Path> moduleFolders(Path zip) throws IOException {
        Path root = FileSystems.newFileSystem(zip).getRootDirectories().iterator().next();
        if (!Files.exists(root.resolve("java.base/java/lang/Object.java"))) {
            root.getFileSystem().close();
            return List.of(zip);
        }
        try (Stream<Path> modules = Files.list(root)) {
            return modules.filter(Files::isDirectory).sorted().toList();
        }
    }

    /**
     * Adds {@code locations} to the sources JShell reads Javadoc from: its own list (the JDK's {@code src.zip}, where
     * the JDK has one) is private, and computed once.
     */
    @SuppressWarnings("unchecked")
    private static void addSources(SourceCodeAnalysis analysis, List<Path> locations)
            throws ReflectiveOperationException {
        Method find = analysis.getClass().getDeclaredMethod("findSources");
        find.setAccessible(true);
        List<Path> sources = new ArrayList<>((List<Path>) find.invoke(analysis));
        sources.addAll(locations);
        JJavaInternals.field(analysis.getClass(), "availableSources").set(analysis, List.copyOf(sources));
    }

    /** Lays out a signature and its Javadoc as text. */
    private record JavadocLayout(Object formatter, Method format) {

        static JavadocLayout find() {
            try {
                Class<?> type = Class.forName(FORMATTER_CLASS);
                Constructor<?> create = type.getConstructor(int.class, boolean.class);
                return new JavadocLayout(create.newInstance(LINE_LIMIT, false),
                        type.getMethod("formatJavadoc", String.class, String.class));
            } catch (ReflectiveOperationException | RuntimeException e) {
                LOG.fine(() -> "JShell's Javadoc formatter is out of reach; Javadoc is shown as written (" + e + ")");
                return new JavadocLayout(null, null);
            }
        }

        String text(Documentation doc) {
            if (doc.javadoc() == null) {
                return doc.signature();
            }
            if (formatter != null) {
                try {
                    return ((String) format.invoke(formatter, doc.signature(), doc.javadoc())).strip();
                } catch (ReflectiveOperationException | RuntimeException e) {
                    LOG.fine(() -> "JShell's Javadoc formatter failed on " + doc.signature() + " (" + e + ")");
                }
            }
            return doc.signature() + "\n" + doc.javadoc();
        }
    }
}
