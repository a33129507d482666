package org.hvsim.tools.xlcfg;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hvsim.proto.control.DomainConfig;

/**
 * Reads the {@code disk} and {@code vif} lists: each entry must be a string, parsed by
 * {@link DiskSpecParser} or {@link VifSpecParser} (a vif's devid defaults to its index), with errors
 * pointing at the entry. Entries' locations go to the locations map as {@code disk[i]} and
 * {@code vif[i]}. Stateless.
 */
final class DeviceListReader {

    private DeviceListReader() {
    }

    static void read(XlSettingReader in, DomainConfig.Builder out, ConfigWarnings warnings,
            Map<String, XlLocation> locations) throws XlConfigException {
        List<XlAtom> disks = entries(in, "disk", locations);
        for (XlAtom disk : disks) {
            try {
                out.addDisks(DiskSpecParser.parse(disk.text(), warnings.at(disk.location())));
            } catch (XlSpecException e) {
                throw e.at(disk.location());
            }
        }
        List<XlAtom> vifs = entries(in, "vif", locations);
        for (int i = 0; i < vifs.size(); i++) {
            XlAtom vif = vifs.get(i);
            try {
                out.addVifs(VifSpecParser.parse(vif.text(), i, warnings.at(vif.location())));
            } catch (XlSpecException e) {
                throw e.at(vif.location());
            }
        }
    }

    private static List<XlAtom> entries(XlSettingReader in, String key, Map<String, XlLocation> locations)
            throws XlConfigException {
        Optional<XlList> list = in.list(key);
        if (list.isEmpty()) {
            return List.of();
        }
        List<XlValue> items = list.get().items();
        XlAtom[] atoms = new XlAtom[items.size()];
        for (int i = 0; i < items.size(); i++) {
            if (!(items.get(i) instanceof XlAtom atom)) {
                throw XlConfigException.at(items.get(i).location(),
                        "parameter `" + key + "': entry " + i + " is a list but should be a single value");
            }
            atoms[i] = atom;
            locations.put(key + "[" + i + "]", atom.location());
        }
        return List.of(atoms);
    }
}
