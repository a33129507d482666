package org.hvsim.dom0.toolstack;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.hvsim.proto.control.CpuSet;
import org.hvsim.proto.control.DomainConfig;

/**
 * The choke point for DomainConfig messages from any gRPC client: whatever a client sends, validation either
 * yields a spec within the host's limits or refuses with a ConfigException (a gRPC status for that client
 * only), never another exception.
 */
class DomainConfigValidatorPropertyTest {
    private static final int NR_CPUS = 4;
    private static final long FREE_KB = 1L << 20;

    @Property(tries = 2000)
    void anyConfigIsAcceptedWithinLimitsOrRefusedCleanly(@ForAll("configs") DomainConfig c) throws Exception {
        Path kernels = Files.createTempDirectory("kernels");
        try {
            DomainConfigValidator v = new DomainConfigValidator(new KernelResolver(kernels));
            DomainSpec spec;
            try {
                spec = v.validate(c, new HostFacts(NR_CPUS, FREE_KB, "taken"::equals));
            } catch (ConfigException refused) {
                assertTrue(refused.getMessage() != null && !refused.getMessage().isBlank(), "a refusal says why");
                return;
            }
            assertTrue(spec.vcpus() >= 1 && spec.vcpus() <= spec.maxVcpus(), "vcpus " + spec.vcpus());
            assertTrue(spec.memoryPages() >= 1 && spec.memoryPages() <= spec.maxPages(), "memory");
            assertTrue(spec.memoryPages() * 4 <= FREE_KB, "more memory than is free");
            assertTrue(!spec.name().isEmpty() && !spec.name().equals("taken"), "name " + spec.name());
        } finally {
            Files.deleteIfExists(kernels);
        }
    }

    @Provide
    Arbitrary<DomainConfig> configs() {
        Arbitrary<String> names = Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(80),
                Arbitraries.of("guest", "taken", "Domain-0", "", "a/b", "x".repeat(300)));
        Arbitrary<Long> kb = Arbitraries.oneOf(Arbitraries.longs().between(0, 4L << 20),
                Arbitraries.of(Long.MAX_VALUE, -1L, 4096L, 1L << 40));
        Arbitrary<Integer> vcpus = Arbitraries.oneOf(Arbitraries.integers().between(-2, 300),
                Arbitraries.of(Integer.MAX_VALUE, Integer.MIN_VALUE));
        Arbitrary<CpuSet> cpus = Combinators.combine(Arbitraries.of(true, false),
                Arbitraries.integers().between(-1, 70).list().ofMaxSize(5)).as((all, list) -> {
                    CpuSet.Builder b = CpuSet.newBuilder().setAll(all);
                    list.forEach(i -> b.addCpus(i));
                    return b.build();
                });
        Arbitrary<String> kernels = Arbitraries.oneOf(Arbitraries.of("", "minios", "/nonexistent.jar", "../x"),
                Arbitraries.strings().ofMaxLength(40));
        Arbitrary<List<String>> quotas = Arbitraries.oneOf(Arbitraries.of("nodes=2000", "watches=0", "bogus=1",
                "nodes=", "=5", "nodes=-3", "path-max=99999999999999999999"), Arbitraries.strings().ofMaxLength(20))
                .list().ofMaxSize(4);
        return Combinators.combine(names, kb, kb, vcpus, vcpus, cpus.list().ofMaxSize(3), kernels,
                Combinators.combine(Arbitraries.integers().between(-1, 9), Arbitraries.strings().ofMaxLength(30),
                        quotas, Arbitraries.integers().between(-5, 70000)).as(Extra::new))
                .as((name, mem, max, v, maxV, cpuList, kernel, extra) -> DomainConfig.newBuilder()
                        .setName(name).setTargetMemkb(mem).setMaxMemkb(max).setVcpus(v).setMaxVcpus(maxV)
                        .addAllCpus(cpuList).setKernel(kernel).setCmdline(extra.cmdline())
                        .setOnPoweroffValue(extra.action()).setOnCrashValue(extra.action())
                        .addAllXenstoreQuota(extra.quotas()).setMaxEventChannels(extra.ports())
                        .build());
    }

    private record Extra(int action, String cmdline, List<String> quotas, int ports) {
    }
}
