package org.hvsim.dom0.grpc;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.hvsim.dom0.toolstack.ConfigException;
import org.hvsim.proto.control.DomainConfig;
import org.hvsim.proto.control.SourceLocation;

/**
 * Turns a toolstack refusal into a gRPC status: INVALID_ARGUMENT, NOT_FOUND, ALREADY_EXISTS,
 * RESOURCE_EXHAUSTED or FAILED_PRECONDITION, with the message prefixed by the file, line and column
 * of the xl.cfg key at fault when the configuration says where that key was.
 */
final class StatusMapper {
    private StatusMapper() {}

    static StatusRuntimeException toStatus(ConfigException e, DomainConfig config) {
        Status code = switch (e.kind()) {
            case INVALID -> Status.INVALID_ARGUMENT;
            case NOT_FOUND -> Status.NOT_FOUND;
            case ALREADY_EXISTS -> Status.ALREADY_EXISTS;
            case RESOURCE_EXHAUSTED -> Status.RESOURCE_EXHAUSTED;
            case FAILED_PRECONDITION -> Status.FAILED_PRECONDITION;
        };
        return code.withDescription(where(e.key(), config) + e.getMessage()).asRuntimeException();
    }

    static StatusRuntimeException toStatus(ConfigException e) {
        return toStatus(e, null);
    }

    private static String where(String key, DomainConfig config) {
        if (key == null || config == null) {
            return "";
        }
        SourceLocation at = config.getLocationsOrDefault(key, null);
        if (at == null) {
            return config.getSourceFile().isEmpty() ? "" : config.getSourceFile() + ": ";
        }
        String file = at.getFile().isEmpty() ? config.getSourceFile() : at.getFile();
        return file + ":" + at.getLine() + ":" + at.getColumn() + ": ";
    }
}
