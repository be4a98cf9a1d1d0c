package io.javadl.agent;

import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Adds the stop checks to the classes JShell compiles from cells, and to no other class: JShell puts every
 * snippet, and the classes, lambdas and records a cell declares, into its package {@code REPL}.
 */
final class CellClassTransformer implements ClassFileTransformer {

    /** JShell's package for snippets, as a prefix of internal class names. */
    static final String JSHELL_PACKAGE = "REPL/";

    private static final Logger LOG = Logger.getLogger(CellClassTransformer.class.getName());

    @Override
    public byte[] transform(ClassLoader loader, String className, Class<?> redefined, ProtectionDomain domain,
            byte[] classFile) {
        if (className == null || !className.startsWith(JSHELL_PACKAGE)) {
            return null;
        }
        try {
            return StopCheckInserter.instrument(classFile);
        } catch (RuntimeException e) { // the class then runs as compiled, without the checks
            LOG.log(Level.WARNING, e, () -> "Could not add the interrupt checks to " + className
                    + "; an interrupt may not stop this cell's loops");
            return null;
        }
    }
}
