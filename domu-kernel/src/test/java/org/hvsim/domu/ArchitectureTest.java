package org.hvsim.domu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.FieldModel;
import java.lang.classfile.MethodModel;
import java.lang.classfile.constantpool.ClassEntry;
import java.lang.classfile.constantpool.MethodTypeEntry;
import java.lang.classfile.constantpool.NameAndTypeEntry;
import java.lang.classfile.constantpool.PoolEntry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.hvsim.domu.testing.KernelJar;
import org.hvsim.hv.abi.GuestKernel;
import org.junit.jupiter.api.Test;

/**
 * The isolation rule, checked on the compiled classes: kernel code links only against the guest ABI
 * ({@code org.hvsim.hv.abi..}), the virtio library, itself and the Java platform ({@code java..}), the
 * same set the hypervisor's kernel class loader lets it see.
 */
class ArchitectureTest {
    private static final List<String> ALLOWED =
            List.of("org/hvsim/hv/abi/", "org/hvsim/virtio/", "org/hvsim/domu/", "java/");
    private static final Pattern TYPE_IN_DESCRIPTOR = Pattern.compile("L([^;<]+)[;<]");

    @Test
    void everyKernelClassReferencesOnlyTheAbiVirtioItselfAndJava() throws IOException {
        List<Path> classes = classFiles(KernelJar.classesDir());
        assertTrue(classes.size() > 30, "found only " + classes.size() + " classes");
        List<String> violations = new ArrayList<>();
        for (Path c : classes) {
            for (String ref : referencedClasses(Files.readAllBytes(c))) {
                if (!allowed(ref)) {
                    violations.add(KernelJar.classesDir().relativize(c) + " -> " + ref);
                }
            }
        }
        assertEquals(List.of(), violations);
    }

    @Test
    void theCheckSeesAForbiddenReference() throws IOException {
        byte[] thisTest = Files.readAllBytes(classFile(Path.of(ArchitectureTest.class.getProtectionDomain()
                .getCodeSource().getLocation().getPath()), ArchitectureTest.class));
        assertTrue(referencedClasses(thisTest).contains("org/junit/jupiter/api/Assertions"));
        assertTrue(!allowed("org/junit/jupiter/api/Test") && !allowed("org/hvsim/hv/domain/Domain")
                && !allowed("jdk/internal/misc/Unsafe") && allowed("org/hvsim/hv/abi/evtchn/EvtchnSend"));
    }

    @Test
    void theServiceFileNamesMiniOs() throws IOException {
        Path services = KernelJar.classesDir().resolve("META-INF/services/" + GuestKernel.class.getName());
        assertEquals(MiniOs.class.getName(), Files.readString(services, StandardCharsets.UTF_8).strip());
        assertTrue(GuestKernel.class.isAssignableFrom(MiniOs.class));
    }

    private static boolean allowed(String internalName) {
        return ALLOWED.stream().anyMatch(internalName::startsWith);
    }

    private static List<Path> classFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.toString().endsWith(".class")).sorted().toList();
        }
    }

    private static Path classFile(Path root, Class<?> c) {
        return root.resolve(c.getName().replace('.', '/') + ".class");
    }

    /** Internal names of every class the class file refers to: pool class entries and descriptors. */
    static TreeSet<String> referencedClasses(byte[] bytes) {
        ClassModel model = ClassFile.of().parse(bytes);
        TreeSet<String> refs = new TreeSet<>();
        for (PoolEntry e : model.constantPool()) {
            switch (e) {
                case ClassEntry c -> addClassEntry(refs, c.asInternalName());
                case NameAndTypeEntry nt -> addDescriptor(refs, nt.type().stringValue());
                case MethodTypeEntry mt -> addDescriptor(refs, mt.descriptor().stringValue());
                default -> { }
            }
        }
        for (FieldModel f : model.fields()) {
            addDescriptor(refs, f.fieldType().stringValue());
        }
        for (MethodModel m : model.methods()) {
            addDescriptor(refs, m.methodType().stringValue());
        }
        return refs;
    }

    private static void addClassEntry(TreeSet<String> refs, String name) {
        if (name.startsWith("[")) {
            addDescriptor(refs, name);
        } else {
            refs.add(name);
        }
    }

    private static void addDescriptor(TreeSet<String> refs, String descriptor) {
        Matcher m = TYPE_IN_DESCRIPTOR.matcher(descriptor);
        while (m.find()) {
            refs.add(m.group(1));
        }
    }
}
