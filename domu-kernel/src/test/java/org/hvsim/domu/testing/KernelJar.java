package org.hvsim.domu.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.hvsim.domu.MiniOs;

/**
 * This module's compiled kernel (target/classes, META-INF/services included) packed into a jar, since
 * the hypervisor loads kernels only from jars, through a class loader that exposes just the guest ABI.
 */
public final class KernelJar {
    private KernelJar() {}

    /** The directory MiniOs was compiled into. */
    public static Path classesDir() {
        try {
            return Path.of(MiniOs.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the compiled kernel", e);
        }
    }

    /** Writes the kernel jar into {@code dir} and returns its path. */
    public static Path write(Path dir) throws IOException {
        Path classes = classesDir();
        Path jar = dir.resolve("minios.jar");
        List<Path> files;
        try (Stream<Path> s = Files.walk(classes)) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        }
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out)) {
            for (Path f : files) {
                j.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                Files.copy(f, j);
                j.closeEntry();
            }
        }
        return jar;
    }
}
