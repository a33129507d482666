package org.hvsim.tools.schedsim;

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
 * tools compiles against hypervisor-core only for schedsim: of tools' compiled classes, only those of
 * {@code org.hvsim.tools.schedsim} reference the hypervisor, and only its scheduler ({@code org.hvsim.hv.sched..}).
 * Every other tool stays a thin client of dom0, as the design's module table says.
 */
class ToolsDependencyRuleTest {
    private static final Path CLASSES = Path.of("target/classes");
    private static final String HYPERVISOR = "org/hvsim/hv/";
    private static final String SCHED = "org/hvsim/hv/sched/";
    private static final String SCHEDSIM = "org/hvsim/tools/schedsim/";

    @Test
    void onlySchedsimReferencesTheHypervisorAndOnlyItsScheduler() throws IOException {
        List<Path> classes;
        try (Stream<Path> s = Files.walk(CLASSES)) {
            classes = s.filter(p -> p.toString().endsWith(".class")).sorted().toList();
        }
        assertTrue(classes.size() > 50, "found only " + classes.size() + " classes in " + CLASSES.toAbsolutePath());
        List<String> violations = new ArrayList<>();
        boolean schedsimSeen = false;
        for (Path c : classes) {
            String name = CLASSES.relativize(c).toString().replace('\\', '/');
            List<String> refs = hypervisorReferences(Files.readAllBytes(c));
            boolean schedsim = name.startsWith(SCHEDSIM);
            schedsimSeen |= schedsim && !refs.isEmpty();
            for (String ref : refs) {
                if (!schedsim || !ref.startsWith(SCHED)) {
                    violations.add(name + " -> " + ref);
                }
            }
        }
        assertEquals(List.of(), violations);
        assertTrue(schedsimSeen, "the scan found no reference from schedsim to the scheduler");
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
