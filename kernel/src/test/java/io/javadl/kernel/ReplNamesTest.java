package io.javadl.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** The messages are those JShell's errors gave on JDK 17, for snippets a learner might write. */
class ReplNamesTest {

    @Test
    void aNullVariableIsNamedAsTheCellNamedIt() {
        assertEquals("Cannot invoke \"String.length()\" because \"s\" is null",
                ReplNames.learners("Cannot invoke \"String.length()\" because \"REPL.$JShell$52.s\" is null"));
        assertEquals("Cannot load from int array because \"arr\" is null",
                ReplNames.learners("Cannot load from int array because \"REPL.$JShell$5.arr\" is null"));
    }

    @Test
    void aMethodThatReturnedNullIsNamedAsTheCellNamedIt() {
        assertEquals("Cannot invoke \"String.length()\" because the return value of \"foo()\" is null",
                ReplNames.learners("Cannot invoke \"String.length()\" because the return value of "
                        + "\"REPL.$JShell$3.foo()\" is null"));
    }

    @Test
    void aCellsClassIsNamedAsTheCellNamedItAlsoOnceRedefined() {
        assertEquals("Cannot invoke \"Point.norm()\" because \"p\" is null",
                ReplNames.learners("Cannot invoke \"REPL.$JShell$7$Point.norm()\" because "
                        + "\"REPL.$JShell$8.p\" is null"));
        assertEquals("inner Point@3eaab180", ReplNames.learners("inner REPL.$JShell$7C$Point@3eaab180"));
        assertEquals("MyError", ReplNames.learners("REPL.$JShell$17$MyError"));
    }

    @Test
    void anAnonymousClassOrALambdaKeepsItsWrapperHavingNoNameOfItsOwn() {
        assertEquals("class REPL.$JShell$12$1 cannot be cast to class Point",
                ReplNames.learners("class REPL.$JShell$12$1 cannot be cast to class REPL.$JShell$7$Point"));
        String lambda = "REPL.$JShell$14$$Lambda/0x0000020001041a48";
        assertEquals(lambda, ReplNames.learners(lambda));
    }

    @Test
    void otherTextStaysAsItIs() {
        String jdk = "Cannot invoke \"String.length()\" because the return value of "
                + "\"java.util.function.Supplier.get()\" is null";
        assertEquals(jdk, ReplNames.learners(jdk));
        assertEquals("costs $JShell$5 and REPL.x", ReplNames.learners("costs $JShell$5 and REPL.x"));
        assertNull(ReplNames.learners(null));
    }
}
