package io.javadl.agent;

import java.util.HashSet;
import java.util.Set;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Rewrites a class file so that every method calls {@link CellStop#check()} when it starts and before every
 * backward jump. The call takes no operands and leaves none, so the methods' stack sizes and stack map frames
 * stay valid as they are.
 */
final class StopCheckInserter extends ClassVisitor {

    private static final String CHECK_OWNER = Type.getInternalName(CellStop.class);

    private StopCheckInserter(ClassVisitor next) {
        super(Opcodes.ASM9, next);
    }

    /**
     * Returns the class file with the checks added.
     *
     * @param classFile a class file of any version ASM reads (Java 1.1 to 28)
     * @return a new class file; the argument is not changed
     */
    static byte[] instrument(byte[] classFile) {
        ClassReader reader = new ClassReader(classFile);
        ClassWriter writer = new ClassWriter(reader, 0);
        reader.accept(new StopCheckInserter(writer), 0);
        return writer.toByteArray();
    }

    @Override
    public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
            String[] exceptions) {
        return new MethodChecks(super.visitMethod(access, name, descriptor, signature, exceptions));
    }

    /** Adds the checks to one method's code; labels seen so far are behind, so a jump to one goes back. */
    private static final class MethodChecks extends MethodVisitor {

        private final Set<Label> behind = new HashSet<>();

        MethodChecks(MethodVisitor next) {
            super(Opcodes.ASM9, next);
        }

        private void check() {
            super.visitMethodInsn(Opcodes.INVOKESTATIC, CHECK_OWNER, "check", "()V", false);
        }

        @Override
        public void visitCode() {
            super.visitCode();
            check();
        }

        @Override
        public void visitLabel(Label label) {
            behind.add(label);
            super.visitLabel(label);
        }

        @Override
        public void visitJumpInsn(int opcode, Label target) {
            if (behind.contains(target)) {
                check();
            }
            super.visitJumpInsn(opcode, target);
        }

        @Override
        public void visitTableSwitchInsn(int min, int max, Label fallback, Label... targets) {
            checkIfAnyBehind(fallback, targets);
            super.visitTableSwitchInsn(min, max, fallback, targets);
        }

        @Override
        public void visitLookupSwitchInsn(Label fallback, int[] keys, Label[] targets) {
            checkIfAnyBehind(fallback, targets);
            super.visitLookupSwitchInsn(fallback, keys, targets);
        }

        private void checkIfAnyBehind(Label fallback, Label[] targets) {
            boolean back = behind.contains(fallback);
            for (Label target : targets) {
                back |= behind.contains(target);
            }
            if (back) {
                check();
            }
        }
    }
}
