package org.hvsim.hv.kernel;

/**
 * The parent of every kernel jar's class loader: it lets kernel code link against the guest ABI
 * ({@code org.hvsim.hv.abi..}), the virtio library ({@code org.hvsim.virtio..}) and the Java platform,
 * and nothing else of the hypervisor, so a kernel built against internals fails to load instead of
 * quietly reaching past the hypercall interface. (A JVM cannot stop deliberate reflection; the
 * kernel's code is trusted like a kernel binary, its data is not.) Thread-safe.
 */
final class AbiOnlyClassLoader extends ClassLoader {
    private static final String[] VISIBLE = {"org.hvsim.hv.abi.", "org.hvsim.virtio."};

    private final ClassLoader hypervisor;

    AbiOnlyClassLoader(ClassLoader hypervisor) {
        super("hvsim-guest-abi", ClassLoader.getPlatformClassLoader());
        this.hypervisor = hypervisor;
    }

    static boolean visible(String className) {
        for (String prefix : VISIBLE) {
            if (className.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (visible(name)) {
            return hypervisor.loadClass(name);
        }
        return super.loadClass(name, resolve);
    }
}
