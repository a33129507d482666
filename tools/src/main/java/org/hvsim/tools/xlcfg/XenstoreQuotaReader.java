package org.hvsim.tools.xlcfg;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.hvsim.proto.control.DomainConfig;

/**
 * {@code xenstore_quota = [ "nodes=2000", "watches=256", ... ]}: the domain's own xenstored quotas. Each item
 * is {@code <quota>=<decimal>} naming one of C xenstored's quotas ({@code soft-memory} for the soft memory
 * level); a bad item is an error at its own line and column.
 */
final class XenstoreQuotaReader {
    static final String KEY = "xenstore_quota";
    static final Set<String> QUOTAS = Set.of("nodes", "watches", "outstanding", "memory", "soft-memory",
            "transactions", "transaction-nodes", "node-permissions", "path-max", "node-size");
    static final int MAX_ITEMS = 32;

    private XenstoreQuotaReader() {}

    static void read(XlSettingReader in, DomainConfig.Builder out) throws XlConfigException {
        Optional<XlList> list = in.list(KEY);
        if (list.isEmpty()) {
            return;
        }
        List<String> items = new ArrayList<>();
        for (XlValue v : list.get().items()) {
            if (!(v instanceof XlAtom atom)) {
                throw XlConfigException.at(v.location(), KEY + ": each item must be a string \"<quota>=<value>\"");
            }
            items.add(item(atom));
        }
        if (items.size() > MAX_ITEMS) {
            throw XlConfigException.at(list.get().location(), KEY + ": at most " + MAX_ITEMS + " items");
        }
        out.addAllXenstoreQuota(items);
    }

    private static String item(XlAtom atom) throws XlConfigException {
        String text = atom.text();
        int eq = text.indexOf('=');
        if (eq < 0) {
            throw XlConfigException.at(atom.location(), KEY + ": item \"" + XlText.printable(text)
                    + "\" is not <quota>=<value>");
        }
        String name = text.substring(0, eq).trim();
        if (!QUOTAS.contains(name)) {
            throw XlConfigException.at(atom.location(), KEY + ": unknown quota \"" + XlText.printable(name)
                    + "\" (known: nodes, watches, outstanding, memory, soft-memory, transactions, transaction-nodes,"
                    + " node-permissions, path-max, node-size)");
        }
        String value = text.substring(eq + 1).trim();
        if (value.isEmpty() || value.length() > 18 || !value.chars().allMatch(Character::isDigit)) {
            throw XlConfigException.at(atom.location(), KEY + ": the value of " + name + " must be a number; got \""
                    + XlText.printable(value) + "\"");
        }
        return name + "=" + Long.parseLong(value);
    }
}
