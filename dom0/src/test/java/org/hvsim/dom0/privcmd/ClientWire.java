package org.hvsim.dom0.privcmd;

import com.google.protobuf.InvalidProtocolBufferException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.hvsim.proto.privcmd.EventUpcall;
import org.hvsim.proto.privcmd.HypercallResult;
import org.hvsim.proto.privcmd.PrivcmdMessage;
import org.hvsim.proto.privcmd.Welcome;

/** Frames written and read by hand, independently of the netty codec under test. */
final class ClientWire {
    static final Welcome WELCOME = Welcome.newBuilder()
            .setDomid(0)
            .setStartInfoMfn(0x2000)
            .setMachineMemoryPath("/dev/shm/hvsim-client-test")
            .setMachineMemoryBytes(1L << 32)
            .setNrVcpus(4)
            .setDom0Generation(3)
            .build();

    private ClientWire() {}

    static byte[] frame(PrivcmdMessage message) {
        return frame(message.toByteArray());
    }

    static byte[] frame(byte[] body) {
        return ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).array();
    }

    static PrivcmdMessage welcome(Welcome welcome) {
        return PrivcmdMessage.newBuilder().setWelcome(welcome).build();
    }

    static PrivcmdMessage result(long id, long value) {
        return PrivcmdMessage.newBuilder()
                .setHypercallResult(HypercallResult.newBuilder().setId(id).setResult(value))
                .build();
    }

    static PrivcmdMessage upcall(int vcpu) {
        return PrivcmdMessage.newBuilder().setUpcall(EventUpcall.newBuilder().setVcpu(vcpu)).build();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            all.writeBytes(part);
        }
        return all.toByteArray();
    }

    /** Everything the client wrote so far, parsed as frames. */
    static List<PrivcmdMessage> readOutbound(EmbeddedChannel channel) {
        channel.runPendingTasks();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (ByteBuf buf; (buf = channel.readOutbound()) != null; ) {
            byte[] chunk = new byte[buf.readableBytes()];
            buf.readBytes(chunk);
            buf.release();
            bytes.writeBytes(chunk);
        }
        ByteBuffer in = ByteBuffer.wrap(bytes.toByteArray());
        List<PrivcmdMessage> messages = new ArrayList<>();
        while (in.hasRemaining()) {
            byte[] body = new byte[in.getInt()];
            in.get(body);
            try {
                messages.add(PrivcmdMessage.parseFrom(body));
            } catch (InvalidProtocolBufferException e) {
                throw new AssertionError("the client wrote a frame that is not a PrivcmdMessage", e);
            }
        }
        return messages;
    }
}
