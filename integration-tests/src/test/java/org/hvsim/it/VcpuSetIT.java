package org.hvsim.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code xl vcpu-set} end to end on a 2-pCPU host: dom0 writes {@code cpu/<N>/availability}, the guest's
 * kernel brings vCPUs up (initialising those that never ran) and takes them down; {@code xl vcpu-list} shows an
 * offline vCPU as {@code --p} and {@code xl list}'s VCPUs column counts the online ones; libxl's and xl's
 * refusals read as Xen's.
 */
class VcpuSetIT {
    private static final String OFFLINE = "--p";

    private static Host host;
    private static Guests guests;

    @BeforeAll
    static void startHost() throws Exception {
        host = Host.start("1G", 2, "--sched", "credit");
        guests = new Guests(host);
    }

    @AfterAll
    static void stopHost() {
        if (host != null) {
            host.close();
        }
    }

    @AfterEach
    void destroyLeftovers() {
        guests.destroyAll();
    }

    /** Each vCPU's state column in {@code xl vcpu-list <name>} ({@code --p} when offline), vCPU 0 first. */
    private static List<String> vcpuStates(String name) {
        List<String> rows;
        try {
            rows = host.xl("vcpu-list", name).expectOk().outLines();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        List<String> states = new ArrayList<>();
        for (String row : rows.subList(1, rows.size())) {
            // Name ID VCPU CPU State Time(s) Hard / Soft; an offline vCPU's CPU is "-" and its state "--p"
            states.add(row.strip().split("\\s+")[4]);
        }
        return states;
    }

    /** Polls {@code xl vcpu-list <name>} until its states satisfy {@code ok}. */
    private static void awaitStates(String name, String what, Predicate<List<String>> ok) {
        AtomicReference<List<String>> seen = new AtomicReference<>();
        Host.await(() -> {
            seen.set(vcpuStates(name));
            return ok.test(seen.get());
        }, Guests.TIMEOUT_MS, () -> what + "; xl vcpu-list shows " + seen.get());
    }

    private static int listedVcpus(String name) throws IOException, InterruptedException {
        return host.row(name).orElseThrow().vcpus();
    }

    @Test
    void vcpuSetBringsVcpusUpToMaxvcpusAndTakesThemDownAgain() throws Exception {
        int domid = guests.create("hotplug", "idle", "maxvcpus = 3");
        awaitStates("hotplug", "vCPU 0 online, 1 and 2 offline as created",
                s -> s.size() == 3 && !s.get(0).equals(OFFLINE) && s.get(1).equals(OFFLINE) && s.get(2).equals(OFFLINE));
        assertEquals(1, listedVcpus("hotplug"));

        assertEquals(List.of("You are overcommmitting! You have 2 physical CPUs and want 3 vCPUs! Aborting, use"
                + " --ignore-host to continue"), host.xl("vcpu-set", "hotplug", "3").expectExit(1).errLines());
        host.xl("vcpu-set", "-i", "hotplug", "3").expectOk();
        awaitStates("hotplug", "all 3 vCPUs online", s -> s.size() == 3 && !s.contains(OFFLINE));
        guests.awaitConsole("hotplug", "minios: cpu 2 online");
        assertEquals(3, listedVcpus("hotplug"));

        host.xl("vcpu-set", "hotplug", "1").expectOk();
        awaitStates("hotplug", "vCPUs 1 and 2 offline",
                s -> s.size() == 3 && !s.get(0).equals(OFFLINE) && s.get(1).equals(OFFLINE) && s.get(2).equals(OFFLINE));
        guests.awaitConsole("hotplug", "minios: cpu 2 offline");
        assertEquals(1, listedVcpus("hotplug"));

        host.xl("vcpu-set", "hotplug", "2").expectOk();
        awaitStates("hotplug", "vCPU 1 online again", s -> s.size() == 3 && !s.get(1).equals(OFFLINE)
                && s.get(2).equals(OFFLINE));
        assertEquals(2, listedVcpus("hotplug"));

        assertEquals(List.of("Requested 0 VCPUs!", "libxl_set_vcpuonline failed domid=" + domid + " max_vcpus=0, rc: -3"),
                host.xl("vcpu-set", "hotplug", "0").expectExit(1).errLines());
        assertEquals(List.of("Requested 4 VCPUs, however maxcpus is 3!",
                "libxl_set_vcpuonline failed domid=" + domid + " max_vcpus=4, rc: -3"),
                host.xl("vcpu-set", "-i", "hotplug", "4").expectExit(1).errLines());
        assertEquals(List.of("You are overcommmitting! You have 2 physical CPUs and want 4 vCPUs! Aborting, use"
                + " --ignore-host to continue"), host.xl("vcpu-set", "hotplug", "4").expectExit(1).errLines());
        assertEquals(List.of("Error: Invalid argument."), host.xl("vcpu-set", "hotplug", "x").expectExit(1).errLines());
        assertEquals(2, listedVcpus("hotplug"), "the refusals changed nothing");
    }

    @Test
    void aBurningVcpuGoesOfflineAndBurnsAgainWhenBroughtBack() throws Exception {
        guests.create("burner", "cpuburn", "vcpus = 2");
        guests.awaitConsole("burner", "cpuburn: vCPU 1:");
        host.xl("vcpu-set", "burner", "1").expectOk();
        awaitStates("burner", "vCPU 1 offline", s -> s.size() == 2 && s.get(1).equals(OFFLINE));
        guests.awaitConsole("burner", "minios: cpu 1 offline");
        assertEquals(1, listedVcpus("burner"));
        host.xl("vcpu-set", "burner", "2").expectOk();
        awaitStates("burner", "vCPU 1 online", s -> s.size() == 2 && !s.contains(OFFLINE));
        guests.awaitConsole("burner", "minios: cpu 1 online");
        assertEquals(2, listedVcpus("burner"));
    }
}
