package org.hvsim.it;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;

/** The JSON xl prints ({@code list -l}, {@code create -n}), read as protobuf's JSON {@link Value}. */
public final class Json {
    private Json() {}

    /** {@code text} as a JSON value; an AssertionError if it is not JSON. */
    public static Value parse(String text) {
        Value.Builder value = Value.newBuilder();
        try {
            JsonFormat.parser().merge(text, value);
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError("not JSON (" + e.getMessage() + "):\n" + text, e);
        }
        return value.build();
    }

    /** The member at {@code path} (object keys, or array indexes as decimal strings); an AssertionError if absent. */
    public static Value at(Value root, String... path) {
        Value v = root;
        for (String step : path) {
            v = switch (v.getKindCase()) {
                case STRUCT_VALUE -> {
                    if (!v.getStructValue().containsFields(step)) {
                        throw new AssertionError("no member \"" + step + "\" in " + v);
                    }
                    yield v.getStructValue().getFieldsOrThrow(step);
                }
                case LIST_VALUE -> v.getListValue().getValues(Integer.parseInt(step));
                default -> throw new AssertionError("cannot take \"" + step + "\" of " + v);
            };
        }
        return v;
    }

    /** Whether the object at {@code path} has the member {@code key}. */
    public static boolean has(Value root, String key, String... path) {
        Value v = at(root, path);
        return v.hasStructValue() && v.getStructValue().containsFields(key);
    }

    /** The number at {@code path}, which must be an integer. */
    public static long integer(Value root, String... path) {
        Value v = at(root, path);
        if (!v.hasNumberValue()) {
            throw new AssertionError("not a number at " + String.join(".", path) + ": " + v);
        }
        double d = v.getNumberValue();
        long n = (long) d;
        if (n != d) {
            throw new AssertionError("not an integer at " + String.join(".", path) + ": " + v);
        }
        return n;
    }

    /** The string at {@code path}. */
    public static String string(Value root, String... path) {
        Value v = at(root, path);
        if (!v.hasStringValue()) {
            throw new AssertionError("not a string at " + String.join(".", path) + ": " + v);
        }
        return v.getStringValue();
    }
}
