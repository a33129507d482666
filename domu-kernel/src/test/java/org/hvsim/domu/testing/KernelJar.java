package org.hvsim.domu.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.hvsim.domu.MiniOs;
import org.hvsim.hv.abi.GuestKernel;
import org.hvsim.hv.testing.TestKernels;

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
        return write(dir, "minios.jar", null);
    }

    /**
     * Writes a jar of the kernel's classes whose {@link GuestKernel} is {@code kernel}, a test kernel
     * (with its nested classes) that drives the kernel's parts directly; returns its path.
     */
    public static Path withKernel(Path dir, Class<? extends GuestKernel> kernel) throws IOException {
        return write(dir, kernel.getSimpleName() + ".jar", kernel);
    }

    private static Path write(Path dir, String name, Class<? extends GuestKernel> kernel) throws IOException {
        Path classes = classesDir();
        Path jar = dir.resolve(name);
        String services = "META-INF/services/" + GuestKernel.class.getName();
        List<Path> files;
        try (Stream<Path> s = Files.walk(classes)) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        }
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out)) {
            for (Path f : files) {
                String entry = classes.relativize(f).toString().replace('\\', '/');
                if (kernel != null && entry.equals(services)) {
                    continue;
                }
                j.putNextEntry(new JarEntry(entry));
                Files.copy(f, j);
                j.closeEntry();
            }
            if (kernel != null) {
                j.putNextEntry(new JarEntry(services));
                j.write((kernel.getName() + "\n").getBytes(StandardCharsets.UTF_8));
                j.closeEntry();
                TestKernels.add(j, kernel);
            }
        }
        return jar;
    }
}
