package org.hvsim.hv.sched;

import java.lang.reflect.Constructor;
import java.util.concurrent.Executor;

/**
 * Creates vCPU virtual threads whose carrier is chosen by hvsim's scheduler rather than the JDK's
 * default ForkJoinPool: each thread gets its own {@link Executor}, to which the JDK hands the
 * thread's continuation whenever it is ready to run (at start, after {@link Thread#yield()}, after an
 * unpark). The scheduler then runs that continuation on a pCPU thread, so guest code executes on the
 * pCPU the scheduler picked, and only there.
 *
 * <p>The JDK (21 to 25) has this facility but does not export it: the package-private constructor
 * {@code java.lang.ThreadBuilders.VirtualThreadBuilder(Executor)} is reached by reflection, which
 * needs {@code --add-opens java.base/java.lang=ALL-UNNAMED} (every hvsim launcher passes it).
 */
public final class VcpuThreadFactory {
    private static final Constructor<?> BUILDER = findBuilder();

    private VcpuThreadFactory() {}

    private static Constructor<?> findBuilder() {
        try {
            Class<?> c = Class.forName("java.lang.ThreadBuilders$VirtualThreadBuilder");
            Constructor<?> k = c.getDeclaredConstructor(Executor.class);
            k.setAccessible(true);
            return k;
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new ExceptionInInitializerError(new IllegalStateException(
                    "vCPU threads need java.lang.ThreadBuilders$VirtualThreadBuilder(Executor); run the JVM with "
                            + "--add-opens java.base/java.lang=ALL-UNNAMED (JDK 25)", e));
        }
    }

    /** An unstarted virtual thread named {@code name} whose continuation is always given to {@code carrier}. */
    public static Thread newThread(String name, Executor carrier, Runnable body) {
        try {
            Thread.Builder.OfVirtual b = (Thread.Builder.OfVirtual) BUILDER.newInstance(carrier);
            return b.name(name).unstarted(body);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create vCPU thread " + name, e);
        }
    }
}
