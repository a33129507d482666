package org.hvsim.tools.xlcfg;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hvsim.proto.control.CpuSet;

/**
 * Reads {@code cpus} (hard affinity) and {@code cpus_soft} (soft affinity) as xl's
 * {@code parse_vcpu_affinity} does: a CPULIST string applies to every vCPU; a list gives vCPU i its
 * i-th CPULIST, entries beyond the domain's vCPUs are dropped (with a warning), and vCPUs without an
 * entry are not pinned. Because hvsim's DomainConfig reads a single entry as "every vCPU", a one-entry
 * list for a domain with more vCPUs is padded with {@code all} for the others. Stateless.
 */
final class CpuAffinityReader {

    private CpuAffinityReader() {
    }

    /**
     * The affinity {@code key} gives a domain of {@code vcpus} vCPUs; list entries' locations go to
     * {@code locations} as {@code key[i]}.
     */
    static List<CpuSet> read(XlSettingReader in, String key, int vcpus, ConfigWarnings warnings,
            Map<String, XlLocation> locations) throws XlConfigException {
        Optional<XlSetting> setting = in.setting(key);
        if (setting.isEmpty()) {
            return List.of();
        }
        XlValue value = setting.get().value();
        if (value instanceof XlAtom atom) {
            return List.of(parse(atom));
        }
        List<XlValue> items = ((XlList) value).items();
        List<CpuSet> sets = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            if (!(items.get(i) instanceof XlAtom atom)) {
                throw XlConfigException.at(items.get(i).location(),
                        "parameter `" + key + "': entry " + i + " is a list but should be a CPULIST string");
            }
            if (i >= vcpus) {
                warnings.add(atom.location(), "`" + key + "' has " + items.size() + " entries but the domain has "
                        + vcpus + " vCPU(s); the extra entries are ignored");
                break;
            }
            sets.add(parse(atom));
            locations.put(key + "[" + i + "]", atom.location());
        }
        if (sets.size() == 1 && vcpus > 1) {
            for (int i = 1; i < vcpus; i++) {
                sets.add(CpuSet.newBuilder().setAll(true).build());
            }
        }
        return sets;
    }

    private static CpuSet parse(XlAtom atom) throws XlConfigException {
        try {
            return CpuList.parse(atom.text());
        } catch (XlSpecException e) {
            throw e.at(atom.location());
        }
    }
}
