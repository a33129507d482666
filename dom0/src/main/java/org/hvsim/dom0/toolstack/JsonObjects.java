package org.hvsim.dom0.toolstack;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.util.JsonFormat;

/** Whether text a guest wrote is one JSON object (protobuf's JSON parser reads it as a Struct). */
final class JsonObjects {
    private JsonObjects() {}

    static boolean isObject(String text) {
        try {
            JsonFormat.parser().merge(text, Struct.newBuilder());
            return true;
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            return false;
        }
    }
}
