package org.hvsim.tools.xlcfg;

import java.util.Locale;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.hvsim.proto.control.VifSpec;

/**
 * Parses a VIFSPEC (xl-network-configuration(5)) as xl's {@code parse_nic_config} does: items separated
 * by commas (empty items skipped, leading spaces dropped), each {@code key=value}; the empty spec means
 * all defaults. Keys: {@code mac} (six colon-separated hex octets, stored as {@code xx:xx:xx:xx:xx:xx}),
 * {@code bridge ip script backend vifname model gatewaydev}, {@code netdev} (deprecated alias of
 * gatewaydev), {@code type} ({@code vif} or {@code ioemu}), {@code rate} ({@link VifRate}),
 * {@code mtu} (decimal, 68..65535), {@code devid} (decimal; the list index when absent) and
 * {@code accel} (kept, but reported as unsupported, as xl does). COLO keys are accepted and reported as
 * not modelled. An unknown key is an error (xl only warns in a config file, but refuses it in
 * {@code network-attach}). Stateless.
 */
public final class VifSpecParser {
    private static final Pattern MAC = Pattern.compile("[0-9a-fA-F]{1,2}(:[0-9a-fA-F]{1,2}){5}");
    private static final int MIN_MTU = 68;
    private static final int MAX_MTU = 65535;

    private VifSpecParser() {
    }

    public static VifSpec parse(String spec, int index) throws XlSpecException {
        return parse(spec, index, warning -> { });
    }

    /** Parses {@code spec}, the {@code index}-th entry of its list; warnings go to {@code warnings}. */
    public static VifSpec parse(String spec, int index, Consumer<String> warnings) throws XlSpecException {
        VifSpec.Builder vif = VifSpec.newBuilder().setSpec(spec).setDevid(index);
        for (String raw : spec.split(",", -1)) {
            String item = raw.replaceFirst("^ +", "");
            if (item.isEmpty()) {
                continue;
            }
            int equals = item.indexOf('=');
            if (equals < 0) {
                throw new XlSpecException("unrecognized argument `" + XlText.printable(item) + "' in vif `"
                        + XlText.printable(spec) + "'");
            }
            item(vif, item.substring(0, equals), item.substring(equals + 1), item, spec, warnings);
        }
        return vif.build();
    }

    private static void item(VifSpec.Builder vif, String key, String value, String item, String spec,
            Consumer<String> warnings) throws XlSpecException {
        switch (key) {
            case "type" -> {
                if (!value.equals("vif") && !value.equals("ioemu")) {
                    throw invalid("type", spec);
                }
                vif.setType(value);
            }
            case "mac" -> {
                if (!MAC.matcher(value).matches()) {
                    throw invalid("mac", spec);
                }
                StringBuilder mac = new StringBuilder();
                for (String octet : value.split(":")) {
                    mac.append(mac.isEmpty() ? "" : ":").append(String.format("%02x", Integer.parseInt(octet, 16)));
                }
                vif.setMac(mac.toString().toLowerCase(Locale.ROOT));
            }
            case "bridge" -> vif.setBridge(value);
            case "netdev" -> {
                warnings.accept("the netdev parameter is deprecated, please use gatewaydev instead");
                vif.setGatewaydev(value);
            }
            case "gatewaydev" -> vif.setGatewaydev(value);
            case "ip" -> vif.setIp(value);
            case "script" -> vif.setScript(value);
            case "backend" -> vif.setBackend(value);
            case "vifname" -> vif.setVifname(value);
            case "model" -> vif.setModel(value);
            case "rate" -> {
                VifRate.parse(value);
                vif.setRate(value);
            }
            case "accel" -> {
                warnings.accept("the accel parameter for vifs is currently not supported");
                vif.setAccel(value);
            }
            case "devid" -> vif.setDevid((int) decimal(value, 0, Integer.MAX_VALUE, "devid"));
            case "mtu" -> vif.setMtu((int) decimal(value, MIN_MTU, MAX_MTU, "mtu"));
            default -> {
                if (key.equals("forwarddev") || key.startsWith("colo_")) {
                    warnings.accept("vif parameter `" + key + "' (COLO) is not modelled by hvsim; ignored");
                } else {
                    throw new XlSpecException("unrecognized argument `" + XlText.printable(item) + "' in vif `"
                            + XlText.printable(spec) + "'");
                }
            }
        }
    }

    private static long decimal(String value, long min, long max, String key) throws XlSpecException {
        if (value.isEmpty() || value.length() > 10 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new XlSpecException("failed to convert \"" + XlText.printable(value) + "\" to number for `"
                    + key + "'");
        }
        long n = Long.parseLong(value);
        if (n < min || n > max) {
            throw new XlSpecException("`" + key + "' must be between " + min + " and " + max + ", not " + n);
        }
        return n;
    }

    private static XlSpecException invalid(String key, String spec) {
        return new XlSpecException("Invalid parameter `" + key + "' in vif `" + XlText.printable(spec) + "'");
    }
}
