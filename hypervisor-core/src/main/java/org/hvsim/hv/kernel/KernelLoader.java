package org.hvsim.hv.kernel;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Iterator;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;
import org.hvsim.hv.abi.GuestKernel;

/**
 * Finds the {@link GuestKernel} provider of a kernel jar and makes a fresh kernel instance per
 * domain. A jar is loaded once (cached by path, size and modification time) into its own class
 * loader whose parent is {@link AbiOnlyClassLoader}. Thread-safe.
 */
public final class KernelLoader {
    private final ClassLoader hypervisor;
    private final Map<Path, Loaded> cache = new ConcurrentHashMap<>();

    private record Loaded(long size, long modified, ServiceLoader.Provider<GuestKernel> provider) {}

    public KernelLoader() {
        this(KernelLoader.class.getClassLoader());
    }

    KernelLoader(ClassLoader hypervisor) {
        this.hypervisor = hypervisor;
    }

    /** A new instance of the kernel in {@code jar}. */
    public GuestKernel newKernel(Path jar) throws KernelLoadException {
        Path path = jar.toAbsolutePath().normalize();
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(path, BasicFileAttributes.class);
        } catch (IOException e) {
            throw new KernelLoadException("kernel " + path + ": " + e.getMessage(), e);
        }
        Loaded l = cache.get(path);
        if (l == null || l.size != attrs.size() || l.modified != attrs.lastModifiedTime().toMillis()) {
            l = new Loaded(attrs.size(), attrs.lastModifiedTime().toMillis(), findProvider(path));
            cache.put(path, l);
        }
        try {
            return l.provider.get();
        } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
            throw new KernelLoadException("kernel " + path + ": cannot instantiate " + l.provider.type().getName()
                    + ": " + e.getMessage(), e);
        }
    }

    private ServiceLoader.Provider<GuestKernel> findProvider(Path path) throws KernelLoadException {
        URL url;
        try {
            url = path.toUri().toURL();
        } catch (IOException e) {
            throw new KernelLoadException("kernel " + path + ": " + e.getMessage(), e);
        }
        URLClassLoader loader = new URLClassLoader("kernel:" + path.getFileName(), new URL[] {url},
                new AbiOnlyClassLoader(hypervisor));
        try {
            Iterator<ServiceLoader.Provider<GuestKernel>> it =
                    ServiceLoader.load(GuestKernel.class, loader).stream().iterator();
            while (it.hasNext()) {
                ServiceLoader.Provider<GuestKernel> p = it.next();
                if (p.type().getClassLoader() == loader) {
                    return p;
                }
            }
        } catch (ServiceConfigurationError | LinkageError e) {
            throw new KernelLoadException("kernel " + path + ": bad GuestKernel provider: " + e.getMessage(), e);
        }
        throw new KernelLoadException("kernel " + path + ": not a hvsim guest kernel (no provider of "
                + GuestKernel.class.getName() + " in META-INF/services)", null);
    }
}
