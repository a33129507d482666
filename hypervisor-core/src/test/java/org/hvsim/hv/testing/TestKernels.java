package org.hvsim.hv.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.hvsim.hv.abi.GuestKernel;

/**
 * Packs test kernel classes into a kernel jar, since the hypervisor loads kernels only from jars
 * (through a class loader that exposes just the guest ABI). The kernel's nested classes come along.
 */
public final class TestKernels {
    private TestKernels() {}

    /** A jar in {@code dir} providing {@code kernel} (and any {@code extra} classes it uses). */
    public static Path jarOf(Path dir, Class<? extends GuestKernel> kernel, Class<?>... extra) throws IOException {
        Path jar = dir.resolve(kernel.getSimpleName() + ".jar");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out)) {
            j.putNextEntry(new JarEntry("META-INF/services/" + GuestKernel.class.getName()));
            j.write((kernel.getName() + "\n").getBytes(StandardCharsets.UTF_8));
            j.closeEntry();
            add(j, kernel);
            for (Class<?> c : extra) {
                add(j, c);
            }
        }
        return jar;
    }

    /** Adds {@code c}'s class file, and those of its nested classes, to the jar being written. */
    public static void add(JarOutputStream j, Class<?> c) throws IOException {
        String resource = c.getName().replace('.', '/') + ".class";
        try (InputStream in = c.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("no class file for " + c.getName());
            }
            j.putNextEntry(new JarEntry(resource));
            in.transferTo(j);
            j.closeEntry();
        }
        for (Class<?> nested : c.getDeclaredClasses()) {
            add(j, nested);
        }
    }
}
