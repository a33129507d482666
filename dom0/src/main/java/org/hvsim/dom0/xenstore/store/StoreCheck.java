package org.hvsim.dom0.xenstore.store;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The consistency check behind {@code CONTROL check} ({@code check_store()}): walks the tree from the
 * root, drops child entries that are duplicated or name a missing node, deletes nodes no walk reaches
 * (the special nodes aside), and counts the nodes each domain owns so the caller can correct its
 * accounting. A healthy store comes out unchanged.
 *
 * @param duplicateEntries child entries removed because they were listed twice
 * @param danglingEntries child entries removed because their node was missing
 * @param orphans nodes deleted because no parent listed them
 * @param ownedNodes the number of nodes each domain owns after the repair
 */
public record StoreCheck(int duplicateEntries, int danglingEntries, int orphans, Map<Integer, Integer> ownedNodes) {

    /** Whether the store needed no repair. */
    public boolean clean() {
        return duplicateEntries == 0 && danglingEntries == 0 && orphans == 0;
    }

    /** Checks and repairs {@code store}. */
    public static StoreCheck run(Store store) {
        int duplicates = 0;
        int dangling = 0;
        Set<String> reachable = new HashSet<>();
        Map<Integer, Integer> owned = new HashMap<>();
        Deque<String> todo = new ArrayDeque<>();
        if (store.get(XsPath.ROOT) != null) {
            todo.push(XsPath.ROOT);
            reachable.add(XsPath.ROOT);
        }
        while (!todo.isEmpty()) {
            String path = todo.pop();
            Node node = store.get(path);
            owned.merge(node.owner(), 1, Integer::sum);
            List<String> kept = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            for (String child : node.children()) {
                String childPath = XsPath.child(path, child);
                if (!seen.add(child)) {
                    duplicates++;
                } else if (store.get(childPath) == null || !reachable.add(childPath)) {
                    dangling++;
                } else {
                    kept.add(child);
                    todo.push(childPath);
                }
            }
            if (kept.size() != node.childCount()) {
                store.put(path, node.withChildren(kept).withGeneration(store.nextGeneration()));
            }
        }
        for (String special : List.of(XsPath.RELEASE_DOMAIN, XsPath.INTRODUCE_DOMAIN)) {
            Node n = store.get(special);
            if (n != null) {
                reachable.add(special);
                owned.merge(n.owner(), 1, Integer::sum);
            }
        }
        List<String> orphans = new ArrayList<>();
        store.snapshot().forEach((path, node) -> {
            if (!reachable.contains(path)) {
                orphans.add(path);
            }
        });
        orphans.forEach(store::remove);
        return new StoreCheck(duplicates, dangling, orphans.size(), Map.copyOf(owned));
    }
}
