package io.javadl.kernel.export;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A JJava magic of a cell: a line {@code %name args} or a first line {@code %%name args}. Magics are not Java, so
 * an export keeps each as a comment that says what became of it: {@code %maven} artifacts become dependencies of
 * the Maven project and of the JShell script's class path, {@code %mavenRepo} repositories likewise, and
 * {@code %%time} keeps its cell's code, untimed. The others have no counterpart and leave only the comment.
 *
 * @param line the magic's line as the cell has it, without its line break
 * @param name the magic's name, without the {@code %} or {@code %%}
 * @param args its words after the name
 * @param cellMagic whether it is a cell magic ({@code %%})
 */
record Magic(String line, String name, List<String> args, boolean cellMagic) {

    /**
     * A magic at the start of a line, {@code %} or {@code %%} and a word, as JJava finds them (its
     * {@code JavaKernelBuilder}); JJava also takes a line magic after {@code =}, as a value, which an export reports
     * as code JShell cannot read.
     */
    private static final Pattern LINE_MAGIC = Pattern.compile("^\\s*%(%?\\w.*?)\\s*$");

    /** Where an artifact's coordinates come from: {@code group:artifact[:extension[:classifier]]:version}. */
    private static final Pattern COORDINATES = Pattern.compile("[^:\\s]+(:[^:\\s]+){2,4}");

    /** The magic a line holds, or null if it holds none. */
    static Magic parse(String line, boolean firstLine) {
        Matcher magic = LINE_MAGIC.matcher(line);
        if (!magic.matches()) {
            return null;
        }
        boolean cellMagic = magic.group(1).startsWith("%");
        if (cellMagic && !firstLine) {
            return null;
        }
        String[] words = magic.group(1).replaceFirst("^%", "").split("\\s+");
        return new Magic(line.strip(), words[0], List.of(Arrays.copyOfRange(words, 1, words.length)), cellMagic);
    }

    /** The artifacts of a {@code %maven} line, as Maven coordinates. */
    List<String> dependencies() {
        return name.equals("maven") || name.equals("addMavenDependency")
                ? args.stream().filter(a -> COORDINATES.matcher(a).matches()).toList()
                : List.of();
    }

    /** The repository of a {@code %mavenRepo id url} line, as {id, url}, or an empty list. */
    List<String> repository() {
        return name.equals("mavenRepo") && args.size() == 2 ? args : List.of();
    }

    /** Whether the cell's code still runs after this cell magic: {@code %%time} only times it. */
    boolean keepsCellCode() {
        return !cellMagic || name.equals("time");
    }

    /**
     * The comment that takes the magic's place.
     *
     * @param classpathOwner what puts {@code %maven} artifacts on the class path in this form: "pom.xml" or
     *     "jshell.sh"
     */
    String comment(String classpathOwner) {
        String what = switch (name) {
            case "maven", "addMavenDependency", "mavenRepo" -> classpathOwner + " adds this to the class path";
            case "time" -> "the code runs untimed";
            case "classpath", "jars" -> "put these jars on the class path yourself";
            case "load" -> "copy that file's code here";
            case "loadFromPOM" -> "copy that POM's dependencies into pom.xml";
            default -> "it has no counterpart outside the kernel";
        };
        return "// " + line + "  (a JJava magic, not Java: " + what + ")";
    }
}
