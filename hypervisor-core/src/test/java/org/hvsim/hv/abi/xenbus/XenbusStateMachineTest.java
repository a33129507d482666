package org.hvsim.hv.abi.xenbus;

import static org.hvsim.hv.abi.xenbus.XenbusState.CLOSED;
import static org.hvsim.hv.abi.xenbus.XenbusState.CLOSING;
import static org.hvsim.hv.abi.xenbus.XenbusState.CONNECTED;
import static org.hvsim.hv.abi.xenbus.XenbusState.INITIALISED;
import static org.hvsim.hv.abi.xenbus.XenbusState.INITIALISING;
import static org.hvsim.hv.abi.xenbus.XenbusState.INIT_WAIT;
import static org.hvsim.hv.abi.xenbus.XenbusState.RECONFIGURED;
import static org.hvsim.hv.abi.xenbus.XenbusState.RECONFIGURING;
import static org.hvsim.hv.abi.xenbus.XenbusState.UNKNOWN;
import static org.hvsim.hv.abi.xenbus.XenbusStateMachine.Role.BACKEND;
import static org.hvsim.hv.abi.xenbus.XenbusStateMachine.Role.FRONTEND;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.hvsim.hv.abi.xenbus.XenbusStateMachine.Action;
import org.hvsim.hv.abi.xenbus.XenbusStateMachine.Role;
import org.hvsim.hv.abi.xenbus.XenbusStateMachine.Step;
import org.junit.jupiter.api.Test;

/** The reactions Linux's frontends and backends have, one at a time, and the transitions they may make. */
class XenbusStateMachineTest {

    private static void assertStep(Action action, XenbusState target, Step step) {
        assertEquals(new Step(action, target), step);
    }

    private static void assertStep(Action action, XenbusState target, Step step, String why) {
        assertEquals(new Step(action, target), step, why);
    }

    @Test
    void theBlkifHandshakeStepByStep() {
        assertStep(Action.PUBLISH_FEATURES, INIT_WAIT, XenbusStateMachine.next(BACKEND, INITIALISING, INITIALISING));
        assertTrue(XenbusStateMachine.next(FRONTEND, INITIALISING, INITIALISING).isNone(),
                "a frontend waits for the backend's features");
        assertStep(Action.PUBLISH_RING, INITIALISED, XenbusStateMachine.next(FRONTEND, INITIALISING, INIT_WAIT));
        assertTrue(XenbusStateMachine.next(BACKEND, INIT_WAIT, INITIALISING).isNone());
        assertStep(Action.CONNECT, CONNECTED, XenbusStateMachine.next(BACKEND, INIT_WAIT, INITIALISED));
        assertTrue(XenbusStateMachine.next(FRONTEND, INITIALISED, INIT_WAIT).isNone());
        assertStep(Action.CONNECT, CONNECTED, XenbusStateMachine.next(FRONTEND, INITIALISED, CONNECTED));
        assertTrue(XenbusStateMachine.next(FRONTEND, CONNECTED, CONNECTED).isNone());
        assertTrue(XenbusStateMachine.next(BACKEND, CONNECTED, CONNECTED).isNone());
    }

    @Test
    void skippedStatesAreTolerated() {
        // A backend that went straight to Initialised (default transport parameters): the frontend does the
        // InitWait work anyway; the backend waits for the frontend's rings.
        assertTrue(XenbusStateMachine.mayTransition(BACKEND, INITIALISING, INITIALISED));
        assertStep(Action.PUBLISH_RING, INITIALISED, XenbusStateMachine.next(FRONTEND, INITIALISING, INITIALISED));
        assertTrue(XenbusStateMachine.next(BACKEND, INITIALISED, INITIALISING).isNone());
        assertStep(Action.CONNECT, CONNECTED, XenbusStateMachine.next(BACKEND, INITIALISED, INITIALISED));
        // A frontend that published its ring before the backend's InitWait: the backend probes, then connects.
        assertTrue(XenbusStateMachine.mayTransition(FRONTEND, INITIALISING, INITIALISED));
        assertStep(Action.PUBLISH_FEATURES, INIT_WAIT, XenbusStateMachine.next(BACKEND, INITIALISING, INITIALISED));
        // netfront connects straight from Initialising; the backend connects to it.
        assertTrue(XenbusStateMachine.mayTransition(FRONTEND, INITIALISING, CONNECTED));
        assertStep(Action.CONNECT, CONNECTED, XenbusStateMachine.next(BACKEND, INIT_WAIT, CONNECTED));
        // A frontend that missed InitWait and Initialised... of the backend sees it Connected.
        assertStep(Action.PUBLISH_RING, INITIALISED, XenbusStateMachine.next(FRONTEND, INITIALISING, CONNECTED));
    }

