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

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * How a frontend and a backend drive their xenbus {@code state} nodes to a connection and back, as Linux's
 * drivers do ({@code xenbus_client.c}, {@code xenbus_probe*.c}, blkfront/blkback, netfront/netback) and
 * {@code io/blkif.h} describes. Pure: no XenStore access; a driver reads the other end's state (usually from
 * a watch), asks {@link #next} what to do, does the work the {@link Action} names, then writes the
 * {@link Step#target} state. Calling {@code next} again after each switch handles states a watch missed:
 * each call makes one step.
 *
 * <pre>
 *   frontend                               backend
 *   Initialising                           Initialising --PUBLISH_FEATURES--> InitWait
 *     sees InitWait (or Initialised: the backend skipped InitWait, defaults apply)
 *     --PUBLISH_RING--> Initialised
 *                                          sees Initialised/Connected --CONNECT--> Connected
 *     sees Connected --CONNECT--> Connected
 *   close (either end, {@link #requestClose}): Closing; the other end follows: a frontend seeing its
 *   backend Closing or Closed disconnects to Closed; a backend seeing its frontend Closing goes Closing,
 *   seeing it Closed disconnects to Closed. Reconnect ({@link #requestReconnect}): with both Closed the
 *   frontend goes back to Initialising and the backend, seeing that, to InitWait.
 *   Reconfigure ({@link #requestReconfigure}): from Connected the initiator goes Reconfiguring, the other
 *   end applies it and goes Reconfigured, the initiator returns to Connected and then so does the other.
 * </pre>
 *
 * Skipped states (blkif.h): a frontend may go to Initialised without waiting for InitWait, a backend may go
 * from Initialising to Initialised without InitWait; the other end then does the skipped state's work as
 * well. Where both ends start a reconfiguration at once, the backend defers to the frontend. Closed is
 * final until the frontend asks to reconnect: nothing here reopens a device on its own.
 */
public final class XenbusStateMachine {

    /** Which end of a device a driver is. */
    public enum Role {
        FRONTEND,
        BACKEND
    }

    /** The work a driver does before it writes the step's target state. */
    public enum Action {
        /** Nothing to do now: wait for the other end. */
        NONE,
        /** Backend: open the device, publish {@code feature-*} and transport parameters (→ InitWait). */
        PUBLISH_FEATURES,
        /** Frontend: read the backend's features, grant the rings, allocate the event channel, publish
         *  {@code ring-ref}, {@code event-channel}, {@code protocol} (→ Initialised). */
        PUBLISH_RING,
        /** Backend: read the frontend's rings, map them, bind the event channel, publish the device
         *  properties; frontend: read them and finish the device (→ Connected). */
        CONNECT,
        /** Stop taking new work and wait for the other end (→ Closing). */
        CLOSE,
        /** Unmap and free the rings, close the event channel (→ Closed). */
        DISCONNECT,
        /** Prepare to connect again: frontend → Initialising, backend → InitWait. */
        REINITIALISE,
        /** Publish the new configuration (→ Reconfiguring). */
        RECONFIGURE,
        /** Apply the other end's new configuration (→ Reconfigured). */
        APPLY_RECONFIGURATION,
        /** The reconfiguration is over (→ Connected). */
        RESUME
    }

    /** What to do: {@code action}, then write {@code target}. For {@link Action#NONE} the target is the current state. */
    public record Step(Action action, XenbusState target) {
        public Step {
            Objects.requireNonNull(action, "action");
            Objects.requireNonNull(target, "target");
        }

        /** Nothing to do in {@code mine}. */
        public static Step none(XenbusState mine) {
            return new Step(Action.NONE, mine);
        }

        public boolean isNone() {
            return action == Action.NONE;
        }
    }

    private static final Map<XenbusState, Set<XenbusState>> FRONTEND = new EnumMap<>(XenbusState.class);
    private static final Map<XenbusState, Set<XenbusState>> BACKEND = new EnumMap<>(XenbusState.class);

    static {
        // Frontends never use InitWait (one found there does nothing); they may skip Initialised (netfront
        // connects straight from Initialising).
        FRONTEND.put(UNKNOWN, EnumSet.of(INITIALISING));
        FRONTEND.put(INITIALISING, EnumSet.of(INITIALISED, CONNECTED, CLOSING, CLOSED));
        FRONTEND.put(INIT_WAIT, EnumSet.noneOf(XenbusState.class));
        FRONTEND.put(INITIALISED, EnumSet.of(CONNECTED, CLOSING, CLOSED));
        FRONTEND.put(CONNECTED, EnumSet.of(RECONFIGURING, RECONFIGURED, CLOSING, CLOSED));
        FRONTEND.put(CLOSING, EnumSet.of(CLOSED));
        FRONTEND.put(CLOSED, EnumSet.of(INITIALISING));
        FRONTEND.put(RECONFIGURING, EnumSet.of(CONNECTED, CLOSING, CLOSED));
        FRONTEND.put(RECONFIGURED, EnumSet.of(CONNECTED, CLOSING, CLOSED));
        // Backends may skip InitWait (Initialising → Initialised with default transport parameters) and
        // reconnect from Closed through InitWait ("prepare for reconnect" in blkback).
        BACKEND.put(UNKNOWN, EnumSet.of(INITIALISING));
        BACKEND.put(INITIALISING, EnumSet.of(INIT_WAIT, INITIALISED, CLOSING, CLOSED));
        BACKEND.put(INIT_WAIT, EnumSet.of(CONNECTED, CLOSING, CLOSED));
        BACKEND.put(INITIALISED, EnumSet.of(CONNECTED, CLOSING, CLOSED));
        BACKEND.put(CONNECTED, EnumSet.of(RECONFIGURING, RECONFIGURED, CLOSING, CLOSED));
        BACKEND.put(CLOSING, EnumSet.of(CLOSED));
        BACKEND.put(CLOSED, EnumSet.of(INIT_WAIT));
        BACKEND.put(RECONFIGURING, EnumSet.of(RECONFIGURED, CONNECTED, CLOSING, CLOSED));
        BACKEND.put(RECONFIGURED, EnumSet.of(CONNECTED, CLOSING, CLOSED));
    }

    private XenbusStateMachine() {}

    /** Whether a {@code role} driver may switch its state from {@code from} to a different {@code to}. */
    public static boolean mayTransition(Role role, XenbusState from, XenbusState to) {
        return table(role).get(from).contains(to);
    }

    /**
     * What a {@code role} driver in state {@code mine} does on seeing the other end in {@code other}
     * (Linux's {@code otherend_changed} handlers).
     */
    public static Step next(Role role, XenbusState mine, XenbusState other) {
        Objects.requireNonNull(mine, "mine");
        Objects.requireNonNull(other, "other");
        return role == Role.FRONTEND ? frontend(mine, other) : backend(mine, other);
    }

    /** A driver decides to close the device (unplug, error: {@code xenbus_dev_fatal}); the other end follows. */
    public static Step requestClose(Role role, XenbusState mine) {
        return mayTransition(role, mine, CLOSING) ? new Step(Action.CLOSE, CLOSING) : Step.none(mine);
    }

    /**
     * A frontend decides to connect again after both ends closed ({@code xenbus_reset_frontend}): only a
     * frontend, and only once its backend is Closed too.
     */
    public static Step requestReconnect(Role role, XenbusState mine, XenbusState other) {
        if (role == Role.FRONTEND && mine == CLOSED && other == CLOSED) {
            return new Step(Action.REINITIALISE, INITIALISING);
        }
        return Step.none(mine);
    }

    /** A driver has a new configuration for a connected device (netfront's XDP switch, pvscsi's LUN changes). */
    public static Step requestReconfigure(Role role, XenbusState mine, XenbusState other) {
        if (mine == CONNECTED && other == CONNECTED) {
            return new Step(Action.RECONFIGURE, RECONFIGURING);
        }
        return Step.none(mine);
    }

    private static Step frontend(XenbusState mine, XenbusState other) {
        if (mine == UNKNOWN || mine == CLOSED || mine == INIT_WAIT) {
            return Step.none(mine);
        }
        if (other == CLOSING || (other == CLOSED && mine != INITIALISING)) {
            // A frontend in Initialising with its backend Closed is reconnecting and waits for InitWait.
            return new Step(Action.DISCONNECT, CLOSED);
        }
        return switch (mine) {
            case INITIALISING -> other == INIT_WAIT || other == INITIALISED || other == CONNECTED
                    ? new Step(Action.PUBLISH_RING, INITIALISED) : Step.none(mine);
            case INITIALISED -> other == CONNECTED ? new Step(Action.CONNECT, CONNECTED) : Step.none(mine);
            case CONNECTED -> other == RECONFIGURING
                    ? new Step(Action.APPLY_RECONFIGURATION, RECONFIGURED) : Step.none(mine);
            case RECONFIGURING -> other == RECONFIGURED ? new Step(Action.RESUME, CONNECTED) : Step.none(mine);
            case RECONFIGURED -> other == CONNECTED ? new Step(Action.RESUME, CONNECTED) : Step.none(mine);
            default -> Step.none(mine);
        };
    }

    private static Step backend(XenbusState mine, XenbusState other) {
        if (mine == UNKNOWN) {
            return Step.none(mine);
        }
        if (mine == CLOSED) {
            return other == INITIALISING || other == INITIALISED
                    ? new Step(Action.REINITIALISE, INIT_WAIT) : Step.none(mine);
        }
        if (other == CLOSED || other == UNKNOWN) {
            // The frontend closed, or its directory is gone.
            return new Step(Action.DISCONNECT, CLOSED);
        }
        if (other == CLOSING) {
            return mine == CLOSING ? Step.none(mine) : new Step(Action.CLOSE, CLOSING);
        }
        return switch (mine) {
            case INITIALISING -> new Step(Action.PUBLISH_FEATURES, INIT_WAIT);
            case INIT_WAIT, INITIALISED -> other == INITIALISED || other == CONNECTED
                    ? new Step(Action.CONNECT, CONNECTED) : Step.none(mine);
            case CONNECTED -> other == RECONFIGURING
                    ? new Step(Action.APPLY_RECONFIGURATION, RECONFIGURED) : Step.none(mine);
            case RECONFIGURING -> switch (other) {
                case RECONFIGURED -> new Step(Action.RESUME, CONNECTED);
                case RECONFIGURING -> new Step(Action.APPLY_RECONFIGURATION, RECONFIGURED);
                default -> Step.none(mine);
            };
            case RECONFIGURED -> other == CONNECTED ? new Step(Action.RESUME, CONNECTED) : Step.none(mine);
            default -> Step.none(mine);
        };
    }

    private static Map<XenbusState, Set<XenbusState>> table(Role role) {
        return role == Role.FRONTEND ? FRONTEND : BACKEND;
    }
}
