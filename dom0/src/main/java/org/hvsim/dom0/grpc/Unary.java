package org.hvsim.dom0.grpc;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import org.hvsim.dom0.toolstack.ConfigException;
import org.hvsim.dom0.xen.XenError;

/**
 * One unary answer from a toolstack call: its value, or its refusal as a status (a ConfigException by
 * its kind, a failed hypercall as FAILED_PRECONDITION with the hypercall's message).
 */
final class Unary {
    private Unary() {}

    /** A toolstack call that may refuse. */
    interface Call<T> {
        T run() throws ConfigException;
    }

    static <T> void answer(StreamObserver<T> out, Call<T> call) {
        try {
            out.onNext(call.run());
            out.onCompleted();
        } catch (ConfigException e) {
            out.onError(StatusMapper.toStatus(e));
        } catch (XenError e) {
            out.onError(Status.FAILED_PRECONDITION.withDescription(e.getMessage()).asRuntimeException());
        }
    }
}
