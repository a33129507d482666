package org.hvsim.domu.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.hvsim.domu.cpu.PerCpu;
import org.hvsim.domu.xenbus.XenbusRig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The vCPU hotplug watcher against a xenstored on another thread, the test playing the toolstack: what it
 * asks of the kernel for each value of {@code cpu/<N>/availability}, and the first firing's reconciliation.
 */
class CpuHotplugWatcherTest {
    private static final int VCPUS = 4;

    private final XenbusRig rig = new XenbusRig();
    /** What the watcher asked: "online N", "offline N", or "report <line>". */
    private final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    private final CpuHotplugWatcher watcher = new CpuHotplugWatcher(rig.client, new CpuHotplugActions() {
        @Override
        public void report(PerCpu cpu, String line) {
            calls.add("report " + line);
        }

        @Override
        public int vcpus() {
            return VCPUS;
        }

        @Override
        public void online(PerCpu cpu, int id) {
            assertFalse(cpu.inUpcall(), "hotplug runs in task context");
            calls.add("online " + id);
        }

        @Override
        public void offline(PerCpu cpu, int id) {
            assertFalse(cpu.inUpcall(), "hotplug runs in task context");
            calls.add("offline " + id);
        }
    });

    @AfterEach
    void close() throws InterruptedException {
        assertEquals(List.of(), rig.xenstored.problems());
        rig.close();
    }

    /** Starts the watcher and lets its first firing run. */
    private void started() {
        watcher.start(rig.cpu());
        rig.idleUntil(() -> rig.client.xenwatch().ran() >= 1, "the watch's first firing");
    }

    /** Writes {@code value} to vCPU {@code id}'s node and waits until the watcher has asked something. */
    private List<String> after(int id, String value) {
        int before = calls.size();
        rig.xenstored.write(CpuAvailability.node(id), value);
        rig.idleUntil(() -> calls.size() > before, "the watcher's answer to cpu/" + id + " = " + value);
        return List.copyOf(calls.subList(before, calls.size()));
    }

    @Test
    void theFirstFiringReconcilesEveryVcpuWithItsNodeAndSkipsAbsentOnes() {
        rig.xenstored.write("cpu/0/availability", "online");
        rig.xenstored.write("cpu/1/availability", "offline");
        rig.xenstored.write("cpu/2/availability", "online");
        // cpu/3 absent: nothing to do, nothing to say
        started();
        assertEquals(List.of("offline 1", "online 2"), calls,
                "vCPU 0 is left alone when online; the others follow their nodes");
        assertEquals(1, rig.xenstored.watches().size());
        assertEquals("cpu", rig.xenstored.watches().get(0).split(" ")[0]);
    }

    @Test
    void onlineBringsAVcpuUpAndOfflineTakesItDown() {
        started();
        assertEquals(List.of("online 2"), after(2, "online"));
        assertEquals(List.of("offline 2"), after(2, "offline"));
        assertEquals(List.of("offline 3"), after(3, "offline"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Online", "online ", "up", "1"})
    void anyOtherValueIsReportedAndChangesNothing(String value) {
        started();
        assertEquals(List.of("report minios: unknown state(" + value + ") on CPU1"), after(1, value));
    }

    @Test
    void aValueWithControlCharactersIsReportedPrintably() {
        started();
        assertEquals(List.of("report minios: unknown state(on?line) on CPU1"), after(1, "on\nline"));
    }

    @Test
    void vcpu0NeverGoesOfflineTheRequestIsReportedAndIgnored() {
        started();
        assertEquals(List.of("report minios: CPU0 cannot go offline; ignoring cpu/0/availability = offline"),
                after(0, "offline"));
        int before = calls.size();
        rig.xenstored.write("cpu/0/availability", "online");
        rig.xenstored.write("cpu/1/availability", "online");
        rig.idleUntil(() -> calls.size() > before, "vCPU 1's answer");
        assertEquals(List.of("online 1"), calls.subList(before, calls.size()), "online on vCPU 0 is nothing to do");
    }

    @Test
    void aVcpuTheDomainDoesNotHaveIsIgnored() {
        started();
        int before = calls.size();
        rig.xenstored.write(CpuAvailability.node(VCPUS), "online");
        rig.xenstored.write("cpu/x/availability", "online");
        rig.xenstored.write(CpuAvailability.node(1), "online");
        rig.idleUntil(() -> calls.size() > before, "vCPU 1's answer");
        assertEquals(List.of("online 1"), calls.subList(before, calls.size()));
    }

    @Test
    void aFiringForAVcpuWhoseNodeIsAbsentIsReported() {
        started();
        String token = rig.xenstored.watches().get(0).split(" ")[1];
        int before = calls.size();
        rig.xenstored.injectWatchEvent("cpu/2/availability", token);
        rig.idleUntil(() -> calls.size() > before, "the report");
        assertEquals(List.of("report minios: unable to read cpu/2/availability"), calls.subList(before, calls.size()));
    }
}