    @Test
    void closingFollowsTheOtherEnd() {
        assertStep(Action.DISCONNECT, CLOSED, XenbusStateMachine.next(FRONTEND, CONNECTED, CLOSING));
        assertStep(Action.DISCONNECT, CLOSED, XenbusStateMachine.next(FRONTEND, CONNECTED, CLOSED),
                "a frontend that missed the backend's Closing");
        assertStep(Action.DISCONNECT, CLOSED, XenbusStateMachine.next(FRONTEND, CLOSING, CLOSING));
        assertTrue(XenbusStateMachine.next(FRONTEND, CLOSING, CONNECTED).isNone(), "waits for the backend");
        assertStep(Action.CLOSE, CLOSING, XenbusStateMachine.next(BACKEND, CONNECTED, CLOSING));
        assertStep(Action.CLOSE, CLOSING, XenbusStateMachine.next(BACKEND, INIT_WAIT, CLOSING));
        assertStep(Action.DISCONNECT, CLOSED, XenbusStateMachine.next(BACKEND, CLOSING, CLOSED));
        assertStep(Action.DISCONNECT, CLOSED, XenbusStateMachine.next(BACKEND, CONNECTED, CLOSED));
        assertStep(Action.DISCONNECT, CLOSED, XenbusStateMachine.next(BACKEND, CONNECTED, UNKNOWN),
                "the frontend's directory is gone");
        assertTrue(XenbusStateMachine.next(BACKEND, CLOSING, CONNECTED).isNone());
        assertTrue(XenbusStateMachine.next(FRONTEND, CLOSED, CLOSED).isNone());
        assertTrue(XenbusStateMachine.next(BACKEND, CLOSED, CLOSED).isNone());
    }

    @Test
    void closeRequestsComeFromAnyLiveState() {
        for (Role r : Role.values()) {
            assertStep(Action.CLOSE, CLOSING, XenbusStateMachine.requestClose(r, CONNECTED));
            assertStep(Action.CLOSE, CLOSING, XenbusStateMachine.requestClose(r, INITIALISING));
            assertTrue(XenbusStateMachine.requestClose(r, CLOSING).isNone());
            assertTrue(XenbusStateMachine.requestClose(r, CLOSED).isNone());
            assertTrue(XenbusStateMachine.requestClose(r, UNKNOWN).isNone());
        }
    }

    @Test
    void onlyAFrontendReconnectsAndOnlyWithItsBackendClosed() {
        assertStep(Action.REINITIALISE, INITIALISING, XenbusStateMachine.requestReconnect(FRONTEND, CLOSED, CLOSED));
        assertTrue(XenbusStateMachine.requestReconnect(FRONTEND, CLOSED, CLOSING).isNone());
        assertTrue(XenbusStateMachine.requestReconnect(BACKEND, CLOSED, CLOSED).isNone());
        assertTrue(XenbusStateMachine.next(FRONTEND, INITIALISING, CLOSED).isNone(), "waits for the backend");
        assertStep(Action.REINITIALISE, INIT_WAIT, XenbusStateMachine.next(BACKEND, CLOSED, INITIALISING));
        assertTrue(XenbusStateMachine.next(FRONTEND, CLOSED, INIT_WAIT).isNone(), "no reconnect on its own");
    }

    @Test
    void reconfigurationGoesThroughReconfiguredAndBack() {
        assertStep(Action.RECONFIGURE, RECONFIGURING, XenbusStateMachine.requestReconfigure(FRONTEND, CONNECTED, CONNECTED));
        assertTrue(XenbusStateMachine.requestReconfigure(FRONTEND, CONNECTED, INIT_WAIT).isNone());
        assertStep(Action.APPLY_RECONFIGURATION, RECONFIGURED, XenbusStateMachine.next(BACKEND, CONNECTED, RECONFIGURING));
        assertStep(Action.RESUME, CONNECTED, XenbusStateMachine.next(FRONTEND, RECONFIGURING, RECONFIGURED));
        assertStep(Action.RESUME, CONNECTED, XenbusStateMachine.next(BACKEND, RECONFIGURED, CONNECTED));
        assertStep(Action.APPLY_RECONFIGURATION, RECONFIGURED,
                XenbusStateMachine.next(BACKEND, RECONFIGURING, RECONFIGURING), "the backend defers to the frontend");
        assertTrue(XenbusStateMachine.next(FRONTEND, RECONFIGURING, RECONFIGURING).isNone());
    }

    @Test
    void illegalTransitions() {
        assertFalse(XenbusStateMachine.mayTransition(FRONTEND, CONNECTED, INITIALISING));
        assertFalse(XenbusStateMachine.mayTransition(FRONTEND, CLOSED, CONNECTED));
        assertFalse(XenbusStateMachine.mayTransition(FRONTEND, INITIALISING, INIT_WAIT), "InitWait is a backend state");
        assertFalse(XenbusStateMachine.mayTransition(BACKEND, CLOSED, INITIALISING));
        assertFalse(XenbusStateMachine.mayTransition(BACKEND, INITIALISING, CONNECTED), "a backend goes through InitWait");
        assertFalse(XenbusStateMachine.mayTransition(BACKEND, CLOSING, CONNECTED));
        assertFalse(XenbusStateMachine.mayTransition(BACKEND, CONNECTED, CONNECTED), "not a transition");
        assertTrue(XenbusStateMachine.mayTransition(BACKEND, CLOSED, INIT_WAIT));
    }

    @Test
    void everyStepNextGivesIsALegalTransition() {
        for (Role r : Role.values()) {
            for (XenbusState mine : XenbusState.values()) {
                for (XenbusState other : XenbusState.values()) {
                    Step s = XenbusStateMachine.next(r, mine, other);
                    if (s.isNone()) {
                        assertEquals(mine, s.target());
                    } else {
                        assertTrue(XenbusStateMachine.mayTransition(r, mine, s.target()), r + " " + mine + " seeing "
                                + other + " -> " + s);
                    }
                }
            }
        }
    }
}
