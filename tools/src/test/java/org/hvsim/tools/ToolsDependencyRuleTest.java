package org.hvsim.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.classfile.ClassFile;
import java.lang.classfile.constantpool.PoolEntry;
import java.lang.classfile.constantpool.StringEntry;
import java.lang.classfile.constantpool.Utf8Entry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No class of tools references the hypervisor ({@code org.hvsim.hv..}): tools is a thin client of dom0, as the
 * design's module table says (hypervisor-core is on its class path at run time only, for the distribution).
 */
class ToolsDependencyRuleTest {
    private static final Path CLASSES = Path.of("target/classes");
    private static final String HYPERVISOR = "org/hvsim/hv/";

    @Test
    void noToolsClassReferencesTheHypervisor() throws IOException {
        List<Path> classes;
        try (Stream<Path> s = Files.walk(CLASSES)) {
            classes = s.filter(p -> p.toString().endsWith(".class")).sorted().toList();
        }
        assertTrue(classes.size() > 50, "found only " + classes.size() + " classes in " + CLASSES.toAbsolutePath());
        List<String> violations = new ArrayList<>();
        for (Path c : classes) {
            String name = CLASSES.relativize(c).toString().replace('\\', '/');
            for (String ref : hypervisorReferences(Files.readAllBytes(c))) {
                violations.add(name + " -> " + ref);
            }
        }
        assertEquals(List.of(), violations);
    }

    /**
     * Every constant-pool string naming something under org/hvsim/hv/ (class names, descriptors, signatures),
     * but not string literals: hvsim start names the hypervisor's main class to launch it in another JVM.
     */
    private static List<String> hypervisorReferences(byte[] classBytes) {
        List<String> refs = new ArrayList<>();
        Iterable<PoolEntry> pool = ClassFile.of().parse(classBytes).constantPool();
        Set<Utf8Entry> literals = new HashSet<>();
        for (PoolEntry e : pool) {
            if (e instanceof StringEntry s) {
                literals.add(s.utf8());
            }
        }
        for (PoolEntry e : pool) {
            if (e instanceof Utf8Entry u && !literals.contains(u)) {
                String s = u.stringValue().replace('.', '/');
                int i = s.indexOf(HYPERVISOR);
                while (i >= 0) {
                    int end = i;
                    while (end < s.length() && ";<>()[".indexOf(s.charAt(end)) < 0) {
                        end++;
                    }
                    refs.add(s.substring(i, end));
                    i = s.indexOf(HYPERVISOR, end);
                }
            }
        }
        return refs;
    }
}
