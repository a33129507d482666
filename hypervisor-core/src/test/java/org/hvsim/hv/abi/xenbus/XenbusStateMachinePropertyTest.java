package org.hvsim.hv.abi.xenbus;

import static org.hvsim.hv.abi.xenbus.XenbusState.CLOSED;
import static org.hvsim.hv.abi.xenbus.XenbusState.CONNECTED;
import static org.hvsim.hv.abi.xenbus.XenbusState.INITIALISED;
import static org.hvsim.hv.abi.xenbus.XenbusState.INITIALISING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.hvsim.hv.abi.xenbus.XenbusStateMachine.Role;
import org.hvsim.hv.abi.xenbus.XenbusStateMachine.Step;

/**
 * Two ends driven in any order, each seeing only the other's current state (so watches may miss states):
 * they connect, survive reconfigurations, close after either asks, reconnect, and never make a transition
 * the machine forbids.
 */
class XenbusStateMachinePropertyTest {

    enum Op {
        DRIVE_FRONTEND,
        DRIVE_BACKEND,
        CLOSE_FRONTEND,
        CLOSE_BACKEND,
        RECONFIGURE_FRONTEND,
        RECONFIGURE_BACKEND,
        /** Both ends read each other's state, then both act: each acts on a view the other just made stale. */
        DRIVE_BOTH_AT_ONCE,
        RECONFIGURE_BOTH_AT_ONCE
    }

    /** One device's two state nodes, and whether a close request took effect. */
    private static final class Device {
        XenbusState front = INITIALISING;
        XenbusState back = INITIALISING;
        boolean closeRequested;

        XenbusState mine(Role r) {
            return r == Role.FRONTEND ? front : back;
        }

        XenbusState other(Role r) {
            return r == Role.FRONTEND ? back : front;
        }

        /** Writes {@code step}'s target for {@code r}; returns whether it changed anything. */
        boolean apply(Role r, Step step) {
            if (step.isNone()) {
                assertEquals(mine(r), step.target());
                return false;
            }
            assertNotEquals(mine(r), step.target(), step.toString());
            assertTrue(XenbusStateMachine.mayTransition(r, mine(r), step.target()),
                    r + " " + mine(r) + " -> " + step + " with the other end " + other(r));
            if (r == Role.FRONTEND) {
                front = step.target();
            } else {
                back = step.target();
            }
            return true;
        }

        boolean drive(Role r) {
            return apply(r, XenbusStateMachine.next(r, mine(r), other(r)));
        }

        void run(Op op) {
            switch (op) {
                case DRIVE_FRONTEND -> drive(Role.FRONTEND);
                case DRIVE_BACKEND -> drive(Role.BACKEND);
                case CLOSE_FRONTEND -> closeRequested |= apply(Role.FRONTEND,
                        XenbusStateMachine.requestClose(Role.FRONTEND, front));
                case CLOSE_BACKEND -> closeRequested |= apply(Role.BACKEND,
                        XenbusStateMachine.requestClose(Role.BACKEND, back));
                case RECONFIGURE_FRONTEND -> apply(Role.FRONTEND,
                        XenbusStateMachine.requestReconfigure(Role.FRONTEND, front, back));
                case RECONFIGURE_BACKEND -> apply(Role.BACKEND,
                        XenbusStateMachine.requestReconfigure(Role.BACKEND, back, front));
                case DRIVE_BOTH_AT_ONCE -> {
                    Step f = XenbusStateMachine.next(Role.FRONTEND, front, back);
                    Step b = XenbusStateMachine.next(Role.BACKEND, back, front);
                    apply(Role.FRONTEND, f);
                    apply(Role.BACKEND, b);
                }
                case RECONFIGURE_BOTH_AT_ONCE -> {
                    Step f = XenbusStateMachine.requestReconfigure(Role.FRONTEND, front, back);
                    Step b = XenbusStateMachine.requestReconfigure(Role.BACKEND, back, front);
                    apply(Role.FRONTEND, f);
                    apply(Role.BACKEND, b);
                }
            }
        }

        /** Drives both ends, in the order {@code order} suggests, until neither has a step left. */
        void settle(List<Boolean> order) {
            for (int i = 0; i < 4 * order.size(); i++) {
                drive(order.get(i % order.size()) ? Role.FRONTEND : Role.BACKEND);
            }
            for (int round = 0; round < 64; round++) {
                boolean moved = drive(Role.FRONTEND) | drive(Role.BACKEND);
                if (!moved) {
                    return;
                }
            }
            throw new AssertionError("no quiescence: frontend " + front + ", backend " + back);
        }
    }

    @Property
    void connectReconfigureCloseAndReconnect(@ForAll boolean frontendSkipsInitWait,
            @ForAll boolean backendSkipsInitWait, @ForAll @Size(max = 40) List<Op> handshake,
            @ForAll @Size(min = 1, max = 20) List<Boolean> order, @ForAll @Size(max = 20) List<Op> reconfigure,
            @ForAll Role closer, @ForAll @Size(max = 20) List<Op> closing, @ForAll @Size(max = 20) List<Op> reconnect) {
        Device d = new Device();
        if (frontendSkipsInitWait) {
            d.apply(Role.FRONTEND, new Step(XenbusStateMachine.Action.PUBLISH_RING, INITIALISED));
        }
        if (backendSkipsInitWait) {
            d.apply(Role.BACKEND, new Step(XenbusStateMachine.Action.PUBLISH_FEATURES, INITIALISED));
        }
        drives(handshake).forEach(d::run);
        d.settle(order);
        assertEquals(List.of(CONNECTED, CONNECTED), List.of(d.front, d.back));

        reconfigure.stream().filter(op -> !op.name().startsWith("CLOSE")).forEach(d::run);
        d.settle(order);
        assertEquals(List.of(CONNECTED, CONNECTED), List.of(d.front, d.back), "after reconfigurations");

        d.run(closer == Role.FRONTEND ? Op.CLOSE_FRONTEND : Op.CLOSE_BACKEND);
        drives(closing).forEach(d::run);
        d.settle(order);
        assertEquals(List.of(CLOSED, CLOSED), List.of(d.front, d.back), "after a close request by the " + closer);

        d.apply(Role.FRONTEND, XenbusStateMachine.requestReconnect(Role.FRONTEND, d.front, d.back));
        drives(reconnect).forEach(d::run);
        d.settle(order);
        assertEquals(List.of(CONNECTED, CONNECTED), List.of(d.front, d.back), "after reconnecting");
    }

    @Property
    void anyMixOfRequestsEndsConnectedOrClosed(@ForAll @Size(max = 80) List<Op> ops,
            @ForAll @Size(min = 1, max = 20) List<Boolean> order) {
        Device d = new Device();
        ops.forEach(d::run);
        d.settle(order);
        XenbusState expected = d.closeRequested ? CLOSED : CONNECTED;
        assertEquals(List.of(expected, expected), List.of(d.front, d.back));
    }

    private static List<Op> drives(List<Op> ops) {
        return ops.stream().filter(op -> op.name().startsWith("DRIVE")).toList();
    }
}
