package org.hvsim.tools.evtchn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.hvsim.proto.control.EventChannelActivityKind;
import org.hvsim.proto.control.EventChannelEvent;
import org.hvsim.proto.control.EventChannelState;
import org.junit.jupiter.api.Test;

class WatchEventLineTest {
    /** 2026-12-06T23:41:07.123456789Z. */
    private static final long NANOS = Instant.parse("2026-12-06T23:41:07.123456789Z").getEpochSecond()
            * 1_000_000_000L + 123_456_789L;

    private final WatchEventLine utc = new WatchEventLine(ZoneOffset.UTC);

    private static EventChannelEvent.Builder event(EventChannelActivityKind kind, int domid, int port) {
        return EventChannelEvent.newBuilder().setTimestampUnixNanos(NANOS).setKind(kind).setDomid(domid)
                .setPort(port);
    }

    @Test
    void aSendNamesThePortItRaised() {
        assertEquals("23:41:07.123456 send    d1:1      vcpu 0  -> d0:12  xenstore\n",
                utc.line(event(EventChannelActivityKind.EVENT_CHANNEL_ACTIVITY_KIND_SEND, 1, 1)
                        .setRemoteDomid(0).setRemotePort(12).setLabel("xenstore").build()));
    }

    @Test
    void deliverMaskedUnmaskAndClose() {
        assertEquals("23:41:07.123456 deliver d0:12     vcpu 1  xenstore\n",
                utc.line(event(EventChannelActivityKind.EVENT_CHANNEL_ACTIVITY_KIND_DELIVER, 0, 12).setVcpu(1)
                        .setLabel("xenstore").build()));
        assertEquals("23:41:07.123456 masked  d3:4      vcpu 0  console\n",
                utc.line(event(EventChannelActivityKind.EVENT_CHANNEL_ACTIVITY_KIND_MASKED, 3, 4)
                        .setLabel("console").build()));
        assertEquals("23:41:07.123456 unmask  d3:4      vcpu 0\n",
                utc.line(event(EventChannelActivityKind.EVENT_CHANNEL_ACTIVITY_KIND_UNMASK, 3, 4).build()));
        assertEquals("23:41:07.123456 close   d12345:1023 vcpu 0\n",
                utc.line(event(EventChannelActivityKind.EVENT_CHANNEL_ACTIVITY_KIND_CLOSE, 12345, 1023).build()));
    }

    @Test
    void aBindSaysWhatWasBound() {
        EventChannelEvent.Builder bind = event(EventChannelActivityKind.EVENT_CHANNEL_ACTIVITY_KIND_BIND, 2, 3);
        assertEquals("23:41:07.123456 bind    d2:3      vcpu 0  interdomain -> d0:40  console\n",
                utc.line(bind.setState(EventChannelState.EVENT_CHANNEL_STATE_INTERDOMAIN).setRemoteDomid(0)
                        .setRemotePort(40).setLabel("console").build()));
        assertEquals("23:41:07.123456 bind    d2:3      vcpu 0  unbound -> d0  xenstore\n",
                utc.line(bind.setState(EventChannelState.EVENT_CHANNEL_STATE_UNBOUND).setLabel("xenstore").build()));
        assertEquals("23:41:07.123456 bind    d2:3      vcpu 1  virq 0  VIRQ_TIMER\n",
                utc.line(bind.clearRemotePort().setState(EventChannelState.EVENT_CHANNEL_STATE_VIRQ).setVcpu(1)
                        .setLabel("VIRQ_TIMER").build()));
        assertEquals("23:41:07.123456 bind    d2:3      vcpu 1  ipi  IPI\n",
                utc.line(bind.setState(EventChannelState.EVENT_CHANNEL_STATE_IPI).setLabel("IPI").build()));
    }

    @Test
    void theTimeIsLocalWithMicroseconds() {
        WatchEventLine paris = new WatchEventLine(ZoneId.of("Europe/Paris"));
        assertEquals("00:41:07.123456", paris.timestamp(NANOS));
        assertEquals("00:00:00.000001", utc.timestamp(1_000L));
        assertEquals("23:41:07.123456", utc.timestamp(Instant.parse("2026-12-06T23:41:07.123456999Z")));
    }

    @Test
    void anUnknownKindAndAHostileLabel() {
        assertEquals("23:41:07.123456 unknown d1:1      vcpu 0  a\\nb\\x1b\n",
                utc.line(event(EventChannelActivityKind.EVENT_CHANNEL_ACTIVITY_KIND_UNSPECIFIED, 1, 1)
                        .setLabel("a\nb\u001b").build()));
    }

    @Test
    void droppedEventsAreCounted() {
        assertEquals("-- 1 event lost: the watch did not keep up --\n", WatchEventLine.dropped(1));
        assertEquals("-- 17 events lost: the watch did not keep up --\n", WatchEventLine.dropped(17));
        assertEquals("-- 18446744073709551615 events lost: the watch did not keep up --\n",
                WatchEventLine.dropped(-1L));
    }
}
