package org.hvsim.hv.privcmd;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import io.netty.handler.codec.protobuf.ProtobufDecoder;
import io.netty.handler.codec.protobuf.ProtobufEncoder;
import org.hvsim.proto.privcmd.PrivcmdMessage;

/**
 * The privcmd frame codec: a 4-byte big-endian length, then one {@link PrivcmdMessage} of at most
 * {@link PrivcmdLimits#MAX_FRAME_BYTES}. A longer length fails at once (TooLongFrameException),
 * before any of the frame is buffered.
 */
final class PrivcmdFraming {
    private PrivcmdFraming() {}

    /** Adds the codec at the end of {@code pipeline}; the session handlers go after it. */
    static void install(ChannelPipeline pipeline) {
        pipeline.addLast("frameDecoder", new LengthFieldBasedFrameDecoder(
                PrivcmdLimits.MAX_FRAME_BYTES + PrivcmdLimits.LENGTH_FIELD_BYTES,
                0, PrivcmdLimits.LENGTH_FIELD_BYTES, 0, PrivcmdLimits.LENGTH_FIELD_BYTES));
        pipeline.addLast("protobufDecoder", new ProtobufDecoder(PrivcmdMessage.getDefaultInstance()));
        pipeline.addLast("frameEncoder", new LengthFieldPrepender(PrivcmdLimits.LENGTH_FIELD_BYTES));
        pipeline.addLast("protobufEncoder", new ProtobufEncoder());
    }
}
