package org.hvsim.dom0.xenstore.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** The persistent map behaves like a sorted map, and old versions never change. */
class NodeMapPropertyTest {
    private static final List<XsPermission> PERMS = List.of(new XsPermission(0, XsPermission.NONE));

    @Property
    void behavesLikeATreeMapAndKeepsOldVersions(
            @ForAll @Size(max = 300) List<@IntRange(max = 60) Integer> keys, @ForAll @Size(max = 300) List<Boolean> removes) {
        NodeMap m = NodeMap.empty();
        TreeMap<String, Node> model = new TreeMap<>();
        List<NodeMap> versions = new ArrayList<>();
        List<Map<String, Node>> models = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            String k = "/k" + keys.get(i);
            if (i < removes.size() && removes.get(i)) {
                m = m.remove(k);
                model.remove(k);
            } else {
                Node n = Node.empty(PERMS, i);
                m = m.put(k, n);
                model.put(k, n);
            }
            versions.add(m);
            models.add(new TreeMap<>(model));
        }
        for (int v = 0; v < versions.size(); v++) {
            NodeMap version = versions.get(v);
            Map<String, Node> expected = models.get(v);
            assertEquals(expected.size(), version.size());
            for (Map.Entry<String, Node> e : expected.entrySet()) {
                assertSame(e.getValue(), version.get(e.getKey()));
            }
            List<String> order = new ArrayList<>();
            version.forEach((k, n) -> order.add(k));
            assertEquals(new ArrayList<>(expected.keySet()), order);
        }
    }

    @Property
    void removingAnAbsentKeyReturnsTheSameMap(@ForAll @IntRange(max = 20) int n) {
        NodeMap m = NodeMap.empty();
        for (int i = 0; i < n; i++) {
            m = m.put("/" + i, Node.empty(PERMS, i));
        }
        assertSame(m, m.remove("/absent"));
    }
}
