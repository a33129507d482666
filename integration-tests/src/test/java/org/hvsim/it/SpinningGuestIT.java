package org.hvsim.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.hvsim.proto.control.DomainInfo;
import org.junit.jupiter.api.Test;

/**
 * Guests that never yield on their own, on a host with a single pCPU: the control plane still answers
 * and a new guest still gets to run. Bounds are generous: this is about starvation, not speed.
 */
class SpinningGuestIT {
    /** Far more than any of these takes on an idle machine; a starved control plane never answers at all. */
    private static final long PROMPT_MS = 10_000;

    @Test
    void burnersOnOnePcpuStarveNeitherTheControlPlaneNorANewGuest() throws Exception {
        try (Host host = Host.start("1G", 1)) {
            Guests guests = new Guests(host);
            long initialFree = host.freeMemory();
            guests.create("spin-1", "cpuburn");
            guests.create("spin-2", "cpuburn");
            guests.await("spin-1", d -> d.getCpuTimeNs() > 0, "burning");
            guests.await("spin-2", d -> d.getCpuTimeNs() > 0, "burning");

            long start = System.nanoTime();
            List<DomainRow> rows = host.list();
            long listMs = (System.nanoTime() - start) / 1_000_000;
            assertTrue(listMs < PROMPT_MS, "xl list took " + listMs + " ms");
            assertEquals(List.of("Domain-0", "spin-1", "spin-2"), rows.stream().map(DomainRow::name).toList());

            // Both burners share the pCPU: each keeps getting time.
            long spin1 = host.domain("spin-1").orElseThrow().getCpuTimeNs();
            long spin2 = host.domain("spin-2").orElseThrow().getCpuTimeNs();
            guests.await("spin-1", d -> d.getCpuTimeNs() > spin1, "given more CPU");
            guests.await("spin-2", d -> d.getCpuTimeNs() > spin2, "given more CPU");

            start = System.nanoTime();
            host.xl("create", guests.config("spin-idle", "idle").toString()).expectOk();
            long createMs = (System.nanoTime() - start) / 1_000_000;
            assertTrue(createMs < PROMPT_MS, "xl create took " + createMs + " ms");
            guests.awaitConsole("spin-idle", "minios: running app idle\n");
            guests.await("spin-idle", DomainInfo::getBlocked, "idle");
            assertEquals("-b----", host.row("spin-idle").orElseThrow().state());

            for (String name : List.of("spin-1", "spin-2", "spin-idle")) {
                host.xl("destroy", name).expectOk();
            }
            host.awaitFreeMemory(initialFree, Guests.TIMEOUT_MS);
        }
    }
}
