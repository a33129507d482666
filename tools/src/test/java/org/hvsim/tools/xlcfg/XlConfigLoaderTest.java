package org.hvsim.tools.xlcfg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.hvsim.proto.control.DomainConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class XlConfigLoaderTest {
    private static final String BASE = "name = 'vm'\nkernel = 'idle'\nmemory = 128\nextra = 'a'\ndisk = ['/x,,xvda']\n";

    @TempDir
    Path dir;

    @Test
    void loadsAFileAndAppliesOverridesAfterIt() throws Exception {
        Path file = dir.resolve("vm.cfg");
        Files.writeString(file, BASE);
        DomainConfig c = XlConfigLoader.load(file, List.of("memory=256", "name=\"other\"; extra += ' b'",
                "disk += ['/y,,xvdb']")).config();
        assertEquals(256 * 1024, c.getTargetMemkb());
        assertEquals("other", c.getName());
        assertEquals("a b", c.getCmdline());
        assertEquals(2, c.getDisksCount());
        assertEquals(file.toString(), c.getSourceFile());
        assertEquals("command line", c.getLocationsOrThrow("memory").getFile());
        assertEquals(1, c.getLocationsOrThrow("memory").getLine());
        assertEquals(file.toString(), c.getLocationsOrThrow("kernel").getFile());
    }

    @Test
    void overrideErrorsArePlacedOnTheCommandLine() {
        XlConfigException e = assertThrows(XlConfigException.class,
                () -> XlConfigLoader.parse(BASE, "vm.cfg", List.of("vcpus=2", "memory=")));
        assertEquals("command line:2:8: config parsing error near <end of file>: syntax error, unexpected $end,"
                + " expecting STRING or NUMBER or '['", e.getMessage());
        XlConfigException semantic = assertThrows(XlConfigException.class,
                () -> XlConfigLoader.parse(BASE, "vm.cfg", List.of("memory += 1")));
        assertEquals("command line:1:11: can't use += with numbers for parameter `memory'", semantic.getMessage());
    }

    @Test
    void invalidUtf8IsRefusedWithItsPlace() throws Exception {
        Path file = dir.resolve("bad.cfg");
        byte[] head = "name = 'vm'\nkernel = 'k\u00e9".getBytes(StandardCharsets.UTF_8);
        byte[] bytes = new byte[head.length + 2];
        System.arraycopy(head, 0, bytes, 0, head.length);
        bytes[head.length] = (byte) 0xff;
        bytes[head.length + 1] = '\'';
        Files.write(file, bytes);
        XlConfigException e = assertThrows(XlConfigException.class, () -> XlConfigLoader.load(file, List.of()));
        assertEquals(file + ":2:13: configuration file is not valid UTF-8", e.getMessage());
    }

    @Test
    void oversizedFilesAreRefused() throws Exception {
        Path file = dir.resolve("big.cfg");
        Files.writeString(file, "#".repeat(XlConfigLoader.MAX_FILE_BYTES + 1));
        XlConfigException e = assertThrows(XlConfigException.class, () -> XlConfigLoader.load(file, List.of()));
        assertTrue(e.getMessage().startsWith(file + ": configuration file is larger than"));
        assertEquals(0, e.line());
    }

    @Test
    void aMissingFileIsAnIoError() {
        assertThrows(NoSuchFileException.class, () -> XlConfigLoader.load(dir.resolve("none.cfg"), List.of()));
    }
}
