package org.hvsim.dom0;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.classfile.ClassFile;
import java.lang.classfile.constantpool.PoolEntry;
import java.lang.classfile.constantpool.Utf8Entry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The isolation rule of the design, checked on dom0's compiled classes: of hypervisor-core, dom0 sees only
 * the guest ABI ({@code org.hvsim.hv.abi..}), as a dom0 kernel sees only Xen's public headers. Everything
 * else it learns from the hypervisor goes through hypercalls over privcmd.
 */
class ArchitectureTest {
    private static final Path CLASSES = Path.of("target/classes");
    private static final String HYPERVISOR = "org/hvsim/hv/";
    private static final String ABI = "org/hvsim/hv/abi/";

    @Test
    void dom0ReferencesNothingOfTheHypervisorButItsAbi() throws IOException {
        List<Path> classes;
        try (Stream<Path> s = Files.walk(CLASSES)) {
            classes = s.filter(p -> p.toString().endsWith(".class")).sorted().toList();
        }
        assertTrue(classes.size() > 50, "found only " + classes.size() + " classes in " + CLASSES.toAbsolutePath());
        List<String> violations = new ArrayList<>();
        for (Path c : classes) {
            for (String ref : hypervisorReferences(Files.readAllBytes(c))) {
                if (!ref.startsWith(ABI)) {
                    violations.add(CLASSES.relativize(c) + " -> " + ref);
                }
            }
        }
        assertEquals(List.of(), violations);
    }

    @Test
    void theCheckSeesAReferenceToTheHypervisor() throws IOException {
        // This test class names both packages in its constants, so the scan must find both.
        Path self = Path.of("target/test-classes/org/hvsim/dom0/ArchitectureTest.class");
        List<String> refs = hypervisorReferences(Files.readAllBytes(self));
        assertTrue(refs.stream().anyMatch(r -> r.startsWith(HYPERVISOR) && !r.startsWith(ABI)), refs.toString());
    }

    /** Every string in the constant pool (class names, descriptors, signatures) that names hypervisor-core. */
    private static List<String> hypervisorReferences(byte[] classFile) {
        List<String> refs = new ArrayList<>();
        for (PoolEntry e : ClassFile.of().parse(classFile).constantPool()) {
            if (e instanceof Utf8Entry u) {
                String s = u.stringValue();
                for (int at = s.indexOf(HYPERVISOR); at >= 0; at = s.indexOf(HYPERVISOR, at + 1)) {
                    int end = at;
                    while (end < s.length() && s.charAt(end) != ';' && s.charAt(end) != '<' && s.charAt(end) != '.') {
                        end++;
                    }
                    refs.add(s.substring(at, end));
                }
            }
        }
        return refs;
    }
}
