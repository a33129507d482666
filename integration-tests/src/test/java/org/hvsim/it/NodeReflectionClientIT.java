package org.hvsim.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Value;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The control plane from a client that is not Java and has no generated stubs: the Node.js client of
 * {@code src/test/node} (grpc-js) learns the services through server reflection, builds them from the
 * FileDescriptorProtos it gets, and calls EventChannelService on a live host with a busy guest. Its JSON
 * must agree with what the Java side and the other end of each channel say.
 */
class NodeReflectionClientIT extends HostPerClass {
    private static final String EVTCHN = "hvsim.control.v1.EventChannelService";
    private static final String INTERDOMAIN = "EVENT_CHANNEL_STATE_INTERDOMAIN";
    /** How long the client watches; the flood guest sends on its console port all along. */
    private static final String WATCH_MS = "2000";
    private static final long CLIENT_TIMEOUT_MS = 60_000;

    @BeforeAll
    static void installClient() throws Exception {
        NodeClient.prepare();
    }

    @Test
    void aNodeClientFindsEventChannelServiceByReflectionAndCallsIt() throws Exception {
        int domid = guests.create("node-busy", "flood lines=10000000");
        guests.awaitConsole("node-busy", "flood: line 1 of");

        Run run = NodeClient.client(Map.of("HVSIM_HOME", host.home().toString()), CLIENT_TIMEOUT_MS,
                "--guest", "node-busy", "--watch-ms", WATCH_MS);
        if (run.exit() != 0) {
            throw new AssertionError("the node client failed\nstdout:\n" + run.out() + "\nstderr:\n" + run.err());
        }
        Value out = Json.parse(run.out());

        // What reflection told it, and what it built from that.
        List<String> services = strings(Json.at(out, "reflection", "services"));
        assertTrue(services.containsAll(List.of(EVTCHN, "hvsim.control.v1.HostService",
                "hvsim.control.v1.DomainService", "grpc.reflection.v1.ServerReflection")), services.toString());
        List<String> files = strings(Json.at(out, "reflection", "files"));
        assertTrue(files.containsAll(List.of("hvsim/evtchn.proto", "hvsim/control.proto")), files.toString());
        assertEquals(List.of("ListEventChannels", "GetEventChannelStatus", "WatchEventChannels"),
                strings(Json.at(out, "reflection", "methods", EVTCHN)));

        // The services it built from control.proto's descriptors answer as they answer Java.
        assertEquals(Long.toString(host.hostInfo().getTotalMemory()), Json.string(out, "host", "total_memory"));
        assertEquals(guests.names(), Json.at(out, "domains").getListValue().getValuesList().stream()
                .map(d -> Json.string(d, "name")).toList());

        // ListEventChannels: the guest's xenstore and console ports connect it to dom0, and dom0's list has
        // the other end of each.
        Value dom0 = Json.at(out, "dom0");
        assertEquals(0, Json.integer(dom0, "domid"));
        assertEquals("Domain-0", Json.string(dom0, "name"));
        Value guest = Json.at(out, "guest");
        assertEquals(domid, Json.integer(guest, "domid"));
        assertEquals("node-busy", Json.string(guest, "name"));
        for (String label : List.of("xenstore", "console")) {
            Value port = labelled(guest, label).orElseThrow(() -> new AssertionError("no " + label + " port in "
                    + run.out()));
            assertEquals(INTERDOMAIN, Json.string(port, "state"), port.toString());
            assertEquals(0, Json.integer(port, "remote_domid"), port.toString());
            assertEquals(domid, Json.integer(port, "domid"), port.toString());
            Value end = port(dom0, Json.integer(port, "remote_port")).orElseThrow(() -> new AssertionError(
                    "dom0 lists no port " + Json.integer(port, "remote_port") + " (the " + label + " port's end)"));
            assertEquals(INTERDOMAIN, Json.string(end, "state"), end.toString());
            assertEquals(domid, Json.integer(end, "remote_domid"), end.toString());
            assertEquals(Json.integer(port, "port"), Json.integer(end, "remote_port"), end.toString());
        }

        // GetEventChannelStatus of the port the client picked says what the list said of it.
        Value status = Json.at(out, "status");
        Value listed = port(guest, Json.integer(status, "port")).orElseThrow();
        for (String field : List.of("domid", "port", "state", "vcpu", "remote_domid", "remote_port", "virq",
                "xen_attached", "label")) {
            assertEquals(Json.at(listed, field), Json.at(status, field), field + " of " + status + " and " + listed);
        }

        // WatchEventChannels saw the flood: sends on the guest's console port, and only the guest's events.
        Value watch = Json.at(out, "watch");
        assertTrue(Json.integer(watch, "events") > 0, watch.toString());
        assertEquals(List.of(Integer.toString(domid)), List.copyOf(Json.at(watch, "byDomain").getStructValue()
                .getFieldsMap().keySet()), watch.toString());
        assertTrue(Json.has(watch, "EVENT_CHANNEL_ACTIVITY_KIND_SEND", "byKind"), watch.toString());
        String console = domid + ":" + Json.integer(labelled(guest, "console").orElseThrow(), "port");
        assertTrue(Json.has(watch, console, "byPort"), "events on the console port " + console + ": " + watch);
    }

    @Test
    void anUnknownDomainReachesTheNodeClientAsNotFound() throws Exception {
        Run run = NodeClient.client(Map.of("HVSIM_HOME", host.home().toString()), CLIENT_TIMEOUT_MS,
                "--guest", "no-such", "--watch-ms", "0");
        assertEquals(1, run.exit(), run.toString());
        Value out = Json.parse(run.out());
        assertEquals("ListEventChannels({\"domain\":\"no-such\"}): NOT_FOUND: Domain 'no-such' does not exist.",
                Json.string(out, "error"));
        assertEquals("Domain-0", Json.string(out, "dom0", "name"), "what it had before the error is printed");
        assertTrue(run.err().contains("NOT_FOUND"), run.err());
    }

    private static List<String> strings(Value list) {
        return list.getListValue().getValuesList().stream().map(Value::getStringValue).toList();
    }

    private static Optional<Value> labelled(Value channels, String label) {
        return Json.at(channels, "ports").getListValue().getValuesList().stream()
                .filter(p -> Json.string(p, "label").equals(label)).findFirst();
    }

    private static Optional<Value> port(Value channels, long port) {
        return Json.at(channels, "ports").getListValue().getValuesList().stream()
                .filter(p -> Json.integer(p, "port") == port).findFirst();
    }
}
