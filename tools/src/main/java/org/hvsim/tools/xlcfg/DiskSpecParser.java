package org.hvsim.tools.xlcfg;

import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hvsim.proto.control.DiskSpec;

/**
 * Parses a DISKSPEC (xl-disk-configuration(5)) the way Xen's {@code libxlu_disk_l.l} scans it.
 *
 * <p>Comma-separated items, blanks before each ignored. Bare items fill the positional slots
 * target, format, vdev, access in order; {@code key=value} items and flags may come anywhere; each
 * parameter may be given once (an empty earlier value may be replaced); {@code target=} takes the
 * whole rest of the string, commas included. Deprecated forms: prefixes {@code raw: qcow: qcow2: vhd:}
 * (format), {@code iscsi: nbd: enbd: drbd:} (script {@code block-<name>}), {@code tapdisk: tap: tap2:
 * aio: ioemu: file: phy:} (ignored), each of which also skips the format slot; {@code <vdev>:cdrom} or
 * {@code <vdev>:disk} in the vdev slot; and {@code ,<vdev>:cdrom,r} for an empty cdrom. Then, as
 * {@code xlu_disk_parse} does: format defaults to raw, a cdrom is read-only and, without a target, of
 * format "empty"; vdev is mandatory; a target is needed unless the device is a cdrom. Finally the vdev
 * must name a device number ({@link VirtualDevice}), and {@code /dev/} is put before a target that is a
 * relative path (not when a script interprets it, and not before hvsim's {@code null:<size>}).
 *
 * <p>COLO parameters are accepted and reported as not modelled. Errors use xl's message: {@code
 * config parsing error in disk specification: <what>: near `<text>' in `<spec>'}. Stateless.
 */
public final class DiskSpecParser {
    private static final Pattern PREFIX = Pattern.compile("([a-z][a-z0-9]*):");
    private static final Set<String> FORMAT_PREFIXES = Set.of("raw", "qcow", "qcow2", "vhd");
    private static final Set<String> SCRIPT_PREFIXES = Set.of("iscsi", "nbd", "enbd", "drbd");
    private static final Set<String> IGNORED_PREFIXES = Set.of("tapdisk", "tap", "tap2", "aio", "ioemu", "file", "phy");
    private static final Set<String> COLO_KEYS = Set.of("colo-host", "colo-port", "colo-export", "active-disk",
            "hidden-disk");
    private static final Pattern UNKNOWN_KEY = Pattern.compile("[a-z][-a-z0-9]*");

    private DiskSpecParser() {
    }

    public static DiskSpec parse(String spec) throws XlSpecException {
        return parse(spec, warning -> { });
    }

    /** Parses {@code spec}, passing warnings about accepted but unmodelled parameters to {@code warnings}. */
    public static DiskSpec parse(String spec, Consumer<String> warnings) throws XlSpecException {
        DiskSpecState state = new DiskSpecState(spec);
        Matcher prefix = PREFIX.matcher(spec);
        int pos = 0;
        while (pos < spec.length()) {
            char c = spec.charAt(pos);
            if (c == ' ' || c == '\t' || c == '\n') {
                pos++;
                continue;
            }
            if (spec.startsWith("target=", pos)) {
                String value = spec.substring(pos + "target=".length());
                state.saveTarget(value.endsWith(",") ? value.substring(0, value.length() - 1) : value);
                break;
            }
            if (prefix.region(pos, spec.length()).lookingAt()) {
                int consumed = deprecatedPrefix(state, prefix.group(1), spec, prefix.end());
                if (consumed > 0) {
                    pos = consumed;
                    continue;
                }
            }
            int comma = spec.indexOf(',', pos);
            String item = comma < 0 ? spec.substring(pos) : spec.substring(pos, comma);
            int next = comma < 0 ? spec.length() : comma + 1;
            int equals = item.indexOf('=');
            if (equals >= 0) {
                named(state, item, item.substring(0, equals), item.substring(equals + 1), spec, pos + equals, warnings);
            } else if (!flag(state, item, warnings)) {
                state.positional(item);
            }
            pos = next;
        }
        return state.finish();
    }

    /**
     * Handles a deprecated {@code name:} prefix ending at {@code end}; returns the position after it, or 0
     * if it is not one (then it is part of a positional item such as {@code hdc:cdrom}).
     */
    private static int deprecatedPrefix(DiskSpecState state, String name, String spec, int end)
            throws XlSpecException {
        if (FORMAT_PREFIXES.contains(name)) {
            state.deprecatedPrefix();
            state.setFormat(name);
            return end;
        }
        if (SCRIPT_PREFIXES.contains(name)) {
            state.deprecatedPrefix();
            state.saveScript("block-" + name);
            return end;
        }
        if (IGNORED_PREFIXES.contains(name)) {
            state.deprecatedPrefix();
            return end;
        }
        char after = end < spec.length() ? spec.charAt(end) : ',';
        boolean alnum = (after >= 'a' && after <= 'z') || (after >= '0' && after <= '9');
        if (!alnum) {
            throw state.error("unknown deprecated disk prefix", name + ":");
        }
        return 0;
    }

    private static void named(DiskSpecState state, String item, String key, String value, String spec, int equalsAt,
            Consumer<String> warnings) throws XlSpecException {
        switch (key) {
            case "format" -> state.setFormat(value);
            case "devtype" -> {
                switch (value) {
                    case "cdrom" -> state.setCdrom(true);
                    case "disk" -> state.setCdrom(false);
                    default -> throw state.error("unknown value for type", item);
                }
            }
            case "access" -> state.setAccess(value);
            case "backend" -> state.saveBackend(value);
            case "backendtype" -> state.setBackendType(value);
            case "specification" -> state.setSpecification(value);
            case "vdev" -> state.saveVdev(value);
            case "script" -> state.saveScript(value);
            case "grant_usage" -> {
                switch (value) {
                    case "1" -> state.setGrantUsage(true);
                    case "0" -> state.setGrantUsage(false);
                    default -> throw state.error("unknown value for grant_usage", item);
                }
            }
            default -> {
                if (COLO_KEYS.contains(key)) {
                    warnings.accept("disk parameter `" + key + "' (COLO) is not modelled by hvsim; ignored");
                } else if (UNKNOWN_KEY.matcher(key).matches()) {
                    throw state.error("unknown parameter", item);
                } else {
                    throw state.error("bad disk syntax", spec.substring(equalsAt));
                }
            }
        }
    }

    private static boolean flag(DiskSpecState state, String item, Consumer<String> warnings) {
        switch (item) {
            case "cdrom" -> state.setCdrom(true);
            case "direct-io-safe" -> state.setDirectIoSafe();
            case "discard" -> state.setDiscard(true);
            case "no-discard" -> state.setDiscard(false);
            case "trusted" -> state.setTrusted(true);
            case "untrusted" -> state.setTrusted(false);
            case "colo", "no-colo" -> warnings.accept("disk flag `" + item + "' (COLO) is not modelled by hvsim; ignored");
            default -> {
                return false;
            }
        }
        return true;
    }
}
