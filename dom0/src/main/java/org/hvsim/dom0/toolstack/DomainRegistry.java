package org.hvsim.dom0.toolstack;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.hvsim.proto.toolstack.ToolstackDomain;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The domains the toolstack manages, by domid, with their records kept in {@code <dir>/<domid>.pb}
 * (written through on every change, replaced atomically) so a restarted dom0 finds them again. Names
 * are unique among the domains registered here. Thread-safe.
 */
final class DomainRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(DomainRegistry.class);

    private final Path dir;
    private final Map<Integer, ManagedDomain> domains = new ConcurrentHashMap<>();

    DomainRegistry(Path dir) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir);
    }

    Optional<ManagedDomain> get(int domid) {
        return Optional.ofNullable(domains.get(domid));
    }

    Optional<ManagedDomain> byName(String name) {
        return domains.values().stream().filter(m -> m.name().equals(name)).findFirst();
    }

    Collection<ManagedDomain> all() {
        return new ArrayList<>(domains.values());
    }

    /** Adds (or replaces) a domain and persists it, unless another domain already has its name. */
    synchronized void put(ManagedDomain m) throws ConfigException {
        Optional<ManagedDomain> other = byName(m.name());
        if (other.isPresent() && other.get().domid() != m.domid()) {
            throw new ConfigException(ConfigException.Kind.ALREADY_EXISTS, "name", "Domain '" + m.name() + "' already exists.");
        }
        domains.put(m.domid(), m);
        save(m);
    }

    void save(ManagedDomain m) {
        Path file = file(m.domid());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.write(tmp, m.toRecord().toByteArray());
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.warn("cannot persist the state of d{}: {}", m.domid(), e.getMessage());
        }
    }

    void remove(int domid) {
        domains.remove(domid);
        try {
            Files.deleteIfExists(file(domid));
        } catch (IOException e) {
            LOG.warn("cannot remove the state of d{}: {}", domid, e.getMessage());
        }
    }

    /** The records a previous dom0 process left. */
    List<ToolstackDomain> load() throws IOException {
        List<ToolstackDomain> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".pb")).toList()) {
                try (InputStream in = Files.newInputStream(f)) {
                    out.add(ToolstackDomain.parseFrom(in));
                } catch (IOException e) {
                    LOG.warn("ignoring unreadable toolstack record {}: {}", f, e.getMessage());
                }
            }
        }
        return out;
    }

    /** Deletes records a previous host left in this state directory (a fresh boot has no domains). */
    void clearPersisted() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
        }
    }

    void adopt(ManagedDomain m) {
        domains.put(m.domid(), m);
    }

    private Path file(int domid) {
        return dir.resolve(domid + ".pb");
    }
}
