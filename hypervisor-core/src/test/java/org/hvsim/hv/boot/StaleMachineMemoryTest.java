package org.hvsim.hv.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StaleMachineMemoryTest {
    @TempDir
    Path home;
    @TempDir
    Path shm;

    @Test
    void removesTheDeadHostsMemoryFileAndTheLink() throws IOException {
        Path file = Files.write(shm.resolve("hvsim-4242.mem"), new byte[4096]);
        Path link = Files.createSymbolicLink(home.resolve("machine.mem"), file);
        assertEquals(Optional.of(file), StaleMachineMemory.remove(link));
        assertFalse(Files.exists(file));
        assertFalse(Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void neverRemovesAFileThatIsNotMachineMemory() throws IOException {
        Path precious = Files.writeString(shm.resolve("notes.txt"), "keep me");
        Path link = Files.createSymbolicLink(home.resolve("machine.mem"), precious);
        assertEquals(Optional.empty(), StaleMachineMemory.remove(link));
        assertTrue(Files.exists(precious), "followed a link to something else");
        assertFalse(Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void aHomeWithoutALinkOrWithADanglingOneIsFine() throws IOException {
        assertEquals(Optional.empty(), StaleMachineMemory.remove(home.resolve("machine.mem")));
        Path link = Files.createSymbolicLink(home.resolve("machine.mem"), shm.resolve("hvsim-1.mem"));
        assertEquals(Optional.empty(), StaleMachineMemory.remove(link));
        assertFalse(Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS));
    }
}
