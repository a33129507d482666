package org.hvsim.hv.privcmd;

import com.google.protobuf.InvalidProtocolBufferException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.hvsim.proto.privcmd.Hello;
import org.hvsim.proto.privcmd.HypercallRequest;
import org.hvsim.proto.privcmd.PrivcmdMessage;

/** Frames written and read by hand, independently of the netty codec under test. */
final class PrivcmdWire {
    private PrivcmdWire() {}

    static byte[] frame(PrivcmdMessage message) {
        return frame(message.toByteArray());
    }

    static byte[] frame(byte[] body) {
        return ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).array();
    }

    static PrivcmdMessage hello(String token, long pid) {
        return PrivcmdMessage.newBuilder().setHello(Hello.newBuilder().setToken(token).setPid(pid)).build();
    }

    static PrivcmdMessage hypercall(long id, int vcpu, int op, long... args) {
        HypercallRequest.Builder request = HypercallRequest.newBuilder().setId(id).setVcpu(vcpu).setOp(op);
        for (long arg : args) {
            request.addArgs(arg);
        }
        return PrivcmdMessage.newBuilder().setHypercall(request).build();
    }

    static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        ByteBuffer all = ByteBuffer.allocate(length);
        for (byte[] part : parts) {
            all.put(part);
        }
        return all.array();
    }

    /** The whole frames in {@code stream}; a trailing partial frame is an error. */
    static List<PrivcmdMessage> parseFrames(byte[] stream) {
        ByteBuffer in = ByteBuffer.wrap(stream);
        List<PrivcmdMessage> messages = new ArrayList<>();
        while (in.hasRemaining()) {
            int length = in.getInt();
            byte[] body = new byte[length];
            in.get(body);
            try {
                messages.add(PrivcmdMessage.parseFrom(body));
            } catch (InvalidProtocolBufferException e) {
                throw new AssertionError("the server wrote a frame that is not a PrivcmdMessage", e);
            }
        }
        return messages;
    }
}
