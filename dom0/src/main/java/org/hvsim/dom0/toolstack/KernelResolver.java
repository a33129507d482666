package org.hvsim.dom0.toolstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

/**
 * Finds the guest kernel {@code kernel=} names, as the domain builder opens the kernel image file: no
 * value or a bare name is a built-in kernel (a jar in the kernels directory, e.g. "minios"); a path
 * (absolute) is a user's kernel jar. A jar counts as a kernel if it provides the guest kernel service.
 * Like Xen's, a dry run never gets here: the kernel is opened only when a domain is built.
 */
public final class KernelResolver {
    /** The built-in kernel a domain gets when its configuration names none. */
    public static final String DEFAULT = "minios";
    static final String SERVICE = "META-INF/services/org.hvsim.hv.abi.GuestKernel";

    private final Path kernels;

    public KernelResolver(Path kernelsDirectory) {
        this.kernels = kernelsDirectory;
    }

    /** The names of the built-in kernels. */
    public List<String> builtIn() {
        try (Stream<Path> s = Files.list(kernels)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".jar"))
                    .map(n -> n.substring(0, n.length() - 4)).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** The kernel jar for {@code kernel} (the config's value, "" for none). */
    public Path resolve(String kernel) throws ConfigException {
        String name = kernel.isEmpty() ? DEFAULT : kernel;
        Path jar;
        if (!name.contains("/")) {
            jar = kernels.resolve(name + ".jar");
            if (!Files.isRegularFile(jar)) {
                throw ConfigException.invalid("kernel", "kernel '" + name + "' is not a built-in kernel (built-in: "
                        + String.join(", ", builtIn()) + "); give a path to a kernel jar for your own");
            }
        } else {
            jar = Path.of(name);
            if (!jar.isAbsolute()) {
                throw ConfigException.invalid("kernel", "kernel path '" + name + "' must be absolute");
            }
            if (!Files.isRegularFile(jar) || !Files.isReadable(jar)) {
                throw ConfigException.invalid("kernel", "kernel '" + name + "': no such readable file");
            }
        }
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            if (zip.getEntry(SERVICE) == null) {
                throw ConfigException.invalid("kernel", "kernel '" + name + "' is not a hvsim guest kernel: the jar has no "
                        + SERVICE);
            }
        } catch (IOException e) {
            throw ConfigException.invalid("kernel", "kernel '" + name + "' is not a hvsim guest kernel (not a jar: "
                    + e.getMessage() + ")");
        }
        return jar.toAbsolutePath().normalize();
    }
}
