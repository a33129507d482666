package org.hvsim.domu.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.hvsim.domu.cpu.PerCpu;
import org.hvsim.domu.xenbus.XenbusRig;
import org.hvsim.hv.abi.ShutdownReason;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The shutdown watcher against a xenstored on another thread, the test playing the toolstack. */
class ShutdownWatcherTest {
    private final XenbusRig rig = new XenbusRig();
    private final List<String> reports = Collections.synchronizedList(new ArrayList<>());
    private final List<ShutdownReason> shutdowns = Collections.synchronizedList(new ArrayList<>());
    private final ShutdownWatcher watcher = new ShutdownWatcher(rig.client, new ShutdownActions() {
        @Override
        public void report(PerCpu cpu, String line) {
            reports.add(line);
        }

        @Override
        public void shutdown(PerCpu cpu, ShutdownReason reason) {
            assertFalse(cpu.inUpcall(), "shutdown runs in task context");
            shutdowns.add(reason);
        }
    });

    @AfterEach
    void close() throws InterruptedException {
        assertEquals(List.of(), rig.xenstored.problems());
        rig.close();
    }

    /** Starts the watcher and lets its first firing (on an absent or empty node) run. */
    private void started() {
        watcher.start(rig.cpu());
        rig.idleUntil(() -> rig.client.xenwatch().ran() >= 1, "the watch's first firing");
    }

    private List<String> logSince(int from) {
        List<String> log = rig.xenstored.log();
        return log.subList(from, log.size());
    }

    /** What the watcher sends for one attempt at acknowledging, in transaction {@code tx}. */
    private static List<String> acknowledgement(int tx) {
        return List.of("TRANSACTION_START ", "READ control/shutdown (tx " + tx + ")",
                "WRITE control/shutdown (tx " + tx + ")", "TRANSACTION_END T (tx " + tx + ")");
    }

    @Test
    void startPublishesTheFeaturesLinuxPublishesAndWatchesControlShutdown() {
        started();
        assertEquals("1", rig.xenstored.value("control/feature-poweroff").orElseThrow());
        assertEquals("1", rig.xenstored.value("control/feature-reboot").orElseThrow());
        assertEquals(List.of("feature-poweroff", "feature-reboot"), rig.xenstored.list("control"),
                "no feature-suspend: this kernel cannot suspend");
        assertEquals(1, rig.xenstored.watches().size());
        assertTrue(rig.xenstored.watches().get(0).startsWith("control/shutdown "));
        assertEquals(List.of(), shutdowns);
        assertEquals(List.of(), reports, "an absent node is nothing to do");
        assertEquals(List.of("TRANSACTION_START ", "READ control/shutdown (tx 1)", "TRANSACTION_END T (tx 1)"),
                rig.xenstored.log().subList(rig.xenstored.log().size() - 3, rig.xenstored.log().size()));
    }

    @Test
    void afterANewXenstoredTookTheRingOverTheFeaturesAreBackAndRequestsWork() {
        started();
        rig.xenstored.restart();
        rig.idleUntil(() -> rig.xenstored.value("control/feature-reboot").isPresent(), "the features again");
        assertEquals("1", rig.xenstored.value("control/feature-poweroff").orElseThrow());
        assertEquals(1, rig.xenstored.watches().size());
        rig.xenstored.write("control/shutdown", "poweroff");
        rig.idleUntil(() -> !shutdowns.isEmpty(), "the shutdown");
        assertEquals(List.of(ShutdownReason.POWEROFF), shutdowns);
        assertEquals(List.of("minios: shutting down (poweroff)"), reports, "the watch's refiring was nothing to do");
    }

    @ParameterizedTest
    @CsvSource({"poweroff, POWEROFF", "halt, POWEROFF", "reboot, REBOOT", "crash, CRASH"})
    void aRequestIsAcknowledgedInATransactionThenActedOn(String request, ShutdownReason reason) {
        started();
        int from = rig.xenstored.log().size();
        rig.xenstored.write("control/shutdown", request);
        rig.idleUntil(() -> !shutdowns.isEmpty(), "the shutdown");
        assertEquals(List.of(reason), shutdowns);
        assertEquals("", rig.xenstored.value("control/shutdown").orElseThrow(), "acknowledged");
        assertEquals(List.of("minios: shutting down (" + request + ")"), reports);
        // Transaction 1 was the first firing's: it found no request.
        assertEquals(acknowledgement(2), logSince(from));
        assertTrue(watcher.shuttingDown());
    }

    @Test
    void suspendIsIgnoredAndLeftUnacknowledgedAsByALinuxWithoutSuspend() {
        started();
        int from = rig.xenstored.log().size();
        rig.xenstored.write("control/shutdown", "suspend");
        rig.idleUntil(() -> !reports.isEmpty(), "the report");
        assertEquals(List.of("minios: ignoring shutdown request: suspend"), reports);
        assertEquals("suspend", rig.xenstored.value("control/shutdown").orElseThrow());
        assertEquals(List.of(), shutdowns);
        assertFalse(logSince(from).stream().anyMatch(s -> s.startsWith("WRITE")), logSince(from).toString());
        assertFalse(watcher.shuttingDown());
    }

    @Test
    void anAcknowledgementWhoseCommitConflictsIsRetried() {
        started();
        rig.xenstored.failCommits(1);
        int from = rig.xenstored.log().size();
        rig.xenstored.write("control/shutdown", "poweroff");
        rig.idleUntil(() -> !shutdowns.isEmpty(), "the shutdown");
        assertEquals(List.of(ShutdownReason.POWEROFF), shutdowns);
        List<String> twice = new ArrayList<>(acknowledgement(2));
        twice.addAll(acknowledgement(3));
        assertEquals(twice, logSince(from));
        assertEquals("", rig.xenstored.value("control/shutdown").orElseThrow());
    }

    @Test
    void onceShuttingDownLaterRequestsAreIgnored() {
        started();
        rig.xenstored.write("control/shutdown", "reboot");
        rig.idleUntil(() -> !shutdowns.isEmpty(), "the reboot");
        long ran = rig.client.xenwatch().ran();
        rig.xenstored.write("control/shutdown", "poweroff");
        rig.idleUntil(() -> rig.client.xenwatch().ran() > ran, "the later firing");
        assertEquals(List.of(ShutdownReason.REBOOT), shutdowns);
        assertEquals("poweroff", rig.xenstored.value("control/shutdown").orElseThrow(), "not acknowledged");
    }
}
