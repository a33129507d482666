package org.hvsim.hv.evtchn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.hvsim.hv.abi.SegmentGuestMemory;
import org.hvsim.hv.abi.evtchn.EvtchnOpCompat;

/**
 * Hostile guests: arbitrary commands and argument bytes, from three domains (one privileged), on
 * both hypercalls. Whatever they pass, the hypervisor returns 0 or a negated errno, never throws,
 * and its tables stay consistent. Regression mode replays the stored inputs; {@code JAZZER_FUZZ=1}
 * explores.
 */
class EventChannelOpsFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void hostileArgumentsNeverBreakTheHypervisor(FuzzedDataProvider data) {
        TestHost host = new TestHost();
        TestDomain[] doms = {host.dom0(), host.add(new TestDomain(1, false, 2, 40)), host.add(new TestDomain(2, false, 3, 200))};
        SegmentGuestMemory memory = TestHost.argPage();
        for (int n = 0; n < 64 && data.remainingBytes() > 0; n++) {
            TestDomain caller = doms[data.consumeInt(0, doms.length - 1)];
            boolean compat = data.consumeBoolean();
            int cmd = data.consumeBoolean() ? data.consumeInt(-1, 15) : data.consumeInt();
            long address = data.consumeBoolean() ? data.consumeLong(-16, 4112) : 0;
            byte[] bytes = data.consumeBytes(EvtchnOpCompat.SIZE);
            memory.fill(0, 64, (byte) 0);
            if (compat) {
                memory.putInt(0, cmd);
                memory.write(EvtchnOpCompat.U, bytes, 0, Math.min(bytes.length, EvtchnOpCompat.U_SIZE));
            } else {
                memory.write(0, bytes);
            }
            if (data.consumeBoolean()) {
                doms[data.consumeInt(0, doms.length - 1)].controllerPaused = data.consumeBoolean();
            }
            long rc = compat ? host.ops.opCompat(caller, memory, address) : host.ops.op(caller, cmd, memory, address);
            assertTrue(rc <= 0, "result " + rc);
        }
        for (TestDomain d : doms) {
            int inUse = 0;
            for (PortStatus s : host.evtchn.list(d)) {
                inUse++;
                assertTrue(s.port() <= d.table.maxPort());
                if (s.state() == ChannelState.INTERDOMAIN) {
                    PortStatus peer = host.evtchn.status(host.find(s.remoteDomid()), s.remotePort()).orElseThrow();
                    assertEquals(d.domid, peer.remoteDomid());
                    assertEquals(s.port(), peer.remotePort());
                }
            }
            assertEquals(inUse, d.table.activeChannels());
        }
    }
}
